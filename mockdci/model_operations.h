// Operations: work on a server that takes time on the Clock (OS install, diagnostics, and, when
// the inventory's timings say so, suspend, resume, power and release). An operation has a fixed
// end instant from the timings; the model settles it when the clock passes that end (see
// settle_operations in server_actions.h). A `stuck` fault makes one never end.
#pragma once

#include "common/time.h"
#include "mockdci/ids.h"

namespace dcisim::mockdci {

enum class OperationKind { os_install, diagnostics, suspend, resume, power_on, power_off, release };
enum class OperationStatus { running, ok, failed, canceled };
const char* operation_kind_name(OperationKind kind);        // "os_install" | "diagnostics" | "suspend" | ...
const char* operation_status_name(OperationStatus status);  // "running" | "ok" | "failed" | "canceled"

struct Operation {
  OperationId id;
  ServerId server;
  OperationKind kind = OperationKind::os_install;
  OperationStatus status = OperationStatus::running;
  common::Instant started_at;
  common::Instant ends_at;
  common::Instant finished_at;  // valid once status is not running
  TemplateId os_template;       // os_install
  ScriptId script;              // os_install, invalid when none
  bool fails = false;           // an injected fault: ends as failed instead of ok
  bool stuck = false;           // an injected fault: never ends (not in Model::running)
};

}  // namespace dcisim::mockdci
