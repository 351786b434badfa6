// The fixture part of a scenario: inventory, start time, billing settings, tariffs.
#include <filesystem>

#include "scenarios/parse_internal.h"

namespace dcisim::scenarios::detail {

using common::Error;
using common::Money;
using common::Result;
using common::Status;

namespace {

Result<std::map<int, Money>> read_prices(const JsonNode& node) {
  DCISIM_RETURN_IF_ERROR(node.require_object());
  std::map<int, Money> prices;
  for (const auto& [key, unused] : node.raw()->items()) {
    (void)unused;
    if (key != "1" && key != "3" && key != "6" && key != "12") {
      return node.at(key).error_message("unknown period \"" + key +
                                        "\" (expected months: \"1\", \"3\", \"6\" or \"12\")");
    }
    DCISIM_ASSIGN_OR_RETURN(Money price, node.at(key).money());
    if (price.is_negative()) return node.at(key).error("a price >= 0");
    prices[std::stoi(key)] = price;
  }
  if (prices.empty()) return node.error("prices for at least one period, e.g. {\"1\": \"100.00\"}");
  return prices;
}

Result<std::optional<Money>> read_optional_price(const JsonNode& node) {
  if (!node.present()) return std::optional<Money>();
  DCISIM_ASSIGN_OR_RETURN(Money price, node.money());
  if (price.is_negative()) return node.error("a price >= 0");
  return std::optional<Money>(price);
}

Status read_addons(const JsonNode& node, TariffFixture& tariff) {
  if (!node.present()) return Status::success();
  DCISIM_RETURN_IF_ERROR(node.require_object());
  DCISIM_RETURN_IF_ERROR(node.only_keys({"ipv4", "ipv6", "scripts"}));
  DCISIM_ASSIGN_OR_RETURN(tariff.ipv4_price, read_optional_price(node.at("ipv4")));
  DCISIM_ASSIGN_OR_RETURN(tariff.ipv6_price, read_optional_price(node.at("ipv6")));
  JsonNode scripts = node.at("scripts");
  if (scripts.present()) {
    DCISIM_RETURN_IF_ERROR(scripts.require_object());
    for (const auto& [name, unused] : scripts.raw()->items()) {
      (void)unused;
      DCISIM_ASSIGN_OR_RETURN(std::optional<Money> price, read_optional_price(scripts.at(name)));
      tariff.scripts[name] = *price;
    }
  }
  return Status::success();
}

Result<TariffFixture> read_tariff(const JsonNode& node, const std::string& file, Names& names) {
  DCISIM_RETURN_IF_ERROR(node.require_object());
  DCISIM_RETURN_IF_ERROR(node.only_keys({"name", "location", "configuration", "os", "prices", "setup_fee",
                                         "addons", "grace_days", "auto_delete_days",
                                         "refund_unused_on_delete", "suspension"}));
  TariffFixture tariff;
  tariff.origin = {file, node.pointer()};
  DCISIM_ASSIGN_OR_RETURN(tariff.name, read_new_name(node.at("name"), names.tariffs, "tariff"));
  DCISIM_ASSIGN_OR_RETURN(tariff.location, node.at("location").non_empty_string());
  DCISIM_ASSIGN_OR_RETURN(tariff.configuration, node.at("configuration").non_empty_string());
  JsonNode os = node.at("os");
  DCISIM_RETURN_IF_ERROR(os.require_array());
  if (os.size() == 0) return os.error("at least one OS template name (a server cannot be issued without an OS)");
  for (size_t i = 0; i < os.size(); ++i) {
    DCISIM_ASSIGN_OR_RETURN(std::string name, os.at(i).non_empty_string());
    tariff.os_templates.push_back(name);
  }
  DCISIM_ASSIGN_OR_RETURN(tariff.prices, read_prices(node.at("prices")));
  DCISIM_ASSIGN_OR_RETURN(std::optional<Money> setup, read_optional_price(node.at("setup_fee")));
  tariff.setup_fee = setup.value_or(Money::zero());
  DCISIM_RETURN_IF_ERROR(read_addons(node.at("addons"), tariff));
  DCISIM_ASSIGN_OR_RETURN(int64_t grace, node.at("grace_days").integer_or(0, 0, 365));
  DCISIM_ASSIGN_OR_RETURN(int64_t auto_delete, node.at("auto_delete_days").integer_or(7, 0, 3650));
  tariff.grace_days = static_cast<int>(grace);
  tariff.auto_delete_days = static_cast<int>(auto_delete);
  DCISIM_ASSIGN_OR_RETURN(tariff.refund_unused_on_delete, node.at("refund_unused_on_delete").boolean_or(false));
  DCISIM_ASSIGN_OR_RETURN(tariff.suspension, node.at("suspension").string_or("port"));
  if (tariff.suspension != "port" && tariff.suspension != "power" && tariff.suspension != "both") {
    return node.at("suspension").error("\"port\", \"power\" or \"both\"");
  }
  return tariff;
}

Status read_inventory(const JsonNode& node, const std::string& file, Fixture& fixture) {
  fixture.inventory_origin = {file, node.pointer()};
  if (!node.present()) return Status::success();
  if (node.raw()->is_object()) {
    fixture.inventory_source = Fixture::InventorySource::inline_object;
    fixture.inventory_inline = *node.raw();
    return Status::success();
  }
  DCISIM_ASSIGN_OR_RETURN(std::string name, node.non_empty_string());
  if (name == "default") return Status::success();
  std::filesystem::path path(name);
  if (path.is_relative()) path = std::filesystem::path(file).parent_path() / path;
  fixture.inventory_source = Fixture::InventorySource::file;
  fixture.inventory_path = path.lexically_normal().string();
  return Status::success();
}

}  // namespace

Result<Fixture> parse_fixture(const JsonNode& node, const std::string& file, Names& names) {
  Fixture fixture;
  DCISIM_RETURN_IF_ERROR(node.require_object());
  DCISIM_RETURN_IF_ERROR(node.only_keys({"inventory", "start", "settings", "tariffs"}));
  DCISIM_RETURN_IF_ERROR(read_inventory(node.at("inventory"), file, fixture));
  if (node.at("start").present()) {
    DCISIM_ASSIGN_OR_RETURN(std::string text, node.at("start").string());
    Result<common::Instant> start = common::parse_instant(text);
    if (!start) return node.at("start").error("a UTC time such as \"2026-01-01\" or \"2026-01-01T00:00:00Z\"");
    fixture.start = *start;
  }
  JsonNode settings = node.at("settings");
  fixture.settings_origin = {file, settings.pointer()};
  if (settings.present()) {
    DCISIM_RETURN_IF_ERROR(settings.require_object());
    fixture.settings = *settings.raw();
  }
  JsonNode tariffs = node.at("tariffs");
  DCISIM_RETURN_IF_ERROR(tariffs.require_array());
  for (size_t i = 0; i < tariffs.size(); ++i) {
    DCISIM_ASSIGN_OR_RETURN(TariffFixture tariff, read_tariff(tariffs.at(i), file, names));
    fixture.tariffs.push_back(std::move(tariff));
  }
  return fixture;
}

}  // namespace dcisim::scenarios::detail
