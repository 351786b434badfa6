// results.json: everything in a RunResult, so that junit.xml and report.html can be rebuilt from
// it alone (`dcisim` reads it back with read_results_json). The layout:
//
//   { "format": "dcisim-results", "format_version": 1, "tool_version", "seed": "42", "jobs",
//     "wall_us", "started_at"/"started_at_ms" (or null),
//     "summary": {"total","passed","failed","errors"}        (derived; ignored when read)
//     "scenarios": [ { "suite","name","file","tags","seed","outcome","wall_us",
//        "virtual_start"/"virtual_start_ms","virtual_end"/"virtual_end_ms","digest","replay",
//        "steps": [{"index","text","virtual_at"/"virtual_at_ms","wall_us","outcome","line","column"}],
//        "failure": null | {"step_index","step_text","message","expected","found","request",
//                           "response","last_requests": [journal line], "file_error",
//                           "pointer","line","column","step_line","step_column","source"},
//        "timeline": [{"at"/"at_ms","lane","kind","text"}],
//        "journal": [{"at"/"at_ms","method","target","status","duration_us"}] } ] }
//
// Every time is written twice: as ISO 8601 UTC text and as Unix milliseconds ("<name>_ms"; the
// number is the one read back, the text is for people). Seeds are decimal strings because a
// 64-bit seed does not survive a JavaScript number. Invalid UTF-8 in any text is replaced.
// Positions in the scenario file ("line", "column": 1-based, 0 when unknown) came later within
// format_version 1: a reader takes them as 0 when absent.
#pragma once

#include <string>
#include <string_view>

#include "common/result.h"
#include "reports/results.h"

namespace dcisim::reports {

inline constexpr const char* kResultsFormat = "dcisim-results";
inline constexpr int kResultsFormatVersion = 1;

// The document, pretty-printed (2 spaces), members in a fixed order.
std::string results_json(const RunResult& run);
common::Status write_results_json(const RunResult& run, const std::string& path);

// Reads what results_json wrote. Errors name the source, the JSON pointer and the expected form:
// "out/results.json: /scenarios/2/seed: expected a seed as a decimal string such as \"42\", got 1.5".
// Members this version does not know are ignored (a newer writer may add some).
common::Result<RunResult> parse_results_json(std::string_view text, const std::string& source);
common::Result<RunResult> read_results_json(const std::string& path);

}  // namespace dcisim::reports
