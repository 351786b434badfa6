// A scenario file, parsed: its fixture (inventory, tariffs, settings) and its steps, each with
// the JSON pointer it came from so that errors found later (when the fixture is resolved or a step
// fails) still name the place in the file. The format is documented in docs/SCENARIOS.md and
// scenarios/schema/scenario.schema.json.
#pragma once

#include <cstdint>
#include <map>
#include <optional>
#include <string>
#include <variant>
#include <vector>

#include <nlohmann/json.hpp>

#include "common/json_positions.h"
#include "common/money.h"
#include "common/time.h"

namespace dcisim::scenarios {

using Json = nlohmann::json;

// Where something came from: "scenarios/suite/a.json" and "/steps/3/order/tariff".
struct Origin {
  std::string file;
  std::string pointer;
};

struct TariffFixture {
  Origin origin;
  std::string name;
  std::string location;       // inventory location name
  std::string configuration;  // server configuration string
  std::vector<std::string> os_templates;
  std::map<int, common::Money> prices;  // months (1, 3, 6, 12) -> price for that period
  common::Money setup_fee;
  std::optional<common::Money> ipv4_price;  // monthly, per extra address; absent: not offered
  std::optional<common::Money> ipv6_price;
  std::map<std::string, common::Money> scripts;  // script name -> monthly price
  int grace_days = 0;
  int auto_delete_days = 7;
  bool refund_unused_on_delete = false;
  std::string suspension = "port";  // port | power | both
};

struct Fixture {
  // The shipped inventory ("default", also when absent), a file (resolved against the scenario
  // file's folder), or an inline inventory object.
  enum class InventorySource { shipped_default, file, inline_object };
  InventorySource inventory_source = InventorySource::shipped_default;
  std::string inventory_path;  // for `file`
  Json inventory_inline;       // for `inline_object`
  Origin inventory_origin;
  std::optional<common::Instant> start;  // virtual start; default VirtualClock::kDefaultStart
  Json settings = Json::object();        // billing settings overrides, checked by the runner
  Origin settings_origin;
  std::vector<TariffFixture> tariffs;
};

// ---- steps -------------------------------------------------------------------------------------

struct RegisterStep { std::string as, email, name, password; };
struct BlockStep { std::string client; bool blocked = true; };
struct PayStep {
  std::string client;
  common::Money amount;
  std::string external_id;  // "" = a fresh one per step
  std::string as;           // names the payment for `refund`
};
struct CreditStep { std::string client; common::Money amount; std::string note; };
struct CreditLimitStep { std::string client; common::Money limit; };
struct RefundStep { std::string payment; std::optional<common::Money> amount; };  // none = full
struct OrderStep {
  std::string client, tariff, os, as;
  int period_months = 1;
  int extra_ipv4 = 0;
  int extra_ipv6 = 0;
  std::string script;
  bool autoprolong = true;
};
struct ProlongStep {
  std::string service;
  int periods = 1;
  std::optional<int> period_months;  // none: the service's own period
};
struct AutoprolongStep { std::string service; bool on = true; };
struct SuspendStep { std::string service; std::string by = "admin"; };  // admin | abuse | client
struct ResumeStep { std::string service; std::string by = "admin"; };
struct DeleteStep { std::string service; std::string by = "client"; };
struct CancelTaskStep { std::string service; };
struct RetryTaskStep { std::string service; };  // staff fixed the cause: the operation runs again
struct AdvanceStep {
  enum class Kind { by, to_instant, to_next_expiry, to_service_expiry } kind = Kind::by;
  common::Duration by;
  common::Instant to;
  std::string service;   // for to_service_expiry
  common::Duration plus; // added to the expiry for the *_expiry kinds
};
struct RunJobStep { std::string job; };  // "daily" | "sync" | "operations"
// What staff do in DCImanager's panel: on a service's server (`service`) or a server by its
// emulator id (`server`), or on an IP pool.
struct PanelStep {
  std::string action;   // power_off, power_on, ports_down, ports_up, release, give, domain,
                        // maintenance_on, maintenance_off, shrink_pool
  std::string service;  // the service whose server it is
  int64_t server = 0;   // or a server by id
  std::string owner;    // give: the new owner's e-mail
  std::string domain;   // domain: the new domain
  std::string pool;     // shrink_pool: the pool's name
  int64_t free_ipv4 = 0;  // shrink_pool: at most this many free IPv4 addresses remain
};
struct FaultStep { Json spec; };  // handed to the emulator's fault hook
struct RestartStep {               // close the billing core and open it again from its file
  common::Duration down;           // how long it stays down (the emulator's time goes on)
};

// ---- expectations ------------------------------------------------------------------------------

struct HistoryExpectation {
  std::optional<std::string> from, to, actor, reason_contains;
};
// An instant, exactly or within [from, to] (both included).
struct TimeExpectation {
  common::Instant from;
  common::Instant to;
  bool exact() const { return from == to; }
};
struct ChargeExpectation {
  std::string kind;
  common::Money amount;
  std::optional<TimeExpectation> start, end;  // of the period the charge paid for
};
struct TaskExpectation {
  std::optional<std::string> kind;             // open | suspend | resume | close
  std::optional<std::string> reason_contains;
};
struct PaymentExpectation {
  std::string name;                            // for `payment`; empty in a client's list
  std::optional<std::string> status;           // new | in_pay | paid | canceled | refunded
  std::optional<common::Money> amount;
  std::optional<std::string> method;
};
// Requests DCImanager received (the emulator's journal, from the scenario's start), WireMock's
// verify(count, request): method and a path pattern (* one segment, ** the rest, or a prefix).
struct RequestExpectation {
  std::string method;  // "" = any
  std::string path;
  std::optional<int> status;  // only answers with this status
  int count = 0;
};
struct PoolExpectation {
  std::optional<int64_t> used_ipv4, free_ipv4, used_ipv6;
  std::optional<std::string> free_ipv6;        // decimal: an IPv6 network is larger than 64 bits
};
struct ServerExpectation {
  std::optional<std::optional<std::string>> owner;  // engaged+nullopt: must be free
  std::optional<std::string> power;                 // ON | OFF
  std::optional<std::string> ports;                 // up | down
  std::optional<int> ip_count, ipv4, ipv6;
  std::optional<std::string> pool;                  // every address from this pool
  std::optional<std::string> state;
};
struct ExpectStep {
  // subject: a service, a client, or neither (global checks)
  std::string service;
  std::optional<std::string> status;
  std::optional<std::vector<std::string>> flags;
  std::optional<std::optional<TimeExpectation>> expiredate;  // engaged+nullopt: no expiredate
  std::optional<bool> autoprolong;
  std::optional<int> charge_count;
  std::optional<common::Money> charge_total;
  std::optional<std::vector<ChargeExpectation>> charges;  // exact list, in order
  std::vector<HistoryExpectation> history;                // an ordered subsequence
  std::optional<ServerExpectation> server;
  bool expect_no_server = false;                          // "server": null
  std::optional<std::optional<TaskExpectation>> task;     // its open task; engaged+nullopt: none

