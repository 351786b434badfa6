#include "billing/tariffs.h"

#include <algorithm>
#include <set>


namespace dcisim::billing {

namespace {

using common::Money;

const AddonSpec* find_addon(const TariffSpec& spec, AddonKind kind, const std::string& name) {
  for (const AddonSpec& addon : spec.addons) {
    if (addon.kind == kind && (kind != AddonKind::script || addon.name == name)) return &addon;
  }
  return nullptr;
}

common::Status validate_addons(const TariffSpec& spec, const std::string& where) {
  std::set<std::pair<AddonKind, std::string>> seen;
  int ipv4 = 0, ipv6 = 0;
  for (const AddonSpec& addon : spec.addons) {
    if (addon.name.empty()) return common::Error::invalid(where + "addons: an addon without a name");
    if (addon.monthly_price.is_negative() || addon.monthly_price > kMaxAmount || addon.max_quantity < 1 ||
        addon.max_quantity > 256) {
      return common::Error::invalid(where + "addons: '" + addon.name + "' needs a price in 0.." +
                                    kMaxAmount.to_string() + " and a max quantity in 1..256");
    }
    if (addon.kind == AddonKind::script && addon.max_quantity != 1) {
      return common::Error::invalid(where + "addons: script '" + addon.name + "' has max quantity 1");
    }
    ipv4 += addon.kind == AddonKind::ipv4;
    ipv6 += addon.kind == AddonKind::ipv6;
    if (!seen.insert({addon.kind, addon.name}).second || ipv4 > 1 || ipv6 > 1) {
      return common::Error::invalid(where + "addons: at most one ipv4 and one ipv6 addon, and "
                                    "scripts with distinct names");
    }
  }
  return common::Status::success();
}

}  // namespace

common::Status validate_tariff(const TariffSpec& spec) {
  std::string where = "tariff '" + spec.name + "': ";
  if (spec.name.empty()) return common::Error::invalid("tariff: a name is required");
  if (spec.location_id <= 0) return common::Error::invalid(where + "location_id must be > 0");
  if (spec.configuration.empty()) return common::Error::invalid(where + "configuration is required");
  if (spec.os_templates.empty()) {
    return common::Error::invalid(where + "os_templates: at least one allowed OS template");
  }
  if (spec.prices.empty()) return common::Error::invalid(where + "prices: at least one period");
  for (const auto& [months, price] : spec.prices) {
    if (months != 1 && months != 3 && months != 6 && months != 12) {
      return common::Error::invalid(where + "prices: period of " + std::to_string(months) +
                                    " months (expected 1, 3, 6 or 12)");
    }
    if (price.is_negative() || price > kMaxAmount) {
      return common::Error::invalid(where + "prices: a price must be in 0.." + kMaxAmount.to_string());
    }
  }
  if (spec.setup_fee.is_negative() || spec.setup_fee > kMaxAmount) {
    return common::Error::invalid(where + "setup_fee must be in 0.." + kMaxAmount.to_string());
  }
  if (spec.auto_delete_days < 0 || spec.auto_delete_days > 3650 || spec.grace_days < 0 ||
      spec.grace_days > 365) {
    return common::Error::invalid(where + "auto_delete_days must be in 0..3650, grace_days in 0..365");
  }
  return validate_addons(spec, where);
}

common::Result<TariffId> insert_tariff(store::Database& db, common::Instant now,
                                       const TariffSpec& spec) {
  DCISIM_RETURN_IF_ERROR(validate_tariff(spec));
  store::Statement st = db.prepare(
      "INSERT INTO tariffs (name, location_id, configuration, setup_fee, auto_delete_days, "
      "auto_delete_manual, grace_days, refund_unused_on_delete, suspension_mode, created_at) "
      "VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8, ?9, ?10)");
  st.bind(1, spec.name).bind(2, spec.location_id).bind(3, spec.configuration);
  st.bind(4, spec.setup_fee.sub_units()).bind(5, spec.auto_delete_days);
  st.bind(6, spec.auto_delete_manual).bind(7, spec.grace_days);
  st.bind(8, spec.refund_unused_on_delete).bind(9, suspension_mode_name(spec.suspension_mode));
  st.bind(10, now.unix_ms());
  common::Status inserted = st.run();
  if (!inserted.ok() && inserted.error().kind == common::ErrorKind::conflict) {
    return common::Error::conflict("a tariff named '" + spec.name + "' already exists");
  }
  DCISIM_RETURN_IF_ERROR(inserted);
  TariffId id(db.last_insert_id());
  for (const auto& [months, price] : spec.prices) {
    store::Statement p = db.prepare(
        "INSERT INTO tariff_prices (tariff_id, months, price) VALUES (?1, ?2, ?3)");
    p.bind(1, id.value()).bind(2, months).bind(3, price.sub_units());
    DCISIM_RETURN_IF_ERROR(p.run());
  }
  for (const std::string& name : spec.os_templates) {
    store::Statement t =
        db.prepare("INSERT OR IGNORE INTO tariff_templates (tariff_id, template) VALUES (?1, ?2)");
    t.bind(1, id.value()).bind(2, name);
    DCISIM_RETURN_IF_ERROR(t.run());
  }
  for (const AddonSpec& addon : spec.addons) {
    store::Statement a = db.prepare(
        "INSERT INTO tariff_addons (tariff_id, kind, name, monthly_price, max_quantity) "
        "VALUES (?1, ?2, ?3, ?4, ?5)");
    a.bind(1, id.value()).bind(2, addon_kind_name(addon.kind)).bind(3, addon.name);
    a.bind(4, addon.monthly_price.sub_units()).bind(5, addon.max_quantity);
    DCISIM_RETURN_IF_ERROR(a.run());
  }
  return id;
}

common::Result<TariffView> load_tariff(store::Database& db, TariffId id) {
  store::Statement st = db.prepare(
      "SELECT name, location_id, configuration, setup_fee, auto_delete_days, auto_delete_manual, "
      "grace_days, refund_unused_on_delete, suspension_mode FROM tariffs WHERE id = ?1");
  st.bind(1, id.value());
  if (!st.next()) {
    DCISIM_RETURN_IF_ERROR(st.status());
    return common::Error::not_found("tariff " + id.to_string() + " does not exist");
  }
  TariffView view;
  view.id = id;
  TariffSpec& spec = view.spec;
  spec.name = st.text(0);
  spec.location_id = st.integer(1);
  spec.configuration = st.text(2);
  spec.setup_fee = Money::from_sub_units(st.integer(3));
  spec.auto_delete_days = static_cast<int>(st.integer(4));
  spec.auto_delete_manual = st.boolean(5);
  spec.grace_days = static_cast<int>(st.integer(6));
  spec.refund_unused_on_delete = st.boolean(7);
  DCISIM_ASSIGN_OR_RETURN(spec.suspension_mode, parse_suspension_mode(st.text(8)));

  store::Statement prices =
      db.prepare("SELECT months, price FROM tariff_prices WHERE tariff_id = ?1 ORDER BY months");
  prices.bind(1, id.value());
  while (prices.next()) {
    spec.prices[static_cast<int>(prices.integer(0))] = Money::from_sub_units(prices.integer(1));
  }
  DCISIM_RETURN_IF_ERROR(prices.status());
  store::Statement templates =
      db.prepare("SELECT template FROM tariff_templates WHERE tariff_id = ?1 ORDER BY template");
  templates.bind(1, id.value());
  while (templates.next()) spec.os_templates.push_back(templates.text(0));
  DCISIM_RETURN_IF_ERROR(templates.status());
  store::Statement addons = db.prepare(
      "SELECT kind, name, monthly_price, max_quantity FROM tariff_addons WHERE tariff_id = ?1 "
      "ORDER BY kind, name");
  addons.bind(1, id.value());
  while (addons.next()) {
    AddonSpec addon;
    DCISIM_ASSIGN_OR_RETURN(addon.kind, parse_addon_kind(addons.text(0)));
    addon.name = addons.text(1);
    addon.monthly_price = Money::from_sub_units(addons.integer(2));
    addon.max_quantity = static_cast<int>(addons.integer(3));
    spec.addons.push_back(addon);
  }
  DCISIM_RETURN_IF_ERROR(addons.status());
  return view;
}

common::Status validate_order_against(const TariffSpec& spec, const OrderRequest& order) {
  std::string where = "order of tariff '" + spec.name + "': ";
  if (spec.prices.count(order.period_months) == 0) {
    std::string offered;
    for (const auto& [months, price] : spec.prices) {
      offered += (offered.empty() ? "" : ", ") + std::to_string(months);
    }
    return common::Error::invalid(where + "no price for a period of " +
                                  std::to_string(order.period_months) + " months (offered: " +
                                  offered + ")");
  }
  if (std::find(spec.os_templates.begin(), spec.os_templates.end(), order.os_template) ==
      spec.os_templates.end()) {
    return common::Error::invalid(where + "OS template '" + order.os_template +
                                  "' is not allowed by this tariff");
  }
  struct Wanted { AddonKind kind; int quantity; const char* what; };
  for (Wanted wanted : {Wanted{AddonKind::ipv4, order.extra_ipv4, "extra IPv4 addresses"},
                        Wanted{AddonKind::ipv6, order.extra_ipv6, "extra IPv6 addresses"}}) {
    if (wanted.quantity < 0) return common::Error::invalid(where + "negative " + wanted.what);
    if (wanted.quantity == 0) continue;
    const AddonSpec* addon = find_addon(spec, wanted.kind, "");
    if (addon == nullptr || wanted.quantity > addon->max_quantity) {
      return common::Error::invalid(where + std::to_string(wanted.quantity) + " " + wanted.what +
                                    " requested, the tariff offers " +
                                    std::to_string(addon ? addon->max_quantity : 0));
    }
  }
  if (!order.script.empty() && find_addon(spec, AddonKind::script, order.script) == nullptr) {
    return common::Error::invalid(where + "script '" + order.script + "' is not offered");
  }
  return common::Status::success();
}

std::vector<ChargeItem> service_charges(const TariffSpec& spec, const ServiceRow& service,
                                        int periods, bool with_setup, int period_months) {
  DCISIM_ASSERT(periods >= 1, "charging no periods");
  int unit = period_months == 0 ? service.period_months : period_months;
  auto price = spec.prices.find(unit);
  DCISIM_ASSERT(price != spec.prices.end(), "a period without a tariff price");
  int months = unit * periods;
  std::vector<ChargeItem> items;
  items.push_back({ExpenseKind::period, price->second * periods,
                   std::to_string(months) + " month(s) of '" + spec.name + "'"});
  if (with_setup && !spec.setup_fee.is_zero()) {
    items.push_back({ExpenseKind::setup, spec.setup_fee, "setup of '" + spec.name + "'"});
  }
  Money addons;
  std::string what;
  auto add = [&](const AddonSpec* addon, int quantity) {
    if (addon == nullptr || quantity == 0) return;
    addons += addon->monthly_price * quantity * months;
    what += (what.empty() ? "" : ", ") + std::to_string(quantity) + " x " + addon->name;
  };
  add(find_addon(spec, AddonKind::ipv4, ""), service.extra_ipv4);
  add(find_addon(spec, AddonKind::ipv6, ""), service.extra_ipv6);
  if (!service.script.empty()) add(find_addon(spec, AddonKind::script, service.script), 1);
  if (!what.empty()) {
    items.push_back({ExpenseKind::addon, addons,
                     "addons for " + std::to_string(months) + " month(s): " + what});
  }
  return items;
}

}  // namespace dcisim::billing
