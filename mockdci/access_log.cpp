#include "mockdci/access_log.h"

#include <cerrno>

#include "common/json_text.h"
#include "mockdci/http/socket.h"
#include "mockdci/journal.h"

namespace dcisim::mockdci {

namespace {

constexpr size_t kMaxTargetBytes = 2000;

// Spaces and control bytes as %XX, so that the line keeps its fields; then valid UTF-8.
std::string printable_field(std::string_view text) {
  static constexpr char kHex[] = "0123456789ABCDEF";
  std::string escaped;
  escaped.reserve(text.size());
  for (unsigned char c : text) {
    if (c <= 0x20 || c == 0x7F) {
      escaped += '%';
      escaped += kHex[c >> 4];
      escaped += kHex[c & 15];
    } else {
      escaped += static_cast<char>(c);
    }
  }
  return common::printable_utf8(escaped, kMaxTargetBytes);
}

}  // namespace

common::Result<std::unique_ptr<AccessLog>> AccessLog::open(const std::string& path) {
  if (path == "-") return std::unique_ptr<AccessLog>(new AccessLog(stdout, false));
  std::FILE* file = std::fopen(path.c_str(), "a");
  if (file == nullptr) return common::Error::io("cannot open the access log \"" + path + "\": " + errno_text(errno));
  return std::unique_ptr<AccessLog>(new AccessLog(file, true));
}

AccessLog::AccessLog(std::FILE* file, bool owned) : file_(file), owned_(owned) {
  writer_ = std::thread([this] { write_lines(); });
}

AccessLog::~AccessLog() {
  {
    std::lock_guard lock(mutex_);
    stopping_ = true;
  }
  wake_.notify_one();
  writer_.join();
  if (owned_) {
    std::fclose(file_);
  } else {
    std::fflush(file_);
  }
}

std::string AccessLog::format(const ExchangeRecord& record, common::Instant time) {
  std::string line = common::format_instant(time);
  if (time.unix_ms() % 1000 == 0) line.insert(line.size() - 1, ".000");  // fixed width
  line += ' ';
  line += record.request.method.empty() ? "-" : printable_field(record.request.method);
  line += ' ';
  std::string target = journal_target(record.request);
  line += target.empty() ? "-" : printable_field(target);
  line += ' ';
  line += std::to_string(record.status);
  char duration[32];
  std::snprintf(duration, sizeof duration, " %.3fms", static_cast<double>(record.duration_us) / 1000.0);
  line += duration;
  if (record.answered_by_server) line += " by-server";
  if (record.delivery != common::Delivery::Mode::normal) {
    line += " delivery=";
    line += common::delivery_mode_name(record.delivery);
  }
  if (!record.completed) line += " incomplete";
  return line;
}

void AccessLog::add(const ExchangeRecord& record) {
  std::string line = format(record, clock_.now());
  line += '\n';
  bool was_empty = false;
  {
    std::lock_guard lock(mutex_);
    if (queue_.size() >= kMaxQueuedLines) {
      ++dropped_;
      return;
    }
    was_empty = queue_.empty();
    queue_.push_back(std::move(line));
  }
  if (was_empty) wake_.notify_one();
}

void AccessLog::write_lines() {
  std::deque<std::string> batch;
  while (true) {
    uint64_t dropped = 0;
    bool stopping = false;
    {
      std::unique_lock lock(mutex_);
      wake_.wait(lock, [this] { return stopping_ || !queue_.empty(); });
      batch.swap(queue_);
      dropped = dropped_;
      dropped_ = 0;
      stopping = stopping_;
    }
    for (const std::string& line : batch) std::fwrite(line.data(), 1, line.size(), file_);
    if (dropped > 0) std::fprintf(file_, "access log: %llu lines dropped (the log could not keep up)\n", static_cast<unsigned long long>(dropped));
    batch.clear();
    std::fflush(file_);
    if (stopping) return;
  }
}

}  // namespace dcisim::mockdci
