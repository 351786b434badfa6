#include "mockdci/default_inventory.h"

#include "common/json_input.h"

namespace dcisim::mockdci {

common::Result<Inventory> default_inventory() {
  const char* source = "mockdci/inventories/default.json";
  common::Result<nlohmann::json> document = common::parse_json_text(default_inventory_text(), source, false);
  if (!document) return document.error();
  return parse_inventory(*document, source);
}

}  // namespace dcisim::mockdci
