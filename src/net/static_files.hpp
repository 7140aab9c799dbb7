// Serves the built front ends from one directory (web/dist): the Inbox SPA under
// /inbox/, the widget at /widget.js, the demo site at /demo. Hashed assets are cached
// for a year; everything else is revalidated so a deploy shows up at once.
#pragma once

#include <filesystem>

#include "net/http_util.hpp"

namespace parley::net {

class StaticFiles {
 public:
  explicit StaticFiles(std::filesystem::path root) : root_(std::move(root)) {}
  // GET/HEAD of a file under the root, or the SPA/index fallbacks; 404 JSON otherwise.
  Response serve(const Request& req) const;

 private:
  std::filesystem::path root_;
};

std::string_view content_type_for(const std::filesystem::path& file);

}  // namespace parley::net
