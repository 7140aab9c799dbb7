// The TLS side of every client the server runs (net/guarded_fetch, net/smtp_client): the
// system's trust store (OpenSSL's default paths, which SSL_CERT_FILE / SSL_CERT_DIR can point
// elsewhere), the peer's certificate always verified, SNI and the host name checked.
#pragma once

#include <boost/asio/ip/tcp.hpp>
#include <boost/asio/ssl.hpp>
#include <string>

namespace parley::net {

// A client context that verifies the peer against the system's trust store.
boost::asio::ssl::context verifying_client_context();

// Names `host` in SNI (not for an address literal, which is no server name) and makes the
// handshake fail unless the certificate is for `host`. False when OpenSSL refused the SNI.
bool expect_server_name(boost::asio::ssl::stream<boost::asio::ip::tcp::socket>& stream,
                        const std::string& host, bool ip_literal);

}  // namespace parley::net
