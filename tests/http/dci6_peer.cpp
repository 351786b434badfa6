#include "dci6_peer.h"

#include <cstdlib>
#include <filesystem>
#include <stdexcept>

#include <arpa/inet.h>
#include <netinet/in.h>
#include <sys/socket.h>
#include <unistd.h>

#include <httplib.h>
#include <openssl/evp.h>
#include <openssl/pem.h>
#include <openssl/x509.h>
#include <openssl/x509v3.h>

namespace dcisim::testing {

namespace {

const std::string* find_in(const common::HeaderList& list, const std::string& name, bool ignore_case) {
  for (const auto& [key, value] : list) {
    if (ignore_case ? common::iequals(key, name) : key == name) return &value;
  }
  return nullptr;
}

SeenRequest seen_from(const httplib::Request& request) {
  SeenRequest seen;
  seen.method = request.method;
  seen.path = request.path;
  seen.target = request.target;
  size_t question = request.target.find('?');
  if (question != std::string::npos) seen.query = common::parse_query_string(request.target.substr(question + 1));
  for (const auto& [name, value] : request.headers) seen.headers.emplace_back(name, value);
  seen.body = request.body;
  return seen;
}

void add_extension(X509* cert, X509V3_CTX* context, int nid, const std::string& value) {
  X509_EXTENSION* extension = X509V3_EXT_conf_nid(nullptr, context, nid, value.c_str());
  if (extension == nullptr) throw std::runtime_error("X509V3_EXT_conf_nid failed for " + value);
  X509_add_ext(cert, extension, -1);
  X509_EXTENSION_free(extension);
}

}  // namespace

const std::string* SeenRequest::header(const std::string& name) const { return find_in(headers, name, true); }
const std::string* SeenRequest::param(const std::string& name) const { return find_in(query, name, false); }

ScriptedPeer::ScriptedPeer(PeerScript script, const Tls* tls) : script_(std::move(script)) {
  if (tls != nullptr) {
    server_ = std::make_unique<httplib::SSLServer>(tls->cert_file.c_str(), tls->key_file.c_str());
    https_ = true;
  } else {
    server_ = std::make_unique<httplib::Server>();
  }
  auto handler = [this](const httplib::Request& request, httplib::Response& response) {
    SeenRequest seen = seen_from(request);
    {
      std::lock_guard<std::mutex> lock(mutex_);
      seen_.push_back(seen);
    }
    common::HttpResponse answer = script_(seen);
    response.status = answer.status;
    std::string content_type = "application/json";
    for (const auto& [name, value] : answer.headers) {
      if (common::iequals(name, "Content-Type")) content_type = value;
      else response.set_header(name, value);
    }
    response.set_content(answer.body, content_type);
  };
  server_->Get(".*", handler);
  server_->Post(".*", handler);
  server_->Delete(".*", handler);
  port_ = server_->bind_to_any_port("127.0.0.1");
  if (port_ <= 0) throw std::runtime_error("the scripted peer could not bind 127.0.0.1");
  // bind_to_any_port also listens: connections queue until the accept loop below takes them.
  thread_ = std::thread([this] { server_->listen_after_bind(); });
}

ScriptedPeer::~ScriptedPeer() {
  server_->stop();
  thread_.join();
}

std::string ScriptedPeer::base_url() const {
  return std::string(https_ ? "https" : "http") + "://127.0.0.1:" + std::to_string(port_);
}

std::vector<SeenRequest> ScriptedPeer::requests() const {
  std::lock_guard<std::mutex> lock(mutex_);
  return seen_;
}

size_t ScriptedPeer::count(const std::string& method, const std::string& path) const {
  std::lock_guard<std::mutex> lock(mutex_);
  size_t n = 0;
  for (const SeenRequest& seen : seen_) n += seen.method == method && seen.path == path ? 1 : 0;
  return n;
}

int closed_port() {
  int fd = ::socket(AF_INET, SOCK_STREAM, 0);
  sockaddr_in address{};
  address.sin_family = AF_INET;
  address.sin_addr.s_addr = htonl(INADDR_LOOPBACK);
  address.sin_port = 0;
  socklen_t length = sizeof(address);
  if (fd < 0 || ::bind(fd, reinterpret_cast<sockaddr*>(&address), sizeof(address)) != 0 ||
      ::getsockname(fd, reinterpret_cast<sockaddr*>(&address), &length) != 0) {
    throw std::runtime_error("could not find a free port");
  }
  ::close(fd);  // bound but never listening, now closed: connecting is refused
  return ntohs(address.sin_port);
}

TestCertificate make_self_signed_certificate(const std::vector<std::string>& dns_names,
                                             const std::vector<std::string>& ip_addresses) {
  std::string pattern = (std::filesystem::temp_directory_path() / "dcisim-tls-XXXXXX").string();
  if (mkdtemp(pattern.data()) == nullptr) throw std::runtime_error("mkdtemp failed");
  TestCertificate out{pattern, pattern + "/cert.pem", pattern + "/key.pem"};

  EVP_PKEY* key = EVP_EC_gen("P-256");
  X509* cert = X509_new();
  X509_set_version(cert, 2);
  ASN1_INTEGER_set(X509_get_serialNumber(cert), 1);
  // Certificate validity is checked by OpenSSL against the real time; an hour either side.
  X509_gmtime_adj(X509_getm_notBefore(cert), -3600);
  X509_gmtime_adj(X509_getm_notAfter(cert), 3600);
  X509_set_pubkey(cert, key);
  X509_NAME* name = X509_get_subject_name(cert);
  X509_NAME_add_entry_by_txt(name, "CN", MBSTRING_ASC, reinterpret_cast<const unsigned char*>("dcisim test"), -1, -1, 0);
  X509_set_issuer_name(cert, name);
  X509V3_CTX context;
  X509V3_set_ctx_nodb(&context);
  X509V3_set_ctx(&context, cert, cert, nullptr, nullptr, 0);
  std::string alt_names;
  for (const std::string& dns : dns_names) alt_names += (alt_names.empty() ? "DNS:" : ",DNS:") + dns;
  for (const std::string& ip : ip_addresses) alt_names += (alt_names.empty() ? "IP:" : ",IP:") + ip;
  add_extension(cert, &context, NID_basic_constraints, "critical,CA:TRUE");
  add_extension(cert, &context, NID_subject_key_identifier, "hash");
  add_extension(cert, &context, NID_subject_alt_name, alt_names);
  X509_sign(cert, key, EVP_sha256());

  BIO* cert_out = BIO_new_file(out.cert_file.c_str(), "w");
  PEM_write_bio_X509(cert_out, cert);
  BIO_free(cert_out);
  BIO* key_out = BIO_new_file(out.key_file.c_str(), "w");
  PEM_write_bio_PrivateKey(key_out, key, nullptr, nullptr, 0, nullptr, nullptr);
  BIO_free(key_out);
  X509_free(cert);
  EVP_PKEY_free(key);
  return out;
}

void Gate::open() {
  std::lock_guard<std::mutex> lock(mutex_);
  opened_ = true;
  opened_cv_.notify_all();
}

bool Gate::wait(common::Duration bound) {
  std::unique_lock<std::mutex> lock(mutex_);
  return opened_cv_.wait_for(lock, std::chrono::milliseconds(bound.count_ms()), [this] { return opened_; });
}

common::HttpResponse json_response(int status, const std::string& body) {
  common::HttpResponse response;
  response.status = status;
  response.body = body;
  return response;
}

}  // namespace dcisim::testing
