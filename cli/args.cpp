#include "cli/args.h"

#include <cctype>
#include <charconv>

namespace dcisim::cli {

using common::Error;
using common::Result;

Result<Args> Args::parse(const std::vector<std::string>& words, const std::vector<FlagSpec>& flags) {
  Args args;
  for (size_t i = 0; i < words.size(); ++i) {
    const std::string& word = words[i];
    if (word == "--") {  // the end of options: every word after it is positional, "-x" included
      args.positional_.insert(args.positional_.end(), words.begin() + static_cast<long>(i) + 1, words.end());
      break;
    }
    bool long_flag = word.rfind("--", 0) == 0 && word.size() > 2;
    // "-j 2" and "-j2": a dash and one letter (a lone "-" or "-5" is a positional word).
    bool short_flag = !long_flag && word.size() >= 2 && word[0] == '-' && std::isalpha(static_cast<unsigned char>(word[1]));
    if (!long_flag && !short_flag) {
      args.positional_.push_back(word);
      continue;
    }
    size_t eq = short_flag ? (word.size() > 2 ? 2 : std::string::npos) : word.find('=');
    std::string name = word.substr(0, eq);
    const FlagSpec* spec = nullptr;
    for (const FlagSpec& flag : flags) spec = flag.name == name ? &flag : spec;
    if (spec == nullptr) return Error::invalid("unknown option " + name);
    if (args.values_.count(name) && !spec->repeatable) return Error::invalid(name + " is given twice");
    if (!spec->takes_value) {
      if (eq != std::string::npos) return Error::invalid(name + " takes no value");
      args.values_[name].push_back("");
    } else if (eq != std::string::npos) {
      args.values_[name].push_back(word.substr(short_flag ? eq : eq + 1));
    } else if (i + 1 < words.size()) {
      args.values_[name].push_back(words[++i]);
    } else {
      return Error::invalid(name + " needs a value");
    }
  }
  return args;
}

std::optional<std::string> Args::value(const std::string& flag) const {
  auto it = values_.find(flag);
  if (it == values_.end()) return std::nullopt;
  return it->second.back();
}

std::vector<std::string> Args::values(const std::string& flag) const {
  auto it = values_.find(flag);
  return it == values_.end() ? std::vector<std::string>() : it->second;
}

Result<int64_t> parse_int_flag(const std::string& flag, const std::string& text, int64_t min, int64_t max) {
  int64_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (text.empty() || ec != std::errc() || end != text.data() + text.size() || value < min || value > max) {
    return Error::invalid(flag + " expects an integer in " + std::to_string(min) + ".." + std::to_string(max) +
                          ", got \"" + text + "\"");
  }
  return value;
}

}  // namespace dcisim::cli
