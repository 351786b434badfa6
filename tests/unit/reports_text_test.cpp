// Specification of reports/text.h and the shared failure texts (reports/failure_text.h).
#include <catch2/catch.hpp>

#include "reports/failure_text.h"
#include "reports/text.h"
#include "reports_sample.h"

using namespace dcisim::reports;

TEST_CASE("invalid UTF-8 sequences become U+FFFD, valid text is kept", "[unit][reports][text]") {
  CHECK(valid_utf8("héllo €𝄞") == "héllo €𝄞");
  CHECK(valid_utf8("a\xff" "b") == "a\xEF\xBF\xBD" "b");
  CHECK(valid_utf8("\xC0\xAF") == "\xEF\xBF\xBD\xEF\xBF\xBD");            // overlong '/'
  CHECK(valid_utf8("\xED\xA0\x80") == "\xEF\xBF\xBD");                   // surrogate
  CHECK(valid_utf8("\xF4\x90\x80\x80") == "\xEF\xBF\xBD");               // above U+10FFFF
  CHECK(valid_utf8("x\xE2\x82") == "x\xEF\xBF\xBD");                     // truncated at the end
  CHECK(valid_utf8("\xE2\x82" "A") == "\xEF\xBF\xBD" "A");               // truncated, then ASCII
}

TEST_CASE("markup escaping covers the five specials and shows forbidden characters as text", "[unit][reports][text]") {
  CHECK(markup_text("a<b & \"c\" 'd' >") == "a&lt;b &amp; &quot;c&quot; &#39;d&#39; &gt;");
  CHECK(markup_text("bell\x07 nul") == "bell\\x07 nul");
  CHECK(markup_text(std::string("nul\0!", 5)) == "nul\\x00!");
  CHECK(markup_text("del\x7F c1\xC2\x85") == "del\\x7F c1\\x85");
  CHECK(markup_text("\xEF\xBF\xBF") == "\\uFFFF");
  CHECK(markup_text("tab\tline\n") == "tab\tline\n");
  CHECK(markup_attribute("tab\tline\ncr\r") == "tab&#9;line&#10;cr&#13;");
  CHECK(markup_text("bad\xff") == "bad\xEF\xBF\xBD");
}

TEST_CASE("truncation keeps whole characters and says how much was cut", "[unit][reports][text]") {
  CHECK(truncate_with_marker("short", 10) == "short");
  CHECK(truncate_with_marker("abcdefghij", 4) == "abcd\n[... 6 more bytes truncated]");
  CHECK(truncate_with_marker("ab€", 3) == "ab\n[... 3 more bytes truncated]");  // € is 3 bytes
  CHECK(cut_to_bytes("abcdefghij", 6) == "abc...");
  CHECK(first_line("one\ntwo", 100) == "one");
}

TEST_CASE("wall times read as seconds with 3 decimals and for people", "[unit][reports][text]") {
  CHECK(seconds_3dp(0) == "0.000");
  CHECK(seconds_3dp(1'234'567) == "1.235");
  CHECK(seconds_3dp(999'499) == "0.999");
  CHECK(human_wall_time(850) == "850 us");
  CHECK(human_wall_time(12'340) == "12.3 ms");
  CHECK(human_wall_time(1'234'567) == "1.235 s");
  CHECK(human_wall_time(123'000'000) == "2 min 3 s");
}

TEST_CASE("the failure summary names file:line:column, the step index and text and the message", "[unit][reports][text]") {
  ScenarioResult failed = testing::sample_failed();
  CHECK(failure_summary(failed, 1000) ==
        "scenarios/suite/suspend on expiry.json:12:33: step 2 (expect {\"service\":\"s1\",\"status\":\"active\"}): "
        "expect: service s1 status: expected active, found processing");
  CHECK(failure_location(failed) == "scenarios/suite/suspend on expiry.json:12:33");
  CHECK(failing_step_location(failed) == "scenarios/suite/suspend on expiry.json:12:5");
  ScenarioResult unlocated = failed;
  unlocated.failure->at = {};
  CHECK(failure_summary(unlocated, 1000).rfind("step 2 (expect", 0) == 0);
  ScenarioResult broken = failed;
  broken.outcome = ScenarioOutcome::error;
  broken.failure->file_error = true;
  broken.failure->message = "invalid scenario file: /steps/2/expect/status: expected a status";
  CHECK(failure_summary(broken, 1000) ==
        "scenarios/suite/suspend on expiry.json:12:33: invalid scenario file: /steps/2/expect/status: expected a status");
  CHECK(failure_summary(testing::sample_passed(), 1000).empty());
  failed.failure.reset();
  CHECK(failure_summary(failed, 1000) == "failed (no details recorded)");
  failed.outcome = ScenarioOutcome::error;
  CHECK(failure_summary(failed, 1000) == "could not run");
}

TEST_CASE("repeated requests fold into one line with a count", "[unit][reports][text]") {
  std::vector<JournalLine> lines = {testing::sample_request(1, "GET", "/api/dci/v3/server/1", 200),
                                    testing::sample_request(2, "GET", "/api/dci/v3/server/1", 200),
                                    testing::sample_request(3, "GET", "/api/dci/v3/server/1", 200),
                                    testing::sample_request(4, "GET", "/api/dci/v3/server/1", 503),
                                    testing::sample_request(5, "GET", "/api/dci/v3/server/1", 200)};
  std::vector<RequestRun> runs = fold_requests(lines);
  REQUIRE(runs.size() == 3);
  CHECK(runs[0].count == 3);
  CHECK(runs[0].last_at == testing::sample_at(3));
  CHECK(request_run_text(runs[0]) ==
        "2026-01-01T00:01:00Z GET /api/dci/v3/server/1 -> 200 (850 us) x3 (until 2026-01-01T00:03:00Z)");
  CHECK(request_run_text(runs[1]) == "2026-01-01T00:04:00Z GET /api/dci/v3/server/1 -> 503 (850 us)");
  CHECK(fold_requests({}).empty());
}

TEST_CASE("the replay command quotes a file name the shell would split", "[unit][reports][text]") {
  ScenarioResult s = testing::sample_passed();
  CHECK(replay_command(s, 42) == "dcisim run scenarios/suite/order_to_active.json --seed 42");
  s.file = "it's here.json";
  CHECK(replay_command(s, 42) == "dcisim run 'it'\\''s here.json' --seed 42");
  s.replay = "dcisim run a.json --seed 9";
  CHECK(replay_command(s, 42) == "dcisim run a.json --seed 9");
}
