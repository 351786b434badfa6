#include "reports/file_output.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>

namespace dcisim::reports {

namespace {

common::Error io_error(const std::string& path, const std::string& what, int error_number) {
  return common::Error::io(path + ": " + what + ": " + std::strerror(error_number));
}

}  // namespace

common::Status write_file_atomically(const std::string& path, std::string_view content) {
  if (path.empty()) return common::Error::invalid("report path is empty");
  std::filesystem::path target(path);
  std::error_code ec;
  if (target.has_parent_path()) {
    std::filesystem::create_directories(target.parent_path(), ec);
    if (ec) return common::Error::io(path + ": cannot create the folder: " + ec.message());
  }
  std::string temporary = path + ".tmp";
  std::FILE* file = std::fopen(temporary.c_str(), "wb");
  if (file == nullptr) return io_error(path, "cannot open " + temporary + " for writing", errno);
  size_t written = std::fwrite(content.data(), 1, content.size(), file);
  int write_errno = errno;
  bool flushed = std::fflush(file) == 0;
  bool closed = std::fclose(file) == 0;
  if (written != content.size() || !flushed || !closed) {
    std::remove(temporary.c_str());
    return io_error(path, "cannot write " + temporary, write_errno);
  }
  std::filesystem::rename(temporary, target, ec);
  if (ec) {
    std::remove(temporary.c_str());
    return common::Error::io(path + ": cannot rename " + temporary + " into place: " + ec.message());
  }
  return common::Status::success();
}

}  // namespace dcisim::reports
