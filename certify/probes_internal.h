// The read-only probes' shared state, split over probes_*.cpp by group.
#pragma once

#include <string>
#include <vector>

#include "billing/dci6/json_fields.h"
#include "certify/contracts.h"
#include "certify/probes.h"

namespace dcisim::certify::internal {

namespace dci6 = billing::dci6;

// An id no DCImanager has handed out: large, but inside 32 bits for systems that store ids so.
inline constexpr int64_t kMissingId = 2147480000;

class Probes {
 public:
  Probes(ProbeSession& session, const ProbeOptions& options) : session_(session), options_(options) {}
  ProbeRun run();

 private:
  friend struct ProbeGroups;
  Check begin(const std::string& group, const std::string& name, const std::string& why) const;
  // Adds an exchange to the check's "sent" and "received" and keeps it for the comparison.
  void note(Check& check, const Exchange& exchange, const std::string& record_key);
  void finish(Check check, CheckOutcome outcome, const std::string& message);
  void held(dci6::RouteId route, bool ok, const std::string& detail);
  // A 200 {"list": [...]} whose rows satisfy `rows`; problems are appended to `problems`. The
  // rows, or empty when the answer was not a list.
  std::vector<Json> read_list(const Exchange& exchange, const std::vector<FieldRule>& rows, std::string& problems,
                              std::string& notes) const;

  void login_checks();
  void catalog_checks();
  void list_checks();
  void server_checks();
  void pool_checks();
  void route_checks();
  void latency_samples();

  ProbeSession& session_;
  const ProbeOptions& options_;
  ProbeRun run_;
  std::vector<std::pair<dci6::RouteId, dci6::PathParams>> sampled_;  // GETs to repeat for latency
};

std::string rows_text(size_t n);

}  // namespace dcisim::certify::internal
