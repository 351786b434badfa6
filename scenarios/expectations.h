// Checking an `expect` step against the world: billing's side (status, flags, expiredate,
// charges, history, balance, tasks) and the emulator's (server owner, power, ports, addresses,
// free counts). Every mismatch says what was expected, what was found, and which key of the
// step asked for it.
#pragma once

#include <string>
#include <vector>

#include "common/result.h"
#include "scenarios/scenario.h"
#include "scenarios/world.h"

namespace dcisim::scenarios {

struct Mismatch {
  std::string what;      // "service s1 status"
  std::string expected;  // "active"
  std::string found;     // "processing"
  std::string key;       // where the expectation is written, relative to the step's "expect"
                         // object: "/status", "/server/owner", "/history/2"
};

// The mismatches (empty: the expectation holds); an error when the world could not be read.
common::Result<std::vector<Mismatch>> check_expectation(const ExpectStep& expect, World& world);

}  // namespace dcisim::scenarios
