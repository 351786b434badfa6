// Known bugs, planted on purpose so that a test can prove exploration finds them
// (`dcisim explore --plant NAME`, `dcisim run --plant NAME`). They exist only in builds configured
// with -DDCISIM_PLANTED_BUGS=ON (never the default build); a component plants one when its
// settings name it: `if (planted(settings.planted_bug, "renew_twice_on_replay")) ...`, which is a
// constant false everywhere else.
#pragma once

#include <string>
#include <string_view>
#include <vector>

namespace dcisim::common {

#ifdef DCISIM_PLANTED_BUGS
inline constexpr bool kPlantedBugsBuilt = true;
inline bool planted(const std::string& chosen, std::string_view name) { return chosen == name; }
#else
inline constexpr bool kPlantedBugsBuilt = false;
inline constexpr bool planted(const std::string&, std::string_view) { return false; }
#endif

// Every bug that can be planted, one a line for `dcisim explore --list-plants`:
//   renew_twice_on_replay        a replayed payment callback renews the client's services again
//   skip_open_adoption           a retried open takes a new server instead of adopting its own
//   keep_addresses_on_close      a closed service keeps its addresses in billing
//   abuse_lifted_by_payment      a payment lifts the abuse flag along with auto
//   blocked_money_spent          a blocked client's money is spent on renewals
//   renew_deleted                the daily job renews a deleted service
inline const std::vector<std::string>& planted_bug_names() {
  static const std::vector<std::string> kNames = {"renew_twice_on_replay",  "skip_open_adoption",
                                                  "keep_addresses_on_close", "abuse_lifted_by_payment",
                                                  "blocked_money_spent",    "renew_deleted"};
  return kNames;
}

}  // namespace dcisim::common
