#include "billing/provisioning.h"

namespace dcisim::billing {

const char* suspension_mode_name(SuspensionMode mode) {
  switch (mode) {
    case SuspensionMode::port: return "port";
    case SuspensionMode::power: return "power";
    case SuspensionMode::both: return "both";
  }
  return "port";
}

common::Result<SuspensionMode> parse_suspension_mode(const std::string& text) {
  if (text == "port") return SuspensionMode::port;
  if (text == "power") return SuspensionMode::power;
  if (text == "both") return SuspensionMode::both;
  return common::Error::invalid("unknown suspension mode '" + text +
                                "' (expected \"port\", \"power\" or \"both\")");
}

const char* step_status_name(StepStatus status) {
  switch (status) {
    case StepStatus::done: return "done";
    case StepStatus::waiting: return "waiting";
    case StepStatus::retry: return "retry";
    case StepStatus::manual: return "manual";
  }
  return "retry";
}

}  // namespace dcisim::billing
