// TLS for the emulator's socket server (OpenSSL, non-blocking). TlsContext holds the certificate
// and key, loaded once by start() so that a bad file is a clear error there; TlsStream is one
// server-side connection: the handshake runs inside the first reads, and SSL_read/SSL_write that
// want the other readiness (WANT_READ while writing, WANT_WRITE while reading) say so through
// the Stream interface, so that the event loop waits for the right epoll event.
#pragma once

#include <memory>
#include <string>

#include "common/result.h"
#include "mockdci/http/stream.h"

typedef struct ssl_ctx_st SSL_CTX;
typedef struct ssl_st SSL;

namespace dcisim::mockdci {

class TlsContext {
 public:
  // PEM certificate (chain) and private key; an error names the files and OpenSSL's reason.
  static common::Result<std::unique_ptr<TlsContext>> load(const std::string& cert_file, const std::string& key_file);
  ~TlsContext();
  TlsContext(const TlsContext&) = delete;
  TlsContext& operator=(const TlsContext&) = delete;

  // A server-side TLS stream over the accepted socket `fd` (owned from now on, even on failure:
  // nullptr when OpenSSL cannot make one, and `fd` is closed).
  std::unique_ptr<Stream> wrap(int fd) const;

 private:
  explicit TlsContext(SSL_CTX* context) : context_(context) {}
  SSL_CTX* context_;
};

class TlsStream final : public Stream {
 public:
  TlsStream(int fd, SSL* ssl) : Stream(fd), ssl_(ssl) {}
  ~TlsStream() override;

  IoResult read(char* buffer, size_t size) override;
  IoResult write(const char* data, size_t size) override;
  void shutdown_write() override;
  bool has_buffered_input() const override;
  bool read_needs_writable() const override { return read_needs_writable_; }
  bool write_needs_readable() const override { return write_needs_readable_; }
  void close(bool reset) override;

 private:
  IoResult failure(int ssl_result, bool reading);

  SSL* ssl_;
  bool read_needs_writable_ = false;
  bool write_needs_readable_ = false;
  bool shut_ = false;
};

}  // namespace dcisim::mockdci
