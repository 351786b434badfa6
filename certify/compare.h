// `certify --compare`: the live system's answers beside the embedded emulator's to the same
// read-only probes, LocalStack-style: answers normalised (ids as aliases such as <server:1> in
// order of appearance, times as <time>, secrets redacted) and diffed field by field. The result
// lists every field, type, status and spelling the live system has that the emulator lacks, and
// the reverse: what an operator sends upstream as fidelity fixes for the emulator.
#pragma once

#include <map>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "certify/checks.h"
#include "certify/probes.h"

namespace dcisim::certify {

using Json = nlohmann::json;

// Ids and times as stable aliases. One table per side: the n-th server id seen is <server:n>.
class Aliases {
 public:
  std::string alias(const std::string& kind, int64_t id);

 private:
  std::map<std::string, std::map<int64_t, int>> seen_;
};

// `value` with ids (members "id", "*_id" and known references) and times replaced by aliases.
// `kind` names what the value's own "id" is ("server", "ip", ...).
Json normalise(const Json& value, const std::string& kind, Aliases& aliases);

// The differences between the two sides' records, probe by probe (same key, same occurrence).
std::vector<Difference> diff_records(const std::vector<ProbeRecord>& live, const std::vector<ProbeRecord>& emulator);

}  // namespace dcisim::certify
