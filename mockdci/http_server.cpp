#include "mockdci/http_server.h"

#include <httplib.h>

#include <atomic>
#include <thread>

#include "mockdci/api_error.h"
#include "mockdci/emulator.h"

namespace dcisim::mockdci {

struct HttpServer::Impl {
  std::unique_ptr<httplib::Server> server;
  std::thread thread;
  std::atomic<bool> listen_returned{false};
  int port = 0;
  bool tls = false;
};

namespace {

common::HttpRequest to_request(const httplib::Request& in) {
  common::HttpRequest out;
  out.method = in.method;
  out.path = in.path;
  size_t question = in.target.find('?');
  if (question != std::string::npos) out.query = common::parse_query_string(std::string_view(in.target).substr(question + 1));
  for (const auto& [name, value] : in.headers) out.headers.emplace_back(name, value);
  out.body = in.body;
  return out;
}

void write_response(const common::HttpResponse& in, httplib::Response& out) {
  out.status = in.status;
  std::string content_type = "application/json";
  for (const auto& [name, value] : in.headers) {
    if (common::iequals(name, "Content-Type")) {
      content_type = value;
    } else {
      out.set_header(name, value);
    }
  }
  out.set_content(in.body, content_type.c_str());
}

std::unique_ptr<httplib::Server> make_server(const TlsFiles* tls) {
  if (tls == nullptr) return std::make_unique<httplib::Server>();
  return std::make_unique<httplib::SSLServer>(tls->cert_file.c_str(), tls->key_file.c_str());
}

}  // namespace

HttpServer::HttpServer() : impl_(std::make_unique<Impl>()) {}

HttpServer::~HttpServer() { stop(); }

common::Status HttpServer::start(const HttpServerOptions& options, common::HttpHandler handler,
                                 common::HttpHandler too_large) {
  if (impl_->server) return common::Error::conflict("the emulator is already listening on port " + std::to_string(impl_->port));
  std::unique_ptr<httplib::Server> server = make_server(options.tls);
  if (!server->is_valid()) {
    return common::Error::invalid("cannot serve HTTPS with certificate \"" + options.tls->cert_file + "\" and key \"" +
                                  options.tls->key_file + "\" (unreadable, not PEM, or not a matching pair)");
  }
  size_t threads = options.threads;
  server->new_task_queue = [threads] { return new httplib::ThreadPool(threads); };
  server->set_keep_alive_max_count(1'000'000);  // clients (and wrk) reuse connections
  server->set_payload_max_length(options.max_body_bytes);
  auto route = [handler](const httplib::Request& request, httplib::Response& response) {
    write_response(handler(to_request(request)), response);
  };
  server->Get(".*", route);
  server->Post(".*", route);
  server->Delete(".*", route);
  server->Put(".*", route);
  server->Patch(".*", route);
  // httplib answers some requests itself (body over the limit, unparsable request): give them
  // DCImanager's error JSON too.
  server->set_tcp_nodelay(true);
  server->set_error_handler(httplib::Server::HandlerWithResponse([too_large](const httplib::Request& request,
                                                                             httplib::Response& response) {
    if (response.status == 413) {
      write_response(too_large(to_request(request)), response);
    } else if (response.body.empty()) {
      common::Error error = response.status == 404 ? common::Error::not_found("unknown path " + request.path)
                                                   : common::Error::invalid("malformed HTTP request");
      common::HttpResponse answer = error_response(error, request.path);
      answer.status = response.status;
      write_response(answer, response);
    }
    return httplib::Server::HandlerResponse::Handled;
  }));
  int port = options.port == 0 ? server->bind_to_any_port(options.host)
                               : (server->bind_to_port(options.host, options.port) ? options.port : -1);
  if (port <= 0) {
    return common::Error::io("cannot listen on " + options.host + ":" + std::to_string(options.port) +
                             " (address in use, or not an address of this machine?)");
  }
  impl_->port = port;
  impl_->tls = options.tls != nullptr;
  impl_->server = std::move(server);
  httplib::Server* raw = impl_->server.get();
  impl_->listen_returned = false;
  impl_->thread = std::thread([raw, impl = impl_.get()] {
    raw->listen_after_bind();
    impl->listen_returned = true;
  });
  return common::Status::success();
}

void HttpServer::stop() {
  if (!impl_->server) return;
  // httplib's stop() does nothing until the accept loop has started: wait for it (it starts at
  // once; the loop is bounded by the listening thread either running or having returned).
  while (!impl_->server->is_running() && !impl_->listen_returned) std::this_thread::yield();
  impl_->server->stop();
  if (impl_->thread.joinable()) impl_->thread.join();
  impl_->server.reset();
  impl_->port = 0;
}

bool HttpServer::running() const { return impl_->server != nullptr; }
int HttpServer::port() const { return impl_->port; }
bool HttpServer::tls() const { return impl_->tls; }

}  // namespace dcisim::mockdci
