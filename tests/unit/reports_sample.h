// A small RunResult for the report tests and the headless-Chromium render check: one passing
// scenario with a full timeline, one failing at an expectation, and one with hostile text
// (markup characters, a control character, invalid UTF-8) that could not run.
#pragma once

#include "reports/results.h"

namespace dcisim::reports::testing {

inline common::Instant sample_t0() { return common::Instant::from_unix_ms(1767225600000); }  // 2026-01-01

inline common::Instant sample_at(int64_t minutes) {
  return sample_t0() + common::Duration::minutes(minutes);
}

inline JournalLine sample_request(int64_t minute, const char* method, const char* target, int status) {
  return JournalLine{sample_at(minute), method, target, status, 850};
}

inline ScenarioResult sample_passed() {
  ScenarioResult s;
  s.suite = "suite";
  s.name = "order to active";
  s.file = "scenarios/suite/order_to_active.json";
  s.tags = {"order", "smoke"};
  s.seed = 18446744073709551557ull;  // above 2^53: must survive as a string
  s.wall_us = 12345;
  s.virtual_start = sample_at(0);
  s.virtual_end = sample_at(31 * 24 * 60);
  s.steps = {
      {0, R"(register {"client":"alice"})", sample_at(0), 210, StepOutcome::passed, {10, 5}},
      {1, R"(pay {"client":"alice","amount":"120.00"})", sample_at(0), 180, StepOutcome::passed, {11, 5}},
      {2, R"(order {"tariff":"e3-1230","period":1,"as":"s1"})", sample_at(0), 900, StepOutcome::passed, {12, 5}},
      {3, R"(advance "1h")", sample_at(0), 4000, StepOutcome::passed, {13, 5}},
      {4, R"(expect {"service":"s1","status":"active"})", sample_at(60), 120, StepOutcome::passed, {14, 5}},
      {5, R"(advance "31d")", sample_at(60), 6000, StepOutcome::passed, {15, 5}},
  };
  s.timeline = {
      {sample_at(0), "client alice", "payment", "payment 120.00 (ext-1)"},
      {sample_at(0), "service s1", "status", "ordered"},
      {sample_at(0), "client alice", "charge", "charge 100.00 period 1 month"},
      {sample_at(0), "service s1", "status", "ordered -> processing (open)"},
      {sample_at(1), "emulator", "operation", "server 3: owner set, IPs 203.0.113.10"},
      {sample_at(1), "emulator", "operation", "server 3: OS install started"},
      {sample_at(21), "emulator", "operation", "server 3: OS install ok"},
      {sample_at(21), "service s1", "status", "processing -> active"},
      {sample_at(31 * 24 * 60), "service s1", "status", "active -> processing (suspend)"},
      {sample_at(31 * 24 * 60 + 1), "service s1", "status", "processing -> suspended (auto: expired)"},
  };
  s.journal = {sample_request(0, "POST", "/api/auth/v4/public/token", 200),
               sample_request(1, "POST", "/api/dci/v3/server/3/owner", 200),
               sample_request(21, "GET", "/api/dci/v3/server/3", 200)};
  s.digest = "9f2c1e";
  return s;
}

inline ScenarioResult sample_failed() {
  ScenarioResult s;
  s.suite = "suite";
  s.name = "suspend on expiry";
  s.file = "scenarios/suite/suspend on expiry.json";
  s.tags = {"suspend"};
  s.seed = 7;
  s.outcome = ScenarioOutcome::failed;
  s.wall_us = 2'500'000;
  s.virtual_start = sample_at(0);
  s.virtual_end = sample_at(60);
  s.steps = {
      {0, R"(order {"tariff":"e3-1230","as":"s1"})", sample_at(0), 900, StepOutcome::passed, {10, 5}},
      {1, R"(advance "1h")", sample_at(0), 3000, StepOutcome::passed, {11, 5}},
      {2, R"(expect {"service":"s1","status":"active"})", sample_at(60), 100, StepOutcome::failed, {12, 5}},
      {3, R"(advance "31d")", sample_at(60), 0, StepOutcome::not_run, {13, 5}},
  };
  Failure f;
  f.step_index = 2;
  f.step_text = s.steps[2].text;
  f.message = "expect: service s1 status: expected active, found processing";
  f.expected = "active";
  f.found = "processing (operation open, attempt 3)";
  f.request = "GET /api/dci/v3/server/3";
  f.response = "503 {\"error\":{\"code\":503,\"msg\":\"unavailable\"}}";
  f.last_requests = {sample_request(1, "POST", "/api/dci/v3/server/3/owner", 200),
                     sample_request(28, "GET", "/api/dci/v3/server/3", 503),
                     sample_request(29, "GET", "/api/dci/v3/server/3", 503),
                     sample_request(30, "GET", "/api/dci/v3/server/3", 503)};
  f.step_at = {12, 5};
  f.pointer = "/steps/2/expect/status";
  f.at = {12, 33};
  f.source = "> 12 |     {\"expect\": {\"service\": \"s1\", \"status\": \"active\"}},\n";
  s.failure = f;
  s.timeline = {{sample_at(0), "service s1", "status", "ordered -> processing (open)"},
                {sample_at(30), "emulator", "operation", "server 3: poll failed 503"},
                {sample_at(60), "steps", "step", "expect failed"}};
  s.journal = f.last_requests;
  return s;
}

inline ScenarioResult sample_hostile() {
  ScenarioResult s;
  s.suite = "nasty <suite>";
  s.name = "a<b & \"c\" 'd' \x01 bell\x07 bad\xff utf8";
  s.file = "scenarios/nasty/x.json";
  s.tags = {"<script>alert(1)</script>"};
  s.seed = 3;
  s.outcome = ScenarioOutcome::error;
  s.wall_us = 1000;
  Failure f;
  f.step_index = 0;
  f.step_text = "fixture </failure><script>alert(1)</script>";
  f.message = "fixture: inventory.json: /locations/0: expected an object, got ]]>";
  s.failure = f;
  return s;
}

inline RunResult sample_run() {
  RunResult run;
  run.tool_version = "dcisim 0.1.0";
  run.seed = 42;
  run.jobs = 2;
  run.wall_us = 2'600'000;
  run.scenarios = {sample_passed(), sample_failed(), sample_hostile()};
  return run;
}

}  // namespace dcisim::reports::testing
