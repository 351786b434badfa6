#include "fuzz/explore_model.h"

#include <algorithm>

namespace dcisim::fuzz {

bool Model::has_client(const std::string& name) const {
  return std::find(clients.begin(), clients.end(), name) != clients.end();
}

bool Model::has_service(const std::string& name) const {
  return std::any_of(services.begin(), services.end(), [&](const ModelService& s) { return s.name == name; });
}

bool Model::has_payment(const std::string& external_id) const {
  return std::any_of(payments.begin(), payments.end(), [&](const ModelPayment& p) { return p.external_id == external_id; });
}

}  // namespace dcisim::fuzz
