// The request journal: a bounded ring of the last `capacity` requests the emulator answered
// (time on the emulator's clock, method, path with query, status, duration, who). Token values
// never enter it: no headers or bodies are kept, and a token written into a path
// (DELETE /auth/v4/token/<value>) is replaced by "<redacted>". Thread-safe.
#pragma once

#include <cstdint>
#include <mutex>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/http.h"
#include "common/time.h"

namespace dcisim::mockdci {

struct JournalEntry {
  common::Instant time;    // the emulator's clock when the request arrived
  std::string method;
  std::string target;      // path and query, percent-encoded, secrets redacted
  int status = 0;
  int64_t duration_us = 0; // wall time spent answering (measurement only; varies run to run)
  std::string user;        // the caller's e-mail, "control" for the control API, "" when unknown
  std::string fault;       // the fault rule that answered or broke it ("fault 2 (reset ...)"), "" when none
};

class Journal {
 public:
  explicit Journal(size_t capacity);

  void add(JournalEntry entry);
  // The last `n` entries (fewer when fewer were kept), oldest first.
  std::vector<JournalEntry> last(size_t n) const;
  uint64_t total() const;  // entries ever added, including those the ring dropped
  size_t capacity() const { return capacity_; }

 private:
  const size_t capacity_;
  mutable std::mutex mutex_;
  std::vector<JournalEntry> ring_;
  size_t next_ = 0;  // where the next entry goes once the ring is full
  uint64_t total_ = 0;
};

// The request's target for the journal, with token values redacted.
std::string journal_target(const common::HttpRequest& request);
nlohmann::json journal_entry_json(const JournalEntry& entry);

}  // namespace dcisim::mockdci
