// Fuzz target: the billing core reading DCImanager's answers. The DCImanager 6 module runs one
// of its operations (open, suspend, resume, close, sync, the remote view) against a transport
// whose every answer (status and body) comes from the input; when the input runs out, requests
// get no response. Promises: nothing throws; every step ends in one of the documented statuses;
// a step that says `done` for an open names the server it opened; a step never asks to wait for
// a time in the past.
#include <cstdint>
#include <string>
#include <vector>

#include "billing/dci6/module.h"
#include "common/clock.h"
#include "common/http.h"
#include "fuzz/targets/fuzz_input.h"

namespace {

using dcisim::billing::Json;
using dcisim::billing::StepResult;
using dcisim::billing::StepStatus;
using dcisim::fuzz::fail;
using dcisim::fuzz::FuzzInput;

class AnswersFromInput final : public dcisim::common::HttpTransport {
 public:
  explicit AnswersFromInput(FuzzInput& in) : in_(in) {}
  dcisim::common::Result<dcisim::common::HttpResponse> send(const dcisim::common::HttpRequest&) override {
    if (in_.empty() || ++requests_ > kMaxRequests) return dcisim::common::Error::io("no response (input exhausted)");
    static constexpr int kStatuses[] = {200, 200, 200, 201, 400, 401, 403, 404, 409, 500, 503, 302, 204, 0};
    dcisim::common::HttpResponse response;
    response.status = kStatuses[in_.below(sizeof kStatuses / sizeof kStatuses[0])];
    if (response.status == 0) response.status = in_.byte() * 3;
    response.body = in_.text(1500);
    return response;
  }
  std::string describe() const override { return "fuzz"; }

 private:
  static constexpr int kMaxRequests = 400;
  FuzzInput& in_;
  int requests_ = 0;
};

class Context final : public dcisim::billing::OperationContext {
 public:
  dcisim::common::Instant now() const override { return now_; }
  dcisim::common::Status checkpoint(const Json& progress) override {
    saved = progress;
    return dcisim::common::Status::success();
  }
  dcisim::common::Instant now_ = dcisim::common::VirtualClock::kDefaultStart;
  Json saved = Json::object();
};

void check_step(const StepResult& step, const Context& context, bool is_open) {
  switch (step.status) {
    case StepStatus::done:
      if (is_open && (!step.opened || step.opened->server_id <= 0)) fail("an open done without a server");
      break;
    case StepStatus::waiting:
      if (step.wake_at < context.now()) fail("a step waits for a time in the past");
      break;
    case StepStatus::retry:
    case StepStatus::manual:
      if (step.message.empty()) fail("a retry or manual step without a message for people");
      break;
  }
}

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  FuzzInput in(data, size);
  size_t operation = in.below(6);
  dcisim::common::VirtualClock clock;
  AnswersFromInput transport(in);
  dcisim::billing::dci6::Dci6Settings settings;
  settings.base_url = "http://dci.fuzz";
  settings.admin_email = "admin@example.com";
  settings.admin_password = "secret";
  settings.max_unavailable_retries = 2;
  dcisim::billing::dci6::Dci6Module module(settings, transport, clock);
  Context context;
  dcisim::billing::RemoteService service{7, 3, dcisim::billing::SuspensionMode::both, "alice@example.com",
                                         "service-7.dcisim.invalid"};
  Json progress = Json::object();
  for (int step = 0; step < 6; ++step) {  // a few steps of one operation, as the runner would call them
    StepResult result;
    if (operation == 0) {
      dcisim::billing::OpenOrder order;
      order.service_id = 7;
      order.client_email = "alice@example.com";
      order.client_name = "Alice";
      order.user_password = "user-pass";
      order.location_id = 1;
      order.configuration = "i9-9900K-64Gb-2x1024NVMe";
      order.os_template = "Debian 12";
      order.extra_ipv4 = 1;
      order.extra_ipv6 = 0;
      order.domain = "service-7.dcisim.invalid";
      order.root_password = "root-pass";
      result = module.open(order, progress, context);
      (void)module.may_hold_server(context.saved);
    } else if (operation == 1) {
      result = module.suspend(service, progress, context);
    } else if (operation == 2) {
      result = module.resume(service, progress, context);
    } else if (operation == 3) {
      result = module.close(service, progress, context);
    } else if (operation == 4) {
      (void)module.sync({{service, true}, {service, false}});
      return 0;
    } else {
      (void)module.remote_view();
      return 0;
    }
    check_step(result, context, operation == 0);
    if (result.status != StepStatus::waiting) break;
    if (!result.progress.is_null() && !result.progress.empty()) progress = result.progress;
    context.now_ = result.wake_at;
  }
  return 0;
}
