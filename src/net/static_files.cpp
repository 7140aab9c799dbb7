#include "net/static_files.hpp"

#include <fstream>
#include <sstream>

namespace parley::net {

namespace fs = std::filesystem;

std::string_view content_type_for(const fs::path& file) {
  auto ext = file.extension().string();
  if (ext == ".html") return "text/html; charset=utf-8";
  if (ext == ".js" || ext == ".mjs") return "text/javascript; charset=utf-8";
  if (ext == ".css") return "text/css; charset=utf-8";
  if (ext == ".json" || ext == ".map") return "application/json";
  if (ext == ".svg") return "image/svg+xml";
  if (ext == ".png") return "image/png";
  if (ext == ".jpg" || ext == ".jpeg") return "image/jpeg";
  if (ext == ".ico") return "image/x-icon";
  if (ext == ".woff2") return "font/woff2";
  if (ext == ".mp3") return "audio/mpeg";
  if (ext == ".wav") return "audio/wav";
  if (ext == ".txt") return "text/plain; charset=utf-8";
  return "application/octet-stream";
}

namespace {

bool read_file(const fs::path& p, std::string& out) {
  std::ifstream in(p, std::ios::binary);
  if (!in) return false;
  std::ostringstream ss;
  ss << in.rdbuf();
  out = std::move(ss).str();
  return true;
}

// Rejects anything that could climb out of the root.
bool is_safe(std::string_view path) {
  if (path.find("..") != std::string_view::npos) return false;
  if (path.find('\\') != std::string_view::npos) return false;
  if (path.find('\0') != std::string_view::npos) return false;
  return true;
}

}  // namespace

Response StaticFiles::serve(const Request& req) const {
  if (req.method() != http::verb::get && req.method() != http::verb::head) {
    return error_response(req, {core::ErrorCode::method_not_allowed, "use GET here"});
  }
  std::string path = url_decode(path_of(req.target()));
  if (path == "/") {
    Response res = empty_response(req, http::status::found);
    res.set(http::field::location, "/inbox/");
    return res;
  }
  if (!is_safe(path)) return error_response(req, core::not_found("no such file"));

  fs::path file = root_ / fs::path(path).relative_path();
  std::error_code ec;
  if (fs::is_directory(file, ec)) file /= "index.html";
  // The Inbox is a single-page app: unknown paths under /inbox/ load its index.
  if (!fs::is_regular_file(file, ec) && path.rfind("/inbox/", 0) == 0 &&
      path.find("/assets/") == std::string::npos) {
    file = root_ / "inbox" / "index.html";
  }
  std::string body;
  if (!fs::is_regular_file(file, ec) || !read_file(file, body)) {
    return error_response(req, core::not_found("no such file"));
  }
  Response res{http::status::ok, req.version()};
  res.set(http::field::server, "parley");
  res.set(http::field::content_type, content_type_for(file));
  res.set("X-Content-Type-Options", "nosniff");
  bool hashed = path.find("/assets/") != std::string::npos;
  res.set(http::field::cache_control, hashed ? "public, max-age=31536000, immutable" : "no-cache");
  res.keep_alive(req.keep_alive());
  if (req.method() == http::verb::head) {
    res.content_length(body.size());
  } else {
    res.body() = std::move(body);
    res.prepare_payload();
  }
  return res;
}

}  // namespace parley::net
