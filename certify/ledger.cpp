#include "certify/ledger.h"

#include <fcntl.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <filesystem>
#include <map>

#include "common/json_input.h"
#include "common/json_text.h"

namespace dcisim::certify {

using common::Error;
using common::Result;
using common::Status;

namespace {

constexpr size_t kMaxLedgerBytes = 64 * 1024 * 1024;

std::string os_error() { return std::strerror(errno); }

Status write_all(int fd, const std::string& text, const std::string& path) {
  size_t written = 0;
  while (written < text.size()) {
    ssize_t n = ::write(fd, text.data() + written, text.size() - written);
    if (n < 0 && errno == EINTR) continue;
    if (n <= 0) return Error::io("ledger " + path + ": cannot write: " + os_error());
    written += static_cast<size_t>(n);
  }
  if (::fsync(fd) != 0) return Error::io("ledger " + path + ": cannot sync to disk: " + os_error());
  return Status::success();
}

std::string text_of(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_string() ? it->get<std::string>() : "";
}

int64_t int_of(const Json& object, const char* key) {
  auto it = object.find(key);
  return it != object.end() && it->is_number_integer() ? it->get<int64_t>() : 0;
}

ServerBefore server_of(const Json& entry) {
  const Json& before = entry.contains("before") && entry["before"].is_object() ? entry["before"] : Json::object();
  ServerBefore server;
  server.server_id = int_of(entry, "server");
  server.owner_email = text_of(before, "owner_email");
  server.power = text_of(before, "power");
  server.state = text_of(before, "state");
  server.ports_up = !before.contains("ports_up") || before["ports_up"] != false;
  return server;
}

// Folds the entries into what a cleanup needs.
Result<LedgerContents> fold(const std::vector<Json>& entries, const std::string& path) {
  LedgerContents out;
  if (entries.empty() || text_of(entries[0], "kind") != "header" || text_of(entries[0], "format") != kLedgerFormat) {
    return Error::invalid(path + ": not a dcisim teardown ledger (its first line must be the header)");
  }
  const Json& header = entries[0];
  out.header.endpoint = text_of(header, "endpoint");
  out.header.admin_email = text_of(header, "admin_email");
  out.header.command = text_of(header, "command");
  out.header.seed = static_cast<uint64_t>(int_of(header, "seed"));
  if (header.contains("routes") && header["routes"].is_object()) out.header.routes = header["routes"];
  std::map<int64_t, size_t> user_of_seq;  // the change seq that created a user -> its index
  for (size_t i = 1; i < entries.size(); ++i) {
    const Json& entry = entries[i];
    std::string kind = text_of(entry, "kind");
    if (kind == "server") {
      ServerBefore server = server_of(entry);
      bool known = false;
      for (const ServerBefore& s : out.servers) known = known || s.server_id == server.server_id;
      if (!known && server.server_id > 0) out.servers.push_back(server);
    } else if (kind == "change") {
      out.changes.push_back(entry);
      if (text_of(entry, "route") == "user.create") {
        std::string email = text_of(entry, "email");
        size_t index = out.users.size();
        for (size_t u = 0; u < out.users.size(); ++u) {
          if (out.users[u].email == email) index = u;
        }
        if (index == out.users.size()) out.users.push_back({email, 0, false});
        out.users[index].id = 0;
        out.users[index].refused = false;
        user_of_seq[int_of(entry, "seq")] = index;
      }
    } else if (kind == "result") {
      auto user = user_of_seq.find(int_of(entry, "seq"));
      if (user != user_of_seq.end()) {
        int64_t status = int_of(entry, "status");
        out.users[user->second].refused = status >= 300 && status != 0;
        out.users[user->second].id = int_of(entry, "id");
      }
    }
  }
  const Json& last = entries.back();
  out.cleaned = text_of(last, "kind") == "cleanup" && text_of(last, "outcome") == "done";
  return out;
}

// `complete_bytes` gets the length of the file up to the end of its last whole entry.
Result<std::vector<Json>> read_entries(const std::string& path, bool* torn, size_t* complete_bytes = nullptr) {
  Result<std::string> text = common::read_text_file(path, kMaxLedgerBytes);
  if (!text) return text.error();
  std::vector<Json> entries;
  size_t at = 0;
  size_t line_number = 0;
  if (complete_bytes != nullptr) *complete_bytes = 0;
  while (at < text->size()) {
    size_t end = text->find('\n', at);
    bool last = end == std::string::npos;
    std::string line = text->substr(at, last ? std::string::npos : end - at);
    size_t line_start = at;
    at = last ? text->size() : end + 1;
    ++line_number;
    if (line.empty()) continue;
    Result<Json> entry = common::parse_json_text(line, path + ":" + std::to_string(line_number), false);
    if (!entry || !entry->is_object()) {
      // Only the very last line may be torn: a crash while it was written. Anything else is damage.
      if (last || text->find_first_not_of(" \t\r\n", at) == std::string::npos) {
        *torn = true;
        if (complete_bytes != nullptr) *complete_bytes = line_start;
        break;
      }
      return Error::invalid(path + ":" + std::to_string(line_number) + ": not a ledger entry (expected one JSON object per line)");
    }
    entries.push_back(std::move(entry).value());
    if (complete_bytes != nullptr) *complete_bytes = at;
  }
  return entries;
}

}  // namespace

Json server_before_json(const ServerBefore& server) {
  return {{"owner_email", server.owner_email}, {"power", server.power}, {"state", server.state}, {"ports_up", server.ports_up}};
}

Result<LedgerContents> Ledger::read(const std::string& path) {
  bool torn = false;
  DCISIM_ASSIGN_OR_RETURN(std::vector<Json> entries, read_entries(path, &torn));
  DCISIM_ASSIGN_OR_RETURN(LedgerContents contents, fold(entries, path));
  contents.torn_last_line = torn;
  return contents;
}

Result<std::unique_ptr<Ledger>> Ledger::create(const std::string& path, const LedgerHeader& header) {
  std::error_code ec;
  if (std::filesystem::exists(path, ec)) {
    Result<LedgerContents> existing = read(path);
    if (!existing) {
      return Error::conflict("ledger " + path + " exists and cannot be read (" + existing.error().message +
                             "); move it away, or undo it with dcisim certify --cleanup " + path);
    }
    if (!existing->cleaned && !existing->changes.empty()) {
      return Error::conflict("ledger " + path + " holds changes to " + existing->header.endpoint +
                             " that were not undone: run dcisim certify --cleanup " + path + " first");
    }
  }
  std::filesystem::path parent = std::filesystem::path(path).parent_path();
  if (!parent.empty()) std::filesystem::create_directories(parent, ec);
  int fd = ::open(path.c_str(), O_WRONLY | O_CREAT | O_TRUNC | O_CLOEXEC, 0600);
  if (fd < 0) return Error::io("ledger " + path + ": cannot create: " + os_error());
  std::unique_ptr<Ledger> ledger(new Ledger(path, fd, 1));
  Json entry = {{"kind", "header"}, {"format", kLedgerFormat}, {"version", 1}, {"endpoint", header.endpoint},
                {"admin_email", header.admin_email}, {"command", header.command},
                {"seed", static_cast<int64_t>(header.seed)}, {"routes", header.routes}};
  DCISIM_RETURN_IF_ERROR(ledger->append(entry));
  return ledger;
}

Result<std::unique_ptr<Ledger>> Ledger::open_existing(const std::string& path) {
  bool torn = false;
  size_t complete = 0;
  DCISIM_ASSIGN_OR_RETURN(std::vector<Json> entries, read_entries(path, &torn, &complete));
  DCISIM_RETURN_IF_ERROR(fold(entries, path));
  int64_t next = 1;
  for (const Json& entry : entries) next = std::max(next, int_of(entry, "seq") + 1);
  int fd = ::open(path.c_str(), O_WRONLY | O_APPEND | O_CLOEXEC);
  if (fd < 0) return Error::io("ledger " + path + ": cannot open to append: " + os_error());
  std::unique_ptr<Ledger> ledger(new Ledger(path, fd, next));
  // A torn last line (a crash while it was written) is cut off, so that the next entry starts
  // on a line of its own and the ledger reads whole again.
  if (torn && (::ftruncate(fd, static_cast<off_t>(complete)) != 0 || ::fsync(fd) != 0)) {
    return Error::io("ledger " + path + ": cannot cut its torn last line: " + os_error());
  }
  return ledger;
}

Ledger::~Ledger() {
  if (fd_ >= 0) ::close(fd_);
}

Status Ledger::append(const Json& entry) {
  std::string line = common::json_text(entry) + "\n";
  std::lock_guard lock(mutex_);
  return write_all(fd_, line, path_);
}

Result<int64_t> Ledger::record_change(Json change) {
  int64_t seq = 0;
  {
    std::lock_guard lock(mutex_);
    seq = next_seq_++;
  }
  change["kind"] = "change";
  change["seq"] = seq;
  DCISIM_RETURN_IF_ERROR(append(change));
  return seq;
}

Status Ledger::record_result(int64_t seq, int http_status, int64_t created_id) {
  Json entry = {{"kind", "result"}, {"seq", seq}, {"status", http_status}};
  if (created_id > 0) entry["id"] = created_id;
  return append(entry);
}

Status Ledger::record_server(const ServerBefore& server) {
  return append({{"kind", "server"}, {"server", server.server_id}, {"before", server_before_json(server)}});
}

}  // namespace dcisim::certify
