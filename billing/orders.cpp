// Orders and what a client does with a service's money side: place an order (charged at once when
// the balance allows, else it waits for payment), prolong by k periods, toggle autoprolong.
#include "billing/actions.h"
#include "billing/funds.h"
#include "billing/history.h"
#include "billing/lifecycle.h"
#include "billing/secrets.h"
#include "billing/tariffs.h"

namespace dcisim::billing {

namespace {

using common::Money;

common::Status require_active_client(Core& core, ClientId client, const std::string& what) {
  DCISIM_ASSIGN_OR_RETURN(ClientRow row, load_client(core.db, client));
  if (row.status == ClientStatus::blocked) {
    return common::Error::conflict("client " + client.to_string() + " is blocked: " + what +
                                   " is refused until staff unblock the client");
  }
  return common::Status::success();
}

common::Result<ServiceId> insert_service(Core& core, const OrderRequest& order, AccountId account) {
  // Inside BEGIN IMMEDIATE nobody else writes, so the next id is ours; the domain needs it.
  store::Statement next = core.db.prepare("SELECT COALESCE(MAX(id), 0) + 1 FROM services");
  if (!next.next()) {
    DCISIM_RETURN_IF_ERROR(next.status());
    return common::Error::internal("cannot allocate a service id");
  }
  ServiceId id(next.integer(0));
  store::Statement st = core.db.prepare(
      "INSERT INTO services (id, client_id, account_id, tariff_id, status, flags, period_months, "
      "autoprolong, os_template, extra_ipv4, extra_ipv6, script, domain, created_at) "
      "VALUES (?1, ?2, ?3, ?4, 'ordered', '', ?5, ?6, ?7, ?8, ?9, ?10, ?11, ?12)");
  st.bind(1, id.value()).bind(2, order.client.value()).bind(3, account.value());
  st.bind(4, order.tariff.value()).bind(5, order.period_months).bind(6, order.autoprolong);
  st.bind(7, order.os_template).bind(8, order.extra_ipv4).bind(9, order.extra_ipv6);
  st.bind(10, order.script);
  st.bind(11, "service-" + id.to_string() + "." + core.settings.domain_suffix);
  st.bind(12, core.now().unix_ms());
  DCISIM_RETURN_IF_ERROR(st.run());
  std::string root_password = generate_secret(core.settings.secrets, core.seed, "root", id.value(), 16);
  DCISIM_RETURN_IF_ERROR(set_service_param(core.db, id, "root_password", root_password));
  return id;
}

}  // namespace

common::Result<ServiceId> place_order(Core& core, const OrderRequest& order) {
  DCISIM_RETURN_IF_ERROR(require_active_client(core, order.client, "a new order"));
  DCISIM_ASSIGN_OR_RETURN(TariffView tariff, load_tariff(core.db, order.tariff));
  DCISIM_RETURN_IF_ERROR(validate_order_against(tariff.spec, order));
  DCISIM_ASSIGN_OR_RETURN(AccountRow account, load_account_of_client(core.db, order.client));
  DCISIM_ASSIGN_OR_RETURN(ServiceId id, insert_service(core, order, account.id));
  DCISIM_ASSIGN_OR_RETURN(ServiceRow s, load_service(core.db, id));
  HistoryEntry entry;
  entry.entity = "service";
  entry.entity_id = id.value();
  entry.to_status = service_status_name(ServiceStatus::ordered);
  entry.actor = Actor::client;
  entry.reason = "ordered '" + tariff.spec.name + "' for " + std::to_string(order.period_months) +
                 " month(s)";
  DCISIM_RETURN_IF_ERROR(write_history(core.db, core.now(), entry));
  Money price = total_of(service_charges(tariff.spec, s, 1, true));
  if (account.can_afford(price)) {
    DCISIM_RETURN_IF_ERROR(pay_order(core, s, tariff.spec, account, Actor::client, "paid from the balance"));
  }
  return id;
}

common::Status prolong(Core& core, ServiceId id, int periods, Actor actor, std::optional<int> period_months) {
  if (periods < 1 || periods > 12) {
    return common::Error::invalid("prolong by " + std::to_string(periods) + " periods: expected 1..12");
  }
  DCISIM_ASSIGN_OR_RETURN(ServiceRow s, load_service(core.db, id));
  if (actor == Actor::client) DCISIM_RETURN_IF_ERROR(require_active_client(core, s.client_id, "prolonging"));
  DCISIM_RETURN_IF_ERROR(require_not_processing(core, s));
  if (s.status != ServiceStatus::active && s.status != ServiceStatus::suspended) {
    return common::Error::conflict("service " + id.to_string() + " is " + service_status_name(s.status) +
                                   (s.status == ServiceStatus::ordered ? ": pay the order first"
                                                                       : ": it cannot be prolonged"));
  }
  DCISIM_ASSIGN_OR_RETURN(TariffView tariff, load_tariff(core.db, s.tariff_id));
  int unit = period_months.value_or(s.period_months);
  if (tariff.spec.prices.count(unit) == 0) {
    std::string offered;
    for (const auto& [months, price] : tariff.spec.prices) offered += (offered.empty() ? "" : ", ") + std::to_string(months);
    return common::Error::invalid("prolong by " + std::to_string(unit) + "-month periods: tariff '" + tariff.spec.name +
                                  "' has prices for " + offered + " month(s) only");
  }
  DCISIM_ASSIGN_OR_RETURN(AccountRow account, load_account(core.db, s.account_id));
  std::string reason = "prolonged by " + std::to_string(periods) + " period(s) of " + std::to_string(unit) +
                       " month(s) by " + actor_name(actor);
  if (s.flags.has(SuspendFlag::automatic)) {
    return pay_resume(core, s, tariff.spec, account, periods, actor, reason, unit);
  }
  return renew(core, s, tariff.spec, account, periods, actor, reason, unit);
}

common::Status set_autoprolong(Core& core, ServiceId id, bool on, Actor actor) {
  DCISIM_ASSIGN_OR_RETURN(ServiceRow s, load_service(core.db, id));
  if (actor == Actor::client) DCISIM_RETURN_IF_ERROR(require_active_client(core, s.client_id, "changing autoprolong"));
  if (s.status == ServiceStatus::deleted) {
    return common::Error::conflict("service " + id.to_string() + " is deleted");
  }
  if (s.autoprolong == on) return common::Status::success();
  s.autoprolong = on;
  ChangeNote note{actor, std::string("autoprolong ") + (on ? "on" : "off"), std::nullopt,
                  std::nullopt, std::nullopt};
  DCISIM_RETURN_IF_ERROR(change_service(core, s, s.status, s.flags, note));
  if (on) return settle_account(core, s.account_id, Actor::funds, "autoprolong turned on");
  return common::Status::success();
}

}  // namespace dcisim::billing
