// The rig for Dci6Module::open tests: the scripted DCImanager behind a lossy transport, a
// recording context, and a runner that steps `open` as the billing runner would.
#pragma once

#include <memory>

#include "billing/dci6/module.h"
#include "dci6_fake_dci.h"

namespace dcisim::testing {

using billing::OpenOrder;
using billing::StepResult;
using billing::StepStatus;

inline const std::string kConfig = "i9-9900K-64Gb-2x1024NVMe";

struct Rig {
  FakeDci dci;
  LossyTransport transport{dci};
  common::VirtualClock clock;
  RecordingContext context{dci};
  billing::dci6::Dci6Settings settings = [] {
    billing::dci6::Dci6Settings s;
    s.base_url = "http://fake";
    s.admin_email = "admin@example.com";
    s.admin_password = "admin-pw";
    return s;
  }();
  std::unique_ptr<billing::dci6::Dci6Module> module;

  Rig() { rebuild(); }
  void rebuild() { module = std::make_unique<billing::dci6::Dci6Module>(settings, transport, clock); }

  // Runs open steps (as the billing runner would, saving progress) until it is not `waiting`,
  // finishing the remote operations whenever the module waits.
  StepResult open_until_settled(const OpenOrder& order, Json& progress, int max_steps = 10) {
    StepResult result;
    for (int i = 0; i < max_steps; ++i) {
      result = module->open(order, progress, context);
      progress = result.progress;
      if (result.status != StepStatus::waiting) return result;
      context.now_ = result.wake_at;
      dci.finish_operations("ok");
    }
    return result;
  }
};

inline OpenOrder order_for(const std::string& email = "client@example.com") {
  OpenOrder order;
  order.service_id = 42;
  order.client_email = email;
  order.client_name = "Client One";
  order.user_password = "user-pw-1";
  order.location_id = 3;
  order.configuration = kConfig;
  order.os_template = "Debian 12";
  order.domain = "s42.example.net";
  order.root_password = "root-pw-1";
  return order;
}

inline size_t owned_by(const FakeDci& dci, int64_t user) {
  size_t n = 0;
  for (const auto& [id, server] : dci.servers) n += server.owner == user ? 1 : 0;
  return n;
}

}  // namespace dcisim::testing
