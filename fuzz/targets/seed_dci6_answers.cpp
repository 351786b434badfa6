// Writes seed inputs for the dci6_answers target: each operation of the DCImanager 6 module run
// against the real emulator, with every answer recorded in the target's input format (operation
// byte, then per request: status choice, two length bytes, body). Run it to regenerate
// fuzz/corpus/dci6_answers/seed-*: `build/bin/dcisim_fuzz_seed_dci6_answers fuzz/corpus/dci6_answers`.
#include <cstdio>
#include <fstream>
#include <string>

#include "billing/dci6/module.h"
#include "common/clock.h"
#include "mockdci/default_inventory.h"
#include "mockdci/emulator.h"

namespace {

using namespace dcisim;

// The status choices of dci6_answers.cpp, in its order.
int status_choice(int status) {
  static constexpr int kStatuses[] = {200, 200, 200, 201, 400, 401, 403, 404, 409, 500, 503, 302, 204};
  for (int i = 0; i < 13; ++i) {
    if (kStatuses[i] == status) return i;
  }
  return 13;
}

class Recorder final : public common::HttpTransport {
 public:
  explicit Recorder(mockdci::Emulator& emulator) : emulator_(emulator) {}
  common::Result<common::HttpResponse> send(const common::HttpRequest& request) override {
    common::HttpResponse response = emulator_.handle(request);
    std::string body = response.body.substr(0, 1500);
    int choice = status_choice(response.status);
    bytes += static_cast<char>(choice);
    if (choice == 13) bytes += static_cast<char>(response.status / 3);
    bytes += static_cast<char>(body.size() >> 8);
    bytes += static_cast<char>(body.size() & 0xff);
    bytes += body;
    return response;
  }
  std::string describe() const override { return "recorder"; }
  std::string bytes;

 private:
  mockdci::Emulator& emulator_;
};

class Context final : public billing::OperationContext {
 public:
  explicit Context(const common::Clock& clock) : clock_(clock) {}
  common::Instant now() const override { return clock_.now(); }
  common::Status checkpoint(const billing::Json&) override { return common::Status::success(); }

 private:
  const common::Clock& clock_;
};

}  // namespace

int main(int argc, char** argv) {
  if (argc != 2) {
    std::fprintf(stderr, "usage: %s OUTPUT_FOLDER\n", argv[0]);
    return 2;
  }
  common::VirtualClock clock;
  mockdci::EmulatorOptions options;
  options.inventory = *mockdci::default_inventory();
  options.clock = &clock;
  auto emulator = std::move(mockdci::Emulator::create(std::move(options)).value());
  billing::dci6::Dci6Settings settings;
  settings.base_url = "http://dci.fuzz";
  settings.admin_email = "admin@example.com";
  settings.admin_password = "secret";
  Context context(clock);
  billing::RemoteService service{7, 0, billing::SuspensionMode::both, "alice@example.com", "service-7.dcisim.invalid"};
  const char* names[] = {"open", "suspend", "resume", "close", "sync", "remote_view"};
  for (int operation = 0; operation < 6; ++operation) {
    Recorder recorder(*emulator);
    recorder.bytes += static_cast<char>(operation);
    billing::dci6::Dci6Module module(settings, recorder, clock);
    billing::Json progress = billing::Json::object();
    for (int step = 0; step < 6; ++step) {
      billing::StepResult result;
      if (operation == 0) {
        billing::OpenOrder order;
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
        if (result.opened) service.server_id = result.opened->server_id;
      } else if (operation == 1) {
        result = module.suspend(service, progress, context);
      } else if (operation == 2) {
        result = module.resume(service, progress, context);
      } else if (operation == 3) {
        result = module.close(service, progress, context);
      } else if (operation == 4) {
        (void)module.sync({{service, true}});
        break;
      } else {
        (void)module.remote_view();
        break;
      }
      if (result.status != billing::StepStatus::waiting) break;
      if (!result.progress.is_null() && !result.progress.empty()) progress = result.progress;
      (void)clock.advance_to(result.wake_at + common::Duration::minutes(30));
    }
    std::string path = std::string(argv[1]) + "/seed-" + names[operation];
    std::ofstream(path, std::ios::binary) << recorder.bytes;
    std::printf("%s: %zu bytes\n", path.c_str(), recorder.bytes.size());
  }
  return 0;
}
