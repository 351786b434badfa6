#include "mockdci/server_rows.h"

#include "common/json_text.h"
#include "mockdci/views.h"

namespace dcisim::mockdci {

const std::vector<nlohmann::json>& ServerRows::rows(Model& model) {
  if (valid_) {
    for (ServerId id : model.touched) {
      size_t index = static_cast<size_t>(id.value() - 1);
      rows_[index] = server_json(model, model.servers.at(id));
      texts_[index].clear();
    }
    model.touched.clear();
    return rows_;
  }
  model.touched.clear();
  rows_.clear();
  rows_.reserve(model.servers.size());
  for (const auto& [id, server] : model.servers) {
    DCISIM_ASSERT(id.value() == static_cast<int64_t>(rows_.size()) + 1, "server ids run from 1 without gaps");
    rows_.push_back(server_json(model, server));
  }
  texts_.assign(rows_.size(), std::string());
  valid_ = true;
  return rows_;
}

const std::string& ServerRows::text(Model& model, ServerId id) {
  const std::vector<nlohmann::json>& all = rows(model);
  size_t index = static_cast<size_t>(id.value() - 1);
  DCISIM_ASSERT(index < all.size(), "ServerRows::text of an unknown server");
  if (texts_[index].empty()) texts_[index] = common::json_text(all[index]);
  return texts_[index];
}

}  // namespace dcisim::mockdci