  std::string client;
  std::optional<common::Money> balance;
  std::optional<std::vector<PaymentExpectation>> payments;  // the client's, exact list in order

  std::optional<PaymentExpectation> payment;              // one named payment
  std::map<std::string, PoolExpectation> pools;           // by pool name
  std::vector<RequestExpectation> requests;

  std::optional<int> open_tasks;
  std::map<std::string, int> free;  // configuration -> free server count
};

using StepBody = std::variant<RegisterStep, BlockStep, PayStep, CreditStep, CreditLimitStep,
                              RefundStep, OrderStep, ProlongStep, AutoprolongStep, SuspendStep,
                              ResumeStep, DeleteStep, CancelTaskStep, RetryTaskStep, AdvanceStep, RunJobStep, PanelStep,
                              FaultStep, RestartStep, ExpectStep>;

struct Step {
  Origin origin;        // "/steps/3"
  std::string keyword;  // "order"
  std::string text;     // one line for reports, as written: `order {"client": "alice", ...}`
  common::JsonSpan source;  // where the step is written in the file (line 0: unknown)
  StepBody body;
  std::optional<std::string> expect_error;  // the step must be refused with this (substring)
  // Audit invariants this step is expected to break (the audit must report each after it; later
  // steps tolerate them): how a scenario asserts that the audit catches what it must.
  std::vector<std::string> expect_audit;
  std::string note;
};

struct Scenario {
  std::string file;
  std::string suite;  // the folder the file is in, for JUnit's classname
  std::string name;
  std::string description;
  std::vector<std::string> tags;
  std::optional<uint64_t> seed;
  Fixture fixture;
  std::vector<Step> steps;
  // The file as read (at most limits.h's kMaxScenarioBytes): failures find the positions of the
  // parts they name in it and show them as written.
  std::string source_text;
};

}  // namespace dcisim::scenarios
