// Specification of where a scenario's parts are in its file: each step's position and its text as
// written, and a broken file located from the error it gave (syntax errors, JSON pointers, inline
// inventories, member names holding ": "), with the lines around the mistake.
#include <catch2/catch.hpp>

#include <filesystem>
#include <fstream>
#include <unistd.h>

#include "scenarios/file_problem.h"
#include "scenarios/parse.h"
#include "scenarios/suite_runner.h"

using namespace dcisim::scenarios;
using dcisim::common::TextPosition;
namespace fs = std::filesystem;

namespace {

const char* const kFixture = R"("fixture": {"tariffs": [{"name": "t", "location": "Amsterdam",
      "configuration": "i9-9900K-64Gb-2x1024NVMe", "os": ["Debian 12"], "prices": {"1": "1.00"}}]})";

struct Folder {
  fs::path path = fs::temp_directory_path() / ("dcisim-positions-test-" + std::to_string(::getpid()));
  Folder() { fs::create_directories(path / "suite"); }
  ~Folder() { fs::remove_all(path); }
  std::string write(const std::string& name, const std::string& text) {
    std::ofstream(path / "suite" / name) << text;
    return (path / "suite" / name).string();
  }
};

FileProblem problem_of(Folder& folder, const std::string& name, const std::string& text) {
  std::string file = folder.write(name, text);
  auto loaded = load_scenario_file(file);
  REQUIRE_FALSE(loaded.ok());
  return describe_file_problem(file, "suite", loaded.error());
}

}  // namespace

TEST_CASE("each step knows where it is written, and its text keeps the author's order", "[unit][scenario]") {
  std::string text = std::string("{\"name\": \"n\", ") + kFixture + R"(,
  "steps": [
    {"register": {"as": "alice", "email": "a@example.com"}},
    {"pay": {"client": "alice",   // a comment
             "amount": "5.00"}}
  ]
})";
  auto parsed = parse_scenario_text(text, "s.json", "suite");
  REQUIRE(parsed.ok());
  CHECK(parsed->steps[0].source.value_at == TextPosition{4, 5});
  CHECK(parsed->steps[1].source.value_at == TextPosition{5, 5});
  CHECK(parsed->steps[1].source.last_line == 6);
  CHECK(parsed->steps[0].text == R"(register {"as": "alice", "email": "a@example.com"})");
  CHECK(parsed->steps[1].text == R"(pay {"client": "alice", "amount": "5.00"})");
  CHECK(parsed->source_text == text);
}

TEST_CASE("a broken file is located from its error: file, line, column, pointer, the lines around it", "[unit][scenario]") {
  Folder folder;
  std::string head = std::string("{\"name\": \"broken one\", ") + kFixture + ",\n  \"steps\": [\n";

  FileProblem pointer = problem_of(folder, "a.json", head + "    {\"register\": {\"as\": \"a\"}},\n    {\"advance\":\n       \"soon\"}\n  ]\n}\n");
  CHECK(pointer.name == "broken one");
  CHECK(pointer.suite == "suite");
  CHECK(pointer.pointer == "/steps/1/advance");
  CHECK(pointer.at == TextPosition{5, 6});
  CHECK(pointer.detail.rfind("/steps/1/advance: expected a duration", 0) == 0);
  CHECK(pointer.source == "> 5 |     {\"advance\":\n  6 |        \"soon\"}\n");
  CHECK(problem_line(pointer) == pointer.file + ":5:6: " + pointer.detail);

  FileProblem missing = problem_of(folder, "b.json", head + "    {\"order\": {\"tariff\": \"t\"}}\n  ]\n}\n");
  CHECK(missing.pointer == "/steps/0/order/client");
  CHECK(missing.at == TextPosition{4, 6});  // the member is not there: its object is

  FileProblem syntax = problem_of(folder, "c.json", "{\n  \"name\": \"x\",\n  \"steps\": [,]\n}\n");
  CHECK(syntax.pointer.empty());
  CHECK(syntax.at.line == 3);
  CHECK(syntax.detail.rfind("invalid JSON: ", 0) == 0);
  CHECK(syntax.name == "c.json");  // not readable: the file names it
  CHECK(syntax.source == "  1 | {\n  2 |   \"name\": \"x\",\n> 3 |   \"steps\": [,]\n");

  FileProblem colon = problem_of(folder, "d.json", "{\"name\": \"x\", \"a: b\": 1}");
  CHECK(colon.pointer == "/a: b");
  CHECK(colon.at == TextPosition{1, 15});

  // An inline inventory's errors name the inventory's place, then the pointer inside it.
  std::string inline_file = folder.write("e.json", "{\"name\": \"x\",\n \"fixture\": {\"inventory\": {\"locations\": 3}}}");
  FileProblem inventory = describe_file_problem(
      inline_file, "suite", dcisim::common::Error::invalid(inline_file + " /fixture/inventory: /locations: expected an array, got 3"));
  CHECK(inventory.pointer == "/fixture/inventory/locations");
  CHECK(inventory.at == TextPosition{2, 28});

  FileProblem unreadable = describe_file_problem((folder.path / "nowhere.json").string(), "suite",
                                                 dcisim::common::Error::io("nowhere.json: cannot open the file"));
  CHECK_FALSE(unreadable.at.known());
  CHECK(unreadable.name == "nowhere.json");
  auto result = problem_result(pointer);
  CHECK(result.outcome == dcisim::reports::ScenarioOutcome::error);
  REQUIRE(result.failure.has_value());
  CHECK(result.failure->file_error);
  CHECK(result.failure->message == "invalid scenario file: " + pointer.detail);
}

TEST_CASE("a run prepares every file: broken ones are problems in file order, the others run", "[unit][scenario]") {
  Folder folder;
  std::string good = std::string("{\"name\": \"good\", ") + kFixture + ", \"steps\": [{\"advance\": \"1h\"}]}";
  folder.write("a-broken.json", "{\"name\": \"good\", \"steps\": 3}");
  folder.write("b-good.jsonc", "// commented\n" + good);
  folder.write("c-twin.json", good);
  folder.write("notes.txt", "not a scenario");
  SuiteOptions options;
  options.paths = {(folder.path / "suite").string()};
  auto prepared = prepare_suite_files(options);
  REQUIRE(prepared.ok());
  REQUIRE(prepared->scenarios.size() == 1);
  CHECK(prepared->scenarios[0].scenario.file.find("b-good.jsonc") != std::string::npos);
  REQUIRE(prepared->problems.size() == 2);
  // The broken file's own name is taken by a scenario that runs: its path names it instead.
  CHECK(prepared->problems[0].name == prepared->problems[0].file);
  CHECK(prepared->problems[1].detail.rfind("/name: another scenario of suite \"suite\" is already named \"good\"", 0) == 0);
  CHECK(prepared->problem_files == std::vector<size_t>{0, 2});
  CHECK(prepared->scenario_files == std::vector<size_t>{1});
  CHECK_FALSE(prepare_suite(options).ok());  // the all-or-nothing form still refuses

  options.filter = "b-good";  // a file name selects too
  CHECK(prepare_suite_files(options)->scenarios.size() == 1);
  options.filter = "nothing";
  CHECK(prepare_suite_files(options)->scenarios.empty());
}
