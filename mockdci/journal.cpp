#include "mockdci/journal.h"

#include <algorithm>

namespace dcisim::mockdci {

Journal::Journal(size_t capacity) : capacity_(std::max<size_t>(capacity, 1)) {}

void Journal::add(JournalEntry entry) {
  std::lock_guard lock(mutex_);
  ++total_;
  if (ring_.size() < capacity_) {
    ring_.push_back(std::move(entry));
    return;
  }
  ring_[next_] = std::move(entry);
  next_ = (next_ + 1) % capacity_;
}

std::vector<JournalEntry> Journal::last(size_t n) const {
  std::lock_guard lock(mutex_);
  size_t count = std::min(n, ring_.size());
  std::vector<JournalEntry> out;
  out.reserve(count);
  // Oldest kept entry is at next_ once the ring is full, at 0 before.
  size_t oldest = ring_.size() < capacity_ ? 0 : next_;
  for (size_t i = ring_.size() - count; i < ring_.size(); ++i) out.push_back(ring_[(oldest + i) % ring_.size()]);
  return out;
}

uint64_t Journal::total() const {
  std::lock_guard lock(mutex_);
  return total_;
}

std::string journal_target(const common::HttpRequest& request) {
  // DELETE /api/auth/v4/token/{token_id} accepts the token's value in place of its id.
  for (const char* prefix : {"/api/auth/v4/token/", "/auth/v4/token/"}) {
    std::string_view path = request.path;
    if (path.substr(0, std::string_view(prefix).size()) != prefix) continue;
    std::string_view rest = path.substr(std::string_view(prefix).size());
    bool numeric = !rest.empty() && std::all_of(rest.begin(), rest.end(), [](char c) { return c >= '0' && c <= '9'; });
    if (numeric) break;
    common::HttpRequest copy = request;
    copy.path = std::string(prefix) + "<redacted>";
    return copy.target();
  }
  return request.target();
}

nlohmann::json journal_entry_json(const JournalEntry& entry) {
  return {{"time", common::format_instant(entry.time)},
          {"method", entry.method},
          {"path", entry.target},
          {"status", entry.status},
          {"duration_us", entry.duration_us},
          {"user", entry.user},
          {"fault", entry.fault}};
}

}  // namespace dcisim::mockdci
