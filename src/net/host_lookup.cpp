#include "net/host_lookup.hpp"

#include <boost/asio/io_context.hpp>
#include <condition_variable>
#include <memory>
#include <mutex>
#include <system_error>
#include <thread>

#include "os/thread_name.hpp"

namespace parley::net {

namespace {
using tcp = boost::asio::ip::tcp;

struct Lookup {
  std::mutex mutex;
  std::condition_variable cv;
  bool done = false;
  boost::system::error_code ec;
  std::vector<tcp::endpoint> endpoints;
};
}  // namespace

HostLookup lookup_host(const std::string& host, const std::string& port,
                       std::chrono::steady_clock::time_point deadline) {
  auto lookup = std::make_shared<Lookup>();
  HostLookup out;
  try {
    std::thread([lookup, host, port] {
      os::name_this_thread("host-lookup");
      boost::asio::io_context ctx;
      tcp::resolver resolver(ctx);
      boost::system::error_code ec;
      auto results = resolver.resolve(host, port, tcp::resolver::numeric_service, ec);
      std::vector<tcp::endpoint> endpoints;
      if (!ec) {
        for (const auto& r : results) endpoints.push_back(r.endpoint());
      }
      std::lock_guard lock(lookup->mutex);
      lookup->ec = ec;
      lookup->endpoints = std::move(endpoints);
      lookup->done = true;
      lookup->cv.notify_all();
    }).detach();
  } catch (const std::system_error& e) {
    out.detail = std::string("no thread for the lookup: ") + e.what();
    return out;
  }
  std::unique_lock lock(lookup->mutex);
  if (!lookup->cv.wait_until(lock, deadline, [&] { return lookup->done; })) {
    out.outcome = HostLookup::Outcome::timed_out;
    return out;
  }
  if (lookup->ec || lookup->endpoints.empty()) {
    out.detail = lookup->ec ? lookup->ec.message() : "no addresses";
    return out;
  }
  out.outcome = HostLookup::Outcome::resolved;
  out.endpoints = std::move(lookup->endpoints);
  return out;
}

}  // namespace parley::net
