#include "mockdci/http/tls.h"

#include <errno.h>
#include <openssl/err.h>
#include <openssl/ssl.h>
#include <unistd.h>

namespace dcisim::mockdci {

namespace {

std::string openssl_reason() {
  unsigned long code = ERR_get_error();
  ERR_clear_error();
  if (code == 0) return "no reason given";
  char text[256];
  ERR_error_string_n(code, text, sizeof text);
  return text;
}

}  // namespace

common::Result<std::unique_ptr<TlsContext>> TlsContext::load(const std::string& cert_file, const std::string& key_file) {
  ERR_clear_error();
  SSL_CTX* context = SSL_CTX_new(TLS_server_method());
  if (context == nullptr) return common::Error::internal("OpenSSL cannot make a TLS context: " + openssl_reason());
  std::unique_ptr<TlsContext> out(new TlsContext(context));
  SSL_CTX_set_min_proto_version(context, TLS1_2_VERSION);
  SSL_CTX_set_options(context, SSL_OP_NO_RENEGOTIATION);
  SSL_CTX_set_mode(context, SSL_MODE_ENABLE_PARTIAL_WRITE | SSL_MODE_ACCEPT_MOVING_WRITE_BUFFER | SSL_MODE_RELEASE_BUFFERS);
  auto refuse = [&](const std::string& what) {
    return common::Error::invalid("cannot serve HTTPS with certificate \"" + cert_file + "\" and key \"" + key_file +
                                  "\": " + what + " (" + openssl_reason() + ")");
  };
  if (SSL_CTX_use_certificate_chain_file(context, cert_file.c_str()) != 1) return refuse("the certificate is unreadable or not PEM");
  if (SSL_CTX_use_PrivateKey_file(context, key_file.c_str(), SSL_FILETYPE_PEM) != 1) return refuse("the key is unreadable or not PEM");
  if (SSL_CTX_check_private_key(context) != 1) return refuse("the key does not match the certificate");
  return out;
}

TlsContext::~TlsContext() { SSL_CTX_free(context_); }

std::unique_ptr<Stream> TlsContext::wrap(int fd) const {
  SSL* ssl = SSL_new(context_);
  if (ssl == nullptr || SSL_set_fd(ssl, fd) != 1) {
    ERR_clear_error();
    if (ssl != nullptr) SSL_free(ssl);
    ::close(fd);
    return nullptr;
  }
  SSL_set_accept_state(ssl);
  return std::make_unique<TlsStream>(fd, ssl);
}

TlsStream::~TlsStream() { TlsStream::close(false); }

IoResult TlsStream::failure(int ssl_result, bool reading) {
  int error = SSL_get_error(ssl_, ssl_result);
  int saved_errno = errno;
  ERR_clear_error();  // the error queue is per thread: leave nothing for the next connection
  switch (error) {
    case SSL_ERROR_WANT_READ:
      if (!reading) write_needs_readable_ = true;
      return {IoResult::Kind::would_block, 0};
    case SSL_ERROR_WANT_WRITE:
      if (reading) read_needs_writable_ = true;
      return {IoResult::Kind::would_block, 0};
    case SSL_ERROR_ZERO_RETURN: return {IoResult::Kind::closed, 0};
    case SSL_ERROR_SYSCALL:
      // End of stream without close_notify: a closed connection, as clients often do.
      return {saved_errno == 0 && reading ? IoResult::Kind::closed : IoResult::Kind::failed, 0};
    default: return {IoResult::Kind::failed, 0};
  }
}

IoResult TlsStream::read(char* buffer, size_t size) {
  read_needs_writable_ = false;
  ERR_clear_error();
  errno = 0;
  size_t n = 0;
  int result = SSL_read_ex(ssl_, buffer, size, &n);
  if (result == 1) return {IoResult::Kind::done, n};
  return failure(result, true);
}

IoResult TlsStream::write(const char* data, size_t size) {
  write_needs_readable_ = false;
  ERR_clear_error();
  errno = 0;
  size_t n = 0;
  int result = SSL_write_ex(ssl_, data, size, &n);
  if (result == 1) return {IoResult::Kind::done, n};
  return failure(result, false);
}

void TlsStream::shutdown_write() {
  if (!shut_ && SSL_is_init_finished(ssl_)) {
    ERR_clear_error();
    SSL_shutdown(ssl_);  // close_notify, best effort (non-blocking)
    ERR_clear_error();
  }
  shut_ = true;
  Stream::shutdown_write();
}

// Decrypted bytes only: a partial record (SSL_has_pending) needs more from the socket, which epoll reports.
bool TlsStream::has_buffered_input() const { return SSL_pending(ssl_) > 0; }

void TlsStream::close(bool reset) {
  if (ssl_ != nullptr) {
    if (!reset && !shut_ && SSL_is_init_finished(ssl_)) {
      ERR_clear_error();
      SSL_shutdown(ssl_);
      ERR_clear_error();
    }
    SSL_free(ssl_);
    ssl_ = nullptr;
  }
  Stream::close(reset);
}

}  // namespace dcisim::mockdci
