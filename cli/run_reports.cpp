#include "cli/run_reports.h"

#include <filesystem>

#include "reports/html.h"
#include "reports/results_json.h"

namespace dcisim::cli {

namespace {

constexpr const char* kReportFiles[] = {"junit.xml", "results.json", "report.html"};

}  // namespace

std::string out_dir_in(const std::vector<std::string>& words) {
  std::string out_dir = "out";
  for (size_t i = 0; i < words.size() && words[i] != "--"; ++i) {
    if (words[i] == "--out" && i + 1 < words.size()) out_dir = words[i + 1];
    if (words[i].rfind("--out=", 0) == 0) out_dir = words[i].substr(6);
  }
  return out_dir;
}

common::Status remove_former_reports(const std::string& out_dir) {
  namespace fs = std::filesystem;
  for (const char* name : kReportFiles) {
    for (const std::string& file : {std::string(name), std::string(name) + ".tmp"}) {
      fs::path path = fs::path(out_dir) / file;
      std::error_code ec;
      if (fs::is_directory(fs::symlink_status(path, ec))) {
        return common::Error::io(path.string() + ": is a folder where the report goes; remove it or choose another --out");
      }
      fs::remove(path, ec);
      if (ec) return common::Error::io(path.string() + ": cannot remove the former report: " + ec.message());
    }
  }
  return common::Status::success();
}

common::Status write_run_reports(const reports::RunResult& run, const ReportOptions& options) {
  const std::string& dir = options.out_dir;
  DCISIM_RETURN_IF_ERROR(reports::write_junit_xml(run, dir + "/junit.xml", {}, options.junit_flavor));
  DCISIM_RETURN_IF_ERROR(reports::write_results_json(run, dir + "/results.json"));
  return reports::write_html_report(run, dir + "/report.html");
}

}  // namespace dcisim::cli
