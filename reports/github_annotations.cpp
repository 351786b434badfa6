#include "reports/github_annotations.h"

#include "reports/failure_text.h"
#include "reports/text.h"

namespace dcisim::reports {

namespace {

constexpr size_t kMaxMessageBytes = 2048;

std::string escape_data(std::string_view text) {
  std::string out;
  for (char c : text) {
    if (c == '%') {
      out += "%25";
    } else if (c == '\r') {
      out += "%0D";
    } else if (c == '\n') {
      out += "%0A";
    } else {
      out += c;
    }
  }
  return out;
}

std::string escape_property(std::string_view text) {
  std::string out;
  for (char c : escape_data(text)) {
    if (c == ':') {
      out += "%3A";
    } else if (c == ',') {
      out += "%2C";
    } else {
      out += c;
    }
  }
  return out;
}

std::string relative_to(const std::string& file, const std::string& workspace) {
  if (workspace.empty()) return file;
  std::string prefix = workspace.back() == '/' ? workspace : workspace + "/";
  return file.rfind(prefix, 0) == 0 ? file.substr(prefix.size()) : file;
}

std::string annotation(const ScenarioResult& s, const std::string& workspace, uint64_t run_seed) {
  std::string line = "::error file=" + escape_property(relative_to(s.file, workspace));
  if (s.failure && s.failure->at.known()) {
    line += ",line=" + std::to_string(s.failure->at.line) + ",col=" + std::to_string(s.failure->at.column);
  }
  line += ",title=" + escape_property(valid_utf8("dcisim " + s.suite + "/" + s.name));
  // The message without the location (GitHub shows it), then the rest of the story.
  std::string message;
  if (!s.failure) {
    message = failure_summary(s, kMaxMessageBytes);
  } else if (s.failure->file_error) {
    message = s.failure->message;
  } else {
    message = "step " + std::to_string(s.failure->step_index) + " (" + first_line(s.failure->step_text, 160) + "): " +
              s.failure->message;
  }
  if (!s.failure || !s.failure->file_error) message += "\nreplay: " + replay_command(s, run_seed);
  return line + "::" + escape_data(cut_to_bytes(valid_utf8(message), kMaxMessageBytes)) + "\n";
}

}  // namespace

std::string github_annotations(const RunResult& run, const std::string& workspace, size_t max_lines) {
  std::string out;
  size_t written = 0, left_out = 0;
  for (const ScenarioResult& s : run.scenarios) {
    if (s.outcome == ScenarioOutcome::passed) continue;
    if (written == max_lines) {
      ++left_out;
      continue;
    }
    out += annotation(s, workspace, run.seed);
    ++written;
  }
  if (left_out > 0) {
    out += "::notice title=dcisim::" + std::to_string(left_out) +
           " more failures are not annotated; junit.xml and report.html list them all\n";
  }
  return out;
}

}  // namespace dcisim::reports
