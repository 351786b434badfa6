// The crash test's victim: a billing core in its own process, driven by a seeded workload against
// `dcisim serve --clock virtual` over HTTP, until the test kills it with SIGKILL.
//
//   dcisim_crash_driver DB URL CONTROL_TOKEN SEED ROUND ACTIONS
//
// Opens (or creates) the billing database DB, its DCImanager 6 module pointed at URL, and a
// VirtualClock started at the emulator's now (GET /mockdci/v1/clock), so that the two clocks agree
// after every restart. Then ACTIONS seeded actions: register, pay (a fresh external id), replay a
// paid callback, order, suspend/resume, delete, and advance (the emulator's clock through the
// control API, then billing's to the same instant). After each action one line on stdout, flushed:
//   ACK <external_id> <amount in sub-units>   a payment committed (the test checks it survives)
//   STEP <n>                                   any other action done
// Exit 0 after ACTIONS actions (never reached when the test kills it first), 2 on usage errors,
// 1 when the world cannot be built.
#include <httplib.h>

#include <algorithm>
#include <cstdio>
#include <memory>
#include <string>

#include "billing/billing.h"
#include "billing/dci6/module.h"
#include "common/clock.h"
#include "common/json_input.h"
#include "common/rng.h"

namespace {

using namespace dcisim;
using billing::Actor;
using common::Money;

struct Control {
  httplib::Client http;
  httplib::Headers headers;
  Control(const std::string& url, const std::string& token) : http(url), headers{{"Authorization", "Bearer " + token}} {}

  common::Result<common::Instant> now() {
    auto answer = http.Get("/mockdci/v1/clock", headers);
    if (!answer || answer->status != 200) return common::Error::io("GET /mockdci/v1/clock failed");
    auto body = common::parse_json_text(answer->body, "clock", false);
    if (!body || !body->contains("now")) return common::Error::io("GET /mockdci/v1/clock: no now");
    return common::parse_instant(body->at("now").get<std::string>());
  }
  common::Result<common::Instant> advance(common::Duration d) {
    std::string body = "{\"seconds\": " + std::to_string(d.count_seconds()) + "}";
    auto answer = http.Post("/mockdci/v1/clock/advance", headers, body, "application/json");
    if (!answer || answer->status != 200) return common::Error::io("POST /mockdci/v1/clock/advance failed");
    return now();
  }
};

int fail(const std::string& message) {
  std::fprintf(stderr, "crash driver: %s\n", message.c_str());
  return 1;
}

void line(const std::string& text) {
  std::fputs((text + "\n").c_str(), stdout);
  std::fflush(stdout);
}

billing::TariffSpec tariff_spec(int index) {
  billing::TariffSpec spec;
  spec.name = index == 0 ? "i9-ams" : "i9-ams-power";
  spec.location_id = 1;
  spec.configuration = "i9-9900K-64Gb-2x1024NVMe";
  spec.os_templates = {"Debian 12"};
  spec.prices = {{1, Money::from_units(40)}, {3, Money::from_units(110)}};
  spec.setup_fee = Money::from_units(index * 5);
  spec.auto_delete_days = 3;
  spec.suspension_mode = index == 0 ? billing::SuspensionMode::port : billing::SuspensionMode::both;
  return spec;
}

}  // namespace

