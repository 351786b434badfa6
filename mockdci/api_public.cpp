// The emulator's own public routes under /mockdci/v1 (not DCImanager's): a health check for
// load balancers and scripts, and the emulator's OpenAPI document. No token: they reveal nothing
// about the model, and injected faults never touch them.
#include "mockdci/emulator_core.h"
#include "mockdci/openapi.h"

namespace dcisim::mockdci {

using common::Result;

void add_public_routes(Router& router, EmulatorCore& core) {
  const std::string base = "/mockdci/v1";
  router.add("GET", base + "/health", Access::open,
             [](Call&) { return Result<Reply>(Reply{200, {{"status", "ok"}}}); }, /*locks_model=*/false);
  // The route table is complete once create() has run and never changes after: no lock needed.
  router.add("GET", base + "/openapi.json", Access::open,
             [&core](Call&) { return Result<Reply>(Reply{200, openapi_document(core.router)}); },
             /*locks_model=*/false);
}

}  // namespace dcisim::mockdci
