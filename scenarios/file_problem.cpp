#include "scenarios/file_problem.h"

#include <charconv>
#include <filesystem>

#include "common/json_input.h"
#include "scenarios/limits.h"

namespace dcisim::scenarios {

namespace {

constexpr size_t kMaxSourceLines = 16;
constexpr size_t kSyntaxContextLines = 2;  // shown above the line of a syntax error

bool starts_with(std::string_view text, std::string_view prefix) { return text.substr(0, prefix.size()) == prefix; }

// Reads the number at the front of `text` and removes it.
std::optional<size_t> take_number(std::string_view& text) {
  size_t value = 0;
  auto [end, ec] = std::from_chars(text.data(), text.data() + text.size(), value);
  if (ec != std::errc() || end == text.data()) return std::nullopt;
  text.remove_prefix(static_cast<size_t>(end - text.data()));
  return value;
}

// The JSON pointer at the front of `detail` ("/steps/3/a: what"): up to a ": ", choosing, when a
// member name itself holds ": ", the longest candidate the file has. Removes it and its ": ".
std::string take_pointer(std::string_view& detail, const common::JsonPositions& positions) {
  size_t first = detail.find(": ");
  if (first == std::string_view::npos) return "";
  size_t chosen = first;
  for (size_t at = first; at != std::string_view::npos; at = detail.find(": ", at + 1)) {
    if (positions.find(detail.substr(0, at))) chosen = at;
  }
  std::string pointer(detail.substr(0, chosen));
  detail.remove_prefix(chosen + 2);
  return pointer == "/" ? "" : pointer;
}

// "/steps/4/order/tariff" -> "/steps/4"; "" when the pointer is not inside a step.
std::string enclosing_step(const std::string& pointer) {
  if (!starts_with(pointer, "/steps/")) return "";
  size_t end = pointer.find('/', 7);
  return pointer.substr(0, end);
}

void locate(FileProblem& p, std::string_view text) {
  std::string_view rest = p.message;
  if (!starts_with(rest, p.file)) return;
  rest.remove_prefix(p.file.size());
  if (starts_with(rest, ": line ")) {  // a syntax error: "x.json: line 3, column 7: invalid JSON: ..."
    p.detail = std::string(rest.substr(2));
    rest.remove_prefix(7);
    std::optional<size_t> line = take_number(rest);
    if (!line || !starts_with(rest, ", column ")) return;
    rest.remove_prefix(9);
    std::optional<size_t> column = take_number(rest);
    if (!column) return;
    p.at = {*line, *column};
    if (starts_with(rest, ": ")) p.detail = std::string(rest.substr(2));  // the place is in p.at
    size_t first = *line > kSyntaxContextLines ? *line - kSyntaxContextLines : 1;
    p.source = common::source_excerpt(text, first, *line, *line, kMaxSourceLines);
    return;
  }
  // "x.json: /pointer: what", or for an inline inventory "x.json /fixture/inventory: /pointer: what".
  bool inline_inventory = starts_with(rest, " /");
  if (!inline_inventory && !starts_with(rest, ": /")) {
    if (starts_with(rest, ": ")) p.detail = std::string(rest.substr(2));
    return;
  }
  rest.remove_prefix(inline_inventory ? 1 : 2);
  p.detail = std::string(rest);
  common::JsonPositions positions = common::JsonPositions::index(text);
  p.pointer = take_pointer(rest, positions);
  if (inline_inventory && starts_with(rest, "/")) p.pointer += take_pointer(rest, positions);
  std::optional<common::JsonSpan> span = positions.nearest(p.pointer);
  if (!span) return;
  p.at = span->at;
  std::optional<common::JsonSpan> context = positions.find(enclosing_step(p.pointer));
  if (!context || enclosing_step(p.pointer).empty()) context = span;
  p.source = common::source_excerpt(text, context->at.line, context->last_line, p.at.line, kMaxSourceLines);
}

std::string name_in(std::string_view text, const std::string& file) {
  common::Result<common::Json> document = common::parse_json_text(text, file, true);
  if (document && document->is_object()) {
    auto name = document->find("name");
    if (name != document->end() && name->is_string() && !name->get_ref<const std::string&>().empty()) {
      return name->get<std::string>();
    }
  }
  return std::filesystem::path(file).filename().string();
}

}  // namespace

FileProblem describe_file_problem(const std::string& file, const std::string& suite, const common::Error& error) {
  FileProblem p;
  p.file = file;
  p.suite = suite;
  p.message = error.message;
  p.detail = error.message;
  common::Result<std::string> text = common::read_text_file(file, kMaxScenarioBytes);
  p.name = text ? name_in(*text, file) : std::filesystem::path(file).filename().string();
  locate(p, text ? std::string_view(*text) : std::string_view());
  return p;
}

std::string problem_line(const FileProblem& p) {
  if (!p.at.known()) return starts_with(p.message, p.file) ? p.message : p.file + ": " + p.message;
  return p.file + ":" + std::to_string(p.at.line) + ":" + std::to_string(p.at.column) + ": " + p.detail;
}

reports::ScenarioResult problem_result(const FileProblem& p) {
  reports::ScenarioResult result;
  result.suite = p.suite;
  result.name = p.name;
  result.file = p.file;
  result.outcome = reports::ScenarioOutcome::error;
  reports::Failure failure;
  failure.file_error = true;
  failure.message = "invalid scenario file: " + p.detail;
  failure.pointer = p.pointer;
  failure.at = p.at;
  failure.source = p.source;
  result.failure = std::move(failure);
  return result;
}

}  // namespace dcisim::scenarios
