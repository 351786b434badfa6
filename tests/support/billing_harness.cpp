#include "tests/support/billing_harness.h"

#include <catch2/catch.hpp>

#include <cstdlib>
#include <filesystem>

namespace dcisim::testing {

Instant at(const char* iso) {
  common::Result<Instant> parsed = common::parse_instant(iso);
  REQUIRE(parsed.ok());
  return *parsed;
}

billing::Settings test_settings() {
  billing::Settings settings;
  settings.password_iterations = 1000;
  return settings;
}

billing::TariffSpec standard_tariff(const std::string& name) {
  billing::TariffSpec spec;
  spec.name = name;
  spec.location_id = 1;
  spec.configuration = "i7-8700-32Gb";
  spec.os_templates = {"Debian 12", "Ubuntu 22.04"};
  spec.prices = {{1, Money::from_units(30)}, {3, Money::from_units(81)}, {12, Money::from_units(300)}};
  spec.setup_fee = Money::from_units(10);
  spec.addons = {{billing::AddonKind::ipv4, "extra-ipv4", Money::from_units(2), 4},
                 {billing::AddonKind::ipv6, "extra-ipv6", Money::parse("0.50").value(), 8},
                 {billing::AddonKind::script, "lamp", Money::from_units(5), 1}};
  spec.auto_delete_days = 14;
  spec.grace_days = 0;
  return spec;
}

TempDir::TempDir() {
  std::string pattern = (std::filesystem::temp_directory_path() / "dcisim-billing-XXXXXX").string();
  REQUIRE(::mkdtemp(pattern.data()) != nullptr);
  path_ = pattern;
}

TempDir::~TempDir() {
  std::error_code ignored;
  std::filesystem::remove_all(path_, ignored);
}

BillingHarness::BillingHarness(billing::Settings settings, uint64_t seed, int servers)
    : settings_(std::move(settings)), seed_(seed), db_path_(dir.path() + "/billing.db") {
  for (int i = 1; i <= servers; ++i) module.add_server(i, "i7-8700-32Gb", 1);
  open();
}

BillingHarness::~BillingHarness() { close(); }

void BillingHarness::open() {
  billing::BillingOptions options{db_path_, &clock, &module, seed_, settings_};
  common::Result<std::unique_ptr<Billing>> opened = Billing::open(options);
  INFO((opened.ok() ? std::string() : opened.error().message));
  REQUIRE(opened.ok());
  billing_ = std::move(opened).value();
  clock.subscribe(billing_.get());
}

void BillingHarness::close() {
  if (!billing_) return;
  clock.unsubscribe(billing_.get());
  billing_.reset();
}

void BillingHarness::reopen() {
  close();
  open();
}

void BillingHarness::advance(Duration d) {
  common::Status advanced = clock.advance(d);
  INFO((advanced.ok() ? std::string() : advanced.error().message));
  REQUIRE(advanced.ok());
  std::vector<std::string> errors = billing_->scheduler_errors();
  std::string joined;
  for (const std::string& e : errors) joined += e + "\n";
  INFO(joined);
  REQUIRE(errors.empty());
}

int64_t BillingHarness::scalar(const std::string& sql) {
  billing::store::Statement st = billing_->database().prepare(sql);
  REQUIRE(st.next());
  return st.integer(0);
}

std::vector<billing::Violation> BillingHarness::audit(bool remote_state) {
  billing::RemoteView remote = module.remote_view().value();
  billing::AuditOptions options;
  options.remote = &remote;
  options.remote_state = remote_state;
  return billing::audit(*billing_, options);
}

ClientId BillingHarness::client(const std::string& name, Money deposit) {
  common::Result<ClientId> id =
      billing_->register_client({name + "@example.com", name, "correct horse battery"});
  INFO((id.ok() ? std::string() : id.error().message));
  REQUIRE(id.ok());
  if (deposit > Money()) {
    std::string external = "gw-" + name + "-" + std::to_string(++payments_);
    common::Result<billing::PaymentId> paid = billing_->pay(*id, deposit, "card", external);
    INFO((paid.ok() ? std::string() : paid.error().message));
    REQUIRE(paid.ok());
  }
  return *id;
}

TariffId BillingHarness::tariff(const billing::TariffSpec& spec) {
  common::Result<TariffId> id = billing_->create_tariff(spec);
  INFO((id.ok() ? std::string() : id.error().message));
  REQUIRE(id.ok());
  return *id;
}

ServiceId BillingHarness::order(ClientId client, TariffId tariff, int months) {
  billing::OrderRequest request;
  request.client = client;
  request.tariff = tariff;
  request.period_months = months;
  request.os_template = "Debian 12";
  common::Result<ServiceId> id = billing_->place_order(request);
  INFO((id.ok() ? std::string() : id.error().message));
  REQUIRE(id.ok());
  return *id;
}

Money BillingHarness::balance(ClientId client) {
  common::Result<billing::AccountView> account = billing_->account(client);
  REQUIRE(account.ok());
  return account->balance;
}

billing::ServiceView BillingHarness::service(ServiceId id) {
  common::Result<billing::ServiceView> view = billing_->service(id);
  INFO((view.ok() ? std::string() : view.error().message));
  REQUIRE(view.ok());
  return *view;
}

}  // namespace dcisim::testing
