// The explorer's model of the world it drives: just enough to generate steps that are valid
// scenario steps (every name defined before use) and to know which commands make sense. It does
// not predict balances or statuses: the checks read the real world before and after a step
// (explore_run.h) and say what must hold, so the model stays small and never disagrees with the
// billing core about rules it would have to copy.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

namespace dcisim::fuzz {

struct ModelService {
  std::string name;
  std::string client;
  std::string tariff;
};

struct ModelPayment {
  std::string external_id;
  std::string client;
  std::string amount;  // as written in the step
};

struct Model {
  std::vector<std::string> clients;
  std::vector<ModelService> services;
  std::vector<ModelPayment> payments;  // every pay step's external id (for replays and refunds)
  int next_name = 0;                   // names are unique in a run: c1, s2, p3...
  uint32_t enabled = ~0u;              // command kinds on (bit per CommandKind); --swarm draws it
  int faults = 0;                      // fault steps so far (bounded per run)

  std::string new_name(const char* prefix) const { return prefix + std::to_string(next_name + 1); }
  bool has_client(const std::string& name) const;
  bool has_service(const std::string& name) const;
  bool has_payment(const std::string& external_id) const;
};

}  // namespace dcisim::fuzz
