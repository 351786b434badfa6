#include "scenarios/parse.h"

#include <algorithm>
#include <filesystem>

#include "scenarios/limits.h"
#include "scenarios/parse_internal.h"

namespace dcisim::scenarios {

using common::Error;
using common::JsonNode;
using common::Result;
using common::Status;

namespace detail {

std::string join(const std::set<std::string>& names) {
  if (names.empty()) return "none yet";
  std::string out;
  for (const std::string& name : names) out += (out.empty() ? "" : ", ") + name;
  return out;
}

Result<std::string> read_reference(const JsonNode& node, const std::set<std::string>& defined,
                                   const char* kind, const char* how_to_define) {
  DCISIM_ASSIGN_OR_RETURN(std::string name, node.non_empty_string());
  if (defined.count(name) == 0) {
    return node.error_message(std::string(kind) + " \"" + name +
                              "\" is not defined before this step (defined: " + join(defined) +
                              "; " + how_to_define + ")");
  }
  return name;
}

Result<std::string> read_new_name(const JsonNode& node, std::set<std::string>& defined,
                                  const char* kind) {
  DCISIM_ASSIGN_OR_RETURN(std::string name, node.non_empty_string());
  if (!defined.insert(name).second) {
    return node.error_message(std::string(kind) + " name \"" + name +
                              "\" is already used: give each " + kind + " its own name");
  }
  return name;
}

}  // namespace detail

namespace {

Result<std::vector<std::string>> read_tags(const JsonNode& node) {
  std::vector<std::string> tags;
  if (!node.present()) return tags;
  DCISIM_RETURN_IF_ERROR(node.require_array());
  for (size_t i = 0; i < node.size(); ++i) {
    DCISIM_ASSIGN_OR_RETURN(std::string tag, node.at(i).non_empty_string());
    tags.push_back(tag);
  }
  return tags;
}

Result<std::optional<uint64_t>> read_seed(const JsonNode& node) {
  if (!node.present()) return std::optional<uint64_t>();
  const common::Json& raw = *node.raw();
  if (raw.is_number_unsigned()) return std::optional<uint64_t>(raw.get<uint64_t>());
  if (raw.is_string()) {
    const std::string& text = raw.get_ref<const std::string&>();
    uint64_t value = 0;
    bool ok = !text.empty() && text.size() <= 20;
    for (char c : text) {
      ok = ok && c >= '0' && c <= '9';
      if (ok) value = value * 10 + static_cast<uint64_t>(c - '0');
    }
    if (ok) return std::optional<uint64_t>(value);
  }
  return node.error("a non-negative integer seed (a number or a string of digits)");
}

// Where the step is in the file, and its text as written (keys in the author's order, comments
// and line breaks dropped) instead of nlohmann's re-serialisation with sorted keys.
void locate_step(Step& step, const common::JsonPositions& positions, std::string_view text) {
  std::optional<common::JsonSpan> span = positions.find(step.origin.pointer);
  if (!span) return;
  step.source = *span;
  std::optional<common::JsonSpan> args = positions.find(step.origin.pointer + "/" + common::json_pointer_escape(step.keyword));
  if (args) step.text = step.keyword + " " + common::one_line_as_written(text, args->value_begin, args->value_end, kMaxStepTextBytes);
}

}  // namespace

Result<Scenario> parse_scenario_text(std::string_view text, const std::string& file,
                                     const std::string& suite) {
  DCISIM_ASSIGN_OR_RETURN(common::Json document, common::parse_json_text(text, file, true));
  JsonNode root = JsonNode::root(document, file);
  DCISIM_RETURN_IF_ERROR(root.require_object());
  // "$schema" names the JSON Schema for editors (scenarios/schema/scenario.schema.json): checked,
  // then set aside, so that it is no member of the format itself.
  JsonNode schema = root.at("$schema");
  if (schema.present() && !schema.raw()->is_string()) return schema.error("a string: the schema's path or URL");
  document.erase("$schema");
  DCISIM_RETURN_IF_ERROR(root.only_keys({"name", "description", "tags", "seed", "fixture", "steps"}));
  Scenario scenario;
  scenario.file = file;
  scenario.suite = suite;
  DCISIM_ASSIGN_OR_RETURN(scenario.name, root.at("name").non_empty_string());
  DCISIM_ASSIGN_OR_RETURN(scenario.description, root.at("description").string_or(""));
  DCISIM_ASSIGN_OR_RETURN(scenario.tags, read_tags(root.at("tags")));
  DCISIM_ASSIGN_OR_RETURN(scenario.seed, read_seed(root.at("seed")));
  detail::Names names;
  DCISIM_ASSIGN_OR_RETURN(scenario.fixture, detail::parse_fixture(root.at("fixture"), file, names));
  JsonNode steps = root.at("steps");
  DCISIM_RETURN_IF_ERROR(steps.require_array());
  if (steps.size() == 0) return steps.error("a non-empty array of steps");
  if (steps.size() > kMaxSteps) return steps.error("at most " + std::to_string(kMaxSteps) + " steps");
  common::JsonPositions positions = common::JsonPositions::index(text);
  for (size_t i = 0; i < steps.size(); ++i) {
    DCISIM_ASSIGN_OR_RETURN(Step step, detail::parse_step(steps.at(i), names));
    locate_step(step, positions, text);
    scenario.steps.push_back(std::move(step));
  }
  scenario.source_text = std::string(text);
  return scenario;
}

Result<Scenario> load_scenario_file(const std::string& path) {
  DCISIM_ASSIGN_OR_RETURN(std::string text, common::read_text_file(path, kMaxScenarioBytes));
  std::filesystem::path p(path);
  std::string suite = p.parent_path().filename().string();
  if (suite.empty()) suite = "scenarios";
  return parse_scenario_text(text, path, suite);
}

bool is_scenario_file_name(std::string_view path) {
  std::string extension = std::filesystem::path(path).extension().string();
  return extension == ".json" || extension == ".jsonc";
}

Result<std::vector<std::string>> collect_scenario_files(const std::vector<std::string>& paths) {
  namespace fs = std::filesystem;
  std::vector<std::string> files;
  for (const std::string& path : paths) {
    std::error_code ec;
    fs::file_status status = fs::status(path, ec);
    if (ec || !fs::exists(status)) {
      return Error::invalid(path + ": no such file or folder (expected a scenario .json or .jsonc file or a folder of them)");
    }
    if (fs::is_directory(status)) {
      std::vector<std::string> found;
      for (auto it = fs::recursive_directory_iterator(path, ec); !ec && it != fs::recursive_directory_iterator();
           it.increment(ec)) {
        if (it->is_regular_file() && is_scenario_file_name(it->path().string())) found.push_back(it->path().string());
      }
      if (ec) return Error::io(path + ": cannot list the folder: " + ec.message());
      std::sort(found.begin(), found.end());
      files.insert(files.end(), found.begin(), found.end());
    } else {
      files.push_back(path);
    }
  }
  return files;
}

}  // namespace dcisim::scenarios
