#include "net/tls_client.hpp"

namespace parley::net {

namespace ssl = boost::asio::ssl;

ssl::context verifying_client_context() {
  ssl::context ctx(ssl::context::tls_client);
  ctx.set_default_verify_paths();
  ctx.set_verify_mode(ssl::verify_peer);
  return ctx;
}

bool expect_server_name(ssl::stream<boost::asio::ip::tcp::socket>& stream, const std::string& host,
                        bool ip_literal) {
  if (!ip_literal && !SSL_set_tlsext_host_name(stream.native_handle(), host.c_str())) return false;
  stream.set_verify_callback(ssl::host_name_verification(host));
  return true;
}

}  // namespace parley::net