int main(int argc, char** argv) {
  if (argc != 7) {
    std::fprintf(stderr, "usage: %s DB URL CONTROL_TOKEN SEED ROUND ACTIONS\n", argv[0]);
    return 2;
  }
  std::string db = argv[1], url = argv[2], token = argv[3];
  uint64_t seed = std::stoull(argv[4]);
  int round = std::stoi(argv[5]);
  int actions = std::stoi(argv[6]);

  Control control(url, token);
  common::Result<common::Instant> start = control.now();
  if (!start) return fail(start.error().message);
  common::VirtualClock clock(*start);
  billing::dci6::Dci6Settings settings;
  settings.base_url = url;
  settings.admin_email = "admin@example.com";
  settings.admin_password = "secret";
  auto module = billing::dci6::Dci6Module::connect(settings, clock);
  if (!module) return fail(module.error().message);
  billing::Settings billing_settings;
  billing_settings.password_iterations = 1000;  // as the tests: hashing guards nothing here
  billing::BillingOptions options{db, &clock, module->get(), seed, billing_settings};
  auto opened = billing::Billing::open(options);
  if (!opened) return fail(opened.error().message);
  billing::Billing& b = **opened;
  clock.subscribe(&b);
  std::vector<billing::TariffId> tariffs;
  for (int i = 0; i < 2; ++i) {
    billing::TariffId id(i + 1);
    if (!b.tariff(id)) {
      auto created = b.create_tariff(tariff_spec(i));
      if (!created) return fail(created.error().message);
      id = *created;
    }
    tariffs.push_back(id);
  }

  common::Rng rng(seed ^ (static_cast<uint64_t>(round) * 0x9E3779B97F4A7C15ULL));
  for (int n = 0; n < actions; ++n) {
    auto clients = b.clients().value();
    auto services = b.services().value();
    int64_t pick = rng.uniform(0, 99);
    if (clients.size() < 3 || (pick < 8 && clients.size() < 10)) {
      std::string email = "c" + std::to_string(round) + "-" + std::to_string(n) + "@example.com";
      (void)b.register_client({email, "Client " + email, "crash-test-password"});
    } else if (pick < 30) {
      const auto& client = clients[static_cast<size_t>(rng.uniform(0, static_cast<int64_t>(clients.size()) - 1))];
      Money amount = Money::from_units(rng.uniform(5, 120));
      std::string external = "gw-" + std::to_string(round) + "-" + std::to_string(n);
      if (b.pay(client.id, amount, "card", external)) line("ACK " + external + " " + std::to_string(amount.sub_units()));
    } else if (pick < 36) {
      const auto& client = clients[static_cast<size_t>(rng.uniform(0, static_cast<int64_t>(clients.size()) - 1))];
      auto payments = b.payments(client.id).value();
      if (!payments.empty() && !payments.back().external_id.empty()) (void)b.confirm_payment(payments.back().external_id);
    } else if (pick < 50) {
      const auto& client = clients[static_cast<size_t>(rng.uniform(0, static_cast<int64_t>(clients.size()) - 1))];
      billing::OrderRequest order{client.id, tariffs[static_cast<size_t>(rng.uniform(0, 1))],
                                  rng.chance(1, 4) ? 3 : 1, "Debian 12", static_cast<int>(rng.uniform(0, 1)), 0, "",
                                  rng.chance(3, 4)};
      (void)b.place_order(order);
    } else if (pick < 58 && !services.empty()) {
      const auto& s = services[static_cast<size_t>(rng.uniform(0, static_cast<int64_t>(services.size()) - 1))];
      if (rng.chance(1, 2)) {
        (void)b.suspend(s.id, billing::SuspendFlag::admin, "crash test");
      } else {
        (void)b.resume(s.id, billing::SuspendFlag::admin, "crash test");
      }
    } else if (pick < 63 && !services.empty()) {
      const auto& s = services[static_cast<size_t>(rng.uniform(0, static_cast<int64_t>(services.size()) - 1))];
      (void)b.delete_service(s.id, rng.chance(1, 2) ? Actor::client : Actor::admin, "crash test");
    } else {
      // The two clocks move in lockstep, 10 minutes at a time, so that billing never polls an
      // emulator far ahead of (or behind) its own time.
      int64_t minutes = rng.uniform(5, 60 * 12);
      for (int64_t done = 0; done < minutes; done += 10) {
        common::Result<common::Instant> now = control.advance(common::Duration::minutes(std::min<int64_t>(10, minutes - done)));
        if (!now) return fail(now.error().message);
        common::Status advanced = clock.advance_to(*now);
        if (!advanced) return fail(advanced.error().message);
      }
    }
    line("STEP " + std::to_string(n));
  }
  clock.unsubscribe(&b);
  return 0;
}
