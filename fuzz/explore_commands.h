// What the explorer can do to the world, one scenario step per command: the rapidcheck command
// type, and the generator that picks a command that makes sense for the model (every name it
// uses defined, the kind enabled). Generated values (amounts, durations, which client) come from
// rapidcheck generators, so shrinking makes them smaller too, not only the sequence shorter.
#pragma once

#include <memory>
#include <ostream>
#include <string>
#include <vector>

#include <nlohmann/json.hpp>
#include <rapidcheck.h>
#include <rapidcheck/state.h>

#include "fuzz/explore_model.h"

namespace dcisim::fuzz {

class ExploreRun;  // the system under test (explore_run.h)

enum class CommandKind : int {
  register_client, pay, pay_replay, credit, credit_limit, refund, order, prolong, autoprolong,
  suspend, resume, delete_service, block, unblock, cancel_task, retry_task, advance, restart,
  fault, panel, run_job,
  count
};
const char* command_kind_name(CommandKind kind);

// What the explorer knows of the fixture's tariffs, to order what exists.
struct TariffOffer {
  std::string name;
  std::vector<int> periods;  // months with a price
  bool ipv4_addon = false;
};

struct Catalog {
  std::vector<TariffOffer> tariffs;
  int max_clients = 6;
  int max_faults = 4;  // fault steps per run
};

using ExploreCommand = rc::state::Command<Model, ExploreRun>;

class StepCommand final : public ExploreCommand {
 public:
  StepCommand(CommandKind kind, nlohmann::json step, std::vector<std::string> clients_used,
              std::vector<std::string> services_used, std::vector<std::string> payments_used);

  void checkPreconditions(const Model& model) const override;
  void apply(Model& model) const override;
  void run(const Model& model, ExploreRun& run) const override;
  void show(std::ostream& os) const override;

  CommandKind kind() const { return kind_; }
  const nlohmann::json& step() const { return step_; }

 private:
  CommandKind kind_;
  nlohmann::json step_;
  std::vector<std::string> clients_used_, services_used_, payments_used_;
};

// A command for `model`: any kind enabled in it whose needs are met (a client to pay, a service
// to suspend...).
rc::Gen<std::shared_ptr<const ExploreCommand>> generate_command(const Model& model, const Catalog& catalog);

}  // namespace dcisim::fuzz
