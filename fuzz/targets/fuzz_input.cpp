#include "fuzz/targets/fuzz_input.h"

#include <cstdio>
#include <cstdlib>

namespace dcisim::fuzz {

void fail(const std::string& what) {
  std::fprintf(stderr, "fuzz target: broken promise: %s\n", what.c_str());
  std::abort();
}

}  // namespace dcisim::fuzz
