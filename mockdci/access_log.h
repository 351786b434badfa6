// The access log of `dcisim serve --access-log FILE|-`: one line per answer the socket server
// sent (or meant to send), fields separated by one space:
//
//   2026-01-01T12:00:00.123Z GET /api/dci/v3/server/1 200 0.081ms
//   2026-01-01T12:00:01.000Z POST /api/auth/v4/public/token 413 0.020ms by-server
//
// time (real UTC time when the answer was done), method ("-" when none was read), path with query
// (percent-encoded query, token values redacted as in the journal; spaces and control bytes as
// %XX, bytes that are not UTF-8 as U+FFFD, cut at 2,000 bytes), status, duration in milliseconds
// from the request's first byte to its answer's last byte, then tags when they apply: `by-server`
// (the HTTP layer answered: a limit, a malformed request, a timeout), `delivery=<mode>` (a
// broken Delivery), `incomplete` (the connection ended before the answer was out).
//
// Lines go through a bounded queue to the log's own writer thread, so that a slow disk or a pipe
// nobody reads never holds an event loop: beyond kMaxQueuedLines, lines are dropped, and a line
// "access log: N lines dropped" says so once there is room again. Thread-safe.
#pragma once

#include <condition_variable>
#include <cstdio>
#include <deque>
#include <memory>
#include <mutex>
#include <string>
#include <thread>

#include "common/clock.h"
#include "common/result.h"
#include "mockdci/http/exchange.h"

namespace dcisim::mockdci {

class AccessLog {
 public:
  static constexpr size_t kMaxQueuedLines = 100'000;

  // `path` "-": standard output; otherwise the file, appended to (created when missing).
  static common::Result<std::unique_ptr<AccessLog>> open(const std::string& path);
  ~AccessLog();  // writes what is queued, then stops the writer
  AccessLog(const AccessLog&) = delete;
  AccessLog& operator=(const AccessLog&) = delete;

  void add(const ExchangeRecord& record);

  // One line (without the newline), as described above.
  static std::string format(const ExchangeRecord& record, common::Instant time);

 private:
  AccessLog(std::FILE* file, bool owned);
  void write_lines();

  std::FILE* file_;
  bool owned_;
  common::RealClock clock_;
  std::mutex mutex_;
  std::condition_variable wake_;
  std::deque<std::string> queue_;  // guarded by mutex_
  uint64_t dropped_ = 0;           // guarded by mutex_
  bool stopping_ = false;          // guarded by mutex_
  std::thread writer_;
};

}  // namespace dcisim::mockdci
