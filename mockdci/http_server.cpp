#include "mockdci/http_server.h"

#include <unistd.h>

#include <algorithm>
#include <thread>
#include <vector>

#include "mockdci/emulator.h"
#include "mockdci/http/acceptor.h"
#include "mockdci/http/event_loop.h"
#include "mockdci/http/socket.h"
#include "mockdci/http/tls.h"

namespace dcisim::mockdci {

namespace {

constexpr int kListenBacklog = 1024;

int64_t to_ns(common::Duration d) { return std::max<int64_t>(1, d.count_ms()) * 1'000'000; }

common::Status check(const HttpServerOptions& options) {
  if (options.threads > kMaxServerThreads) {
    return common::Error::invalid("HttpServerOptions.threads: at most " + std::to_string(kMaxServerThreads) + ", got " +
                                  std::to_string(options.threads));
  }
  if (options.max_body_bytes == 0 || options.max_head_bytes < 256 || options.max_headers == 0 ||
      options.max_connections == 0 || options.max_pipelined_requests == 0) {
    return common::Error::invalid("HttpServerOptions: max_body_bytes, max_headers, max_connections and "
                                  "max_pipelined_requests must be positive, max_head_bytes at least 256");
  }
  return common::Status::success();
}

ConnectionConfig connection_config(const HttpServerOptions& options) {
  ConnectionConfig config;
  config.parser = {options.max_head_bytes, options.max_headers, options.max_body_bytes};
  config.max_queued_answers = options.max_pipelined_requests;
  config.max_input_bytes = options.max_head_bytes + (64 << 10);
  config.header_timeout_ns = to_ns(options.header_timeout);
  config.body_timeout_ns = to_ns(options.body_timeout);
  config.idle_timeout_ns = to_ns(options.idle_timeout);
  config.write_timeout_ns = to_ns(options.write_timeout);
  config.hang_limit_ns = to_ns(options.hang_limit);
  config.linger_timeout_ns = to_ns(options.linger_timeout);
  return config;
}

size_t loop_count(size_t asked) {
  if (asked != 0) return asked;
  return std::clamp<size_t>(std::thread::hardware_concurrency(), 1, 8);
}

}  // namespace

struct HttpServer::Impl {
  std::unique_ptr<LoopShared> shared;
  std::unique_ptr<TlsContext> tls_context;
  std::vector<std::unique_ptr<EventLoop>> loops;
  std::unique_ptr<Acceptor> acceptor;
  std::vector<std::thread> threads;
  int listen_fd = -1;
  int port = 0;
  bool tls = false;

  void release() {
    threads.clear();
    acceptor.reset();
    loops.clear();
    if (listen_fd >= 0) ::close(listen_fd);
    listen_fd = -1;
    tls_context.reset();
    shared.reset();
    port = 0;
    tls = false;
  }
};

HttpServer::HttpServer() : impl_(std::make_unique<Impl>()) {}

HttpServer::~HttpServer() { stop(); }

common::Status HttpServer::start(const HttpServerOptions& options, common::HttpHandler handler, ExchangeObservers observers) {
  if (running()) return common::Error::conflict("the emulator is already listening on port " + std::to_string(impl_->port));
  DCISIM_RETURN_IF_ERROR(check(options));
  Impl& impl = *impl_;
  if (options.tls != nullptr) {
    DCISIM_ASSIGN_OR_RETURN(impl.tls_context, TlsContext::load(options.tls->cert_file, options.tls->key_file));
  }
  common::Result<int> listening = listen_on(options.host, options.port, kListenBacklog);
  if (!listening) {
    impl.release();
    return listening.error();
  }
  impl.listen_fd = *listening;
  impl.port = bound_port(impl.listen_fd);
  impl.tls = options.tls != nullptr;
  impl.shared = std::make_unique<LoopShared>();
  impl.shared->connection = connection_config(options);
  impl.shared->services = {std::move(handler), std::move(observers)};
  impl.shared->tls = impl.tls_context.get();
  std::vector<EventLoop*> loops;
  for (size_t i = 0; i < loop_count(options.threads); ++i) {
    impl.loops.push_back(std::make_unique<EventLoop>(*impl.shared));
    loops.push_back(impl.loops.back().get());
    if (common::Status opened = impl.loops.back()->open(); !opened) {
      impl.release();
      return opened;
    }
  }
  impl.acceptor = std::make_unique<Acceptor>(impl.listen_fd, loops, *impl.shared, options.max_connections);
  if (common::Status watched = impl.loops.front()->watch_listener(impl.listen_fd, impl.acceptor.get()); !watched) {
    impl.release();
    return watched;
  }
  for (EventLoop* loop : loops) impl.threads.emplace_back([loop] { loop->run(); });
  return common::Status::success();
}

void HttpServer::stop() {
  Impl& impl = *impl_;
  if (!impl.shared) return;
  impl.shared->stopping.store(true, std::memory_order_release);
  for (auto& loop : impl.loops) loop->wake();
  for (std::thread& thread : impl.threads) thread.join();
  impl.release();
}

bool HttpServer::running() const { return impl_->shared != nullptr; }
int HttpServer::port() const { return impl_->port; }
bool HttpServer::tls() const { return impl_->tls; }
size_t HttpServer::threads() const { return impl_->threads.size(); }

}  // namespace dcisim::mockdci
