// Cuts a fuzzer's input into the typed pieces a target needs (a small byte, a bounded string, a
// choice among options, the rest), the same way on every compiler: the targets also build with
// GCC, without libFuzzer, to replay their corpora as tests. Reading past the end gives zeros and
// empty strings, never an error: every input is a valid (if short) program for the target.
#pragma once

#include <cstddef>
#include <algorithm>
#include <cstdint>
#include <initializer_list>
#include <string>
#include <string_view>

namespace dcisim::fuzz {

class FuzzInput {
 public:
  FuzzInput(const uint8_t* data, size_t size) : data_(data), size_(size) {}

  bool empty() const { return pos_ >= size_; }
  uint8_t byte() { return empty() ? 0 : data_[pos_++]; }
  bool flag() { return (byte() & 1) != 0; }
  // A number in 0..n-1 (n > 0).
  size_t below(size_t n) { return n == 0 ? 0 : byte() % n; }
  // A string of at most `max_bytes`: its length is the next byte (two bytes, big-endian, when
  // max_bytes > 255) modulo max_bytes + 1, then that many bytes (fewer at the end of the input).
  std::string text(size_t max_bytes) {
    size_t length = byte();
    if (max_bytes > 255) length = length << 8 | byte();
    length %= max_bytes + 1;
    length = std::min(length, size_ - std::min(pos_, size_));
    std::string out(reinterpret_cast<const char*>(data_ + std::min(pos_, size_)), length);
    pos_ += length;
    return out;
  }
  // One of `options`.
  std::string_view pick(std::initializer_list<std::string_view> options) {
    return *(options.begin() + below(options.size()));
  }
  // Everything not read yet.
  std::string rest() {
    if (empty()) return "";
    std::string out(reinterpret_cast<const char*>(data_ + pos_), size_ - pos_);
    pos_ = size_;
    return out;
  }

 private:
  const uint8_t* data_;
  size_t size_;
  size_t pos_ = 0;
};

// Stops the process in a way every fuzzer and test runner reports, with what went wrong.
[[noreturn]] void fail(const std::string& what);

}  // namespace dcisim::fuzz
