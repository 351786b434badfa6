// Invariant assertions that stay on in every build type. An assertion that fires in a simulation
// run is a found bug: it prints where and why, then aborts.
#pragma once

namespace dcisim::common {
[[noreturn]] void assertion_failed(const char* expression, const char* message, const char* file,
                                   int line);
}

#define DCISIM_ASSERT(condition, message)                                                   \
  do {                                                                                      \
    if (!(condition)) ::dcisim::common::assertion_failed(#condition, message, __FILE__, __LINE__); \
  } while (0)
