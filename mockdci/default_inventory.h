// The inventory shipped as mockdci/inventories/default.json (the example: two locations,
// three racks, nine servers, four pools), compiled into the library.
#pragma once

#include "common/result.h"
#include "mockdci/inventory.h"

namespace dcisim::mockdci {

const char* default_inventory_text();  // the file's text (generated at build time)
common::Result<Inventory> default_inventory();

}  // namespace dcisim::mockdci
