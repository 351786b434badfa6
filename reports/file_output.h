// Writing a report file whole or not at all: the content goes to "<path>.tmp" and is renamed
// over `path` only when every byte is on disk, so a reader (a CI system picking up junit.xml)
// never sees a half-written report, and a failed write leaves the previous file in place.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"

namespace dcisim::reports {

// Creates the parent folder when missing. Errors (ErrorKind::io) name the path and the reason.
common::Status write_file_atomically(const std::string& path, std::string_view content);

}  // namespace dcisim::reports
