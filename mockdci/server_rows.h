// A cache of every server's JSON (and, on demand, its serialized text), because building server
// JSON dominates the cost of GET /server/{id} and of list queries over large inventories. Reads
// rebuild the servers the model marks touched (Model::touched, consumed here) and everything after
// invalidate() (a reset). Not thread-safe: used under the emulator's model mutex.
#pragma once

#include <string>
#include <vector>

#include <nlohmann/json.hpp>

#include "mockdci/model.h"

namespace dcisim::mockdci {

class ServerRows {
 public:
  void invalidate() { valid_ = false; }
  // Every server's JSON, in id order (position i holds server id i + 1).
  const std::vector<nlohmann::json>& rows(Model& model);
  // One server's JSON text; `id` must exist.
  const std::string& text(Model& model, ServerId id);

 private:
  bool valid_ = false;
  std::vector<nlohmann::json> rows_;
  std::vector<std::string> texts_;  // "" until asked for
};

}  // namespace dcisim::mockdci
