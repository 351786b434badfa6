// A small command-line parser for `--flag value`, `--flag=value`, `--switch`, `-j 2` and `-j2`: every flag is
// declared, so an unknown or repeated one is an error with a message fit for one line. `--` ends
// the options: the words after it are positional even when they start with a dash.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <vector>

#include "common/result.h"

namespace dcisim::cli {

struct FlagSpec {
  std::string name;  // "--port"
  bool takes_value = true;
  bool repeatable = false;  // may be given more than once (`--allow-server 5 --allow-server 7`)
};

class Args {
 public:
  static common::Result<Args> parse(const std::vector<std::string>& words, const std::vector<FlagSpec>& flags);

  bool has(const std::string& flag) const { return values_.count(flag) > 0; }
  // The flag's value, or nullopt when it was not given (a repeatable flag: its last value).
  std::optional<std::string> value(const std::string& flag) const;
  // Every value of a repeatable flag, in command-line order (empty when not given).
  std::vector<std::string> values(const std::string& flag) const;
  const std::vector<std::string>& positional() const { return positional_; }

 private:
  std::map<std::string, std::vector<std::string>> values_;
  std::vector<std::string> positional_;
};

// Parses an integer in [min, max] for `flag`; the error names the flag and the range.
common::Result<int64_t> parse_int_flag(const std::string& flag, const std::string& text, int64_t min, int64_t max);

}  // namespace dcisim::cli
