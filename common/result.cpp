#include "common/result.h"

#include <cstdio>

namespace dcisim::common {

const char* error_kind_name(ErrorKind kind) {
  switch (kind) {
    case ErrorKind::invalid_argument: return "invalid_argument";
    case ErrorKind::not_found: return "not_found";
    case ErrorKind::conflict: return "conflict";
    case ErrorKind::unauthorized: return "unauthorized";
    case ErrorKind::forbidden: return "forbidden";
    case ErrorKind::unavailable: return "unavailable";
    case ErrorKind::io: return "io";
    case ErrorKind::internal: return "internal";
  }
  return "unknown";
}

void assertion_failed(const char* expression, const char* message, const char* file, int line) {
  std::fprintf(stderr, "dcisim: assertion failed at %s:%d: %s (%s)\n", file, line, message,
               expression);
  std::fflush(stderr);
  std::abort();
}

}  // namespace dcisim::common
