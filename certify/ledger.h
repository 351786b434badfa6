// The teardown ledger: what a live run or a certification cycle changed on a DCImanager, written
// BEFORE each change is sent, so that whatever happens next (a failure, Ctrl-C, a crash, a kill)
// `dcisim certify --cleanup LEDGER` can undo it. One JSON object per line, each line flushed to
// the disk (fsync) before the change it announces goes out; a line cut short by a crash is
// ignored when the ledger is read back. No credential is ever written to it.
//
// Entries ("kind"):
//   header   once, first: the endpoint, the administrator's e-mail, the command, the seed and
//            the route overrides in force (cleanup uses the same routes)
//   server   a server the run may change, as it was before ("before": owner, power, state, ports)
//   change   a request about to be sent: its route, method, path, the server or user it touches
//   result   the answer to a change: HTTP status and the id it created, if any
//   cleanup  a cleanup ran: "done" (nothing left to undo) or "incomplete" with what is left
#pragma once

#include <cstdint>
#include <memory>
#include <mutex>
#include <optional>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/result.h"

namespace dcisim::certify {

using Json = nlohmann::json;

inline constexpr const char* kLedgerFormat = "dcisim-teardown-ledger";

struct LedgerHeader {
  std::string endpoint;
  std::string admin_email;
  std::string command;   // "certify" | "run --target live"
  uint64_t seed = 0;
  Json routes = Json::object();  // the route overrides in force ({"server.issue": "POST ..."})
};

// A server as it was before the run touched it.
struct ServerBefore {
  int64_t server_id = 0;
  std::string owner_email;  // "" when free
  std::string power;        // "ON" | "OFF" | "UNKNOWN"
  std::string state;
  bool ports_up = true;
};

// A DCImanager user the run asked to create.
struct CreatedUser {
  std::string email;
  int64_t id = 0;        // 0 when the answer was lost (a crash between request and answer)
  bool refused = false;  // DCImanager answered an error: the run created nothing
};

struct LedgerContents {
  LedgerHeader header;
  std::vector<ServerBefore> servers;  // one per server, the first snapshot
  std::vector<CreatedUser> users;     // in creation order, one per e-mail (the last attempt)
  std::vector<Json> changes;          // every change entry, in order
  bool cleaned = false;               // the last entry is a cleanup that left nothing to undo
  bool torn_last_line = false;        // the last line was cut short (a crash while writing it)
};

class Ledger {
 public:
  // Starts a new ledger at `path`. An existing ledger there is replaced only when it was cleaned
  // up (or never recorded a change); otherwise the error says to run the cleanup first.
  static common::Result<std::unique_ptr<Ledger>> create(const std::string& path, const LedgerHeader& header);
  // Opens an existing ledger to append to (the cleanup writes its outcome).
  static common::Result<std::unique_ptr<Ledger>> open_existing(const std::string& path);
  // Reads a ledger; errors name the file and the line.
  static common::Result<LedgerContents> read(const std::string& path);
  ~Ledger();
  Ledger(const Ledger&) = delete;
  Ledger& operator=(const Ledger&) = delete;

  // Appends one entry and syncs it to the disk before returning. Thread-safe.
  common::Status append(const Json& entry);
  // A change about to be sent; returns its sequence number (for the matching `result`).
  common::Result<int64_t> record_change(Json change);
  common::Status record_result(int64_t seq, int http_status, int64_t created_id);
  common::Status record_server(const ServerBefore& server);

  const std::string& path() const { return path_; }

 private:
  Ledger(std::string path, int fd, int64_t next_seq) : path_(std::move(path)), fd_(fd), next_seq_(next_seq) {}

  std::string path_;
  int fd_ = -1;
  std::mutex mutex_;
  int64_t next_seq_ = 1;
};

Json server_before_json(const ServerBefore& server);

}  // namespace dcisim::certify
