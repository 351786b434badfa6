// Specification of common/clock.h: the virtual clock runs scheduled work in time order.
#include <catch2/catch.hpp>

#include <algorithm>
#include <optional>
#include <string>
#include <vector>

#include "common/clock.h"

using namespace dcisim::common;

namespace {

// Records when it ran; has work at fixed instants, and can reschedule itself.
class Recorder : public TimedWork {
 public:
  Recorder(std::string name, std::vector<std::string>& log, const Clock& clock)
      : name_(std::move(name)), log_(log), clock_(clock) {}
  std::vector<Instant> pending;
  Duration repeat_every;
  std::optional<Instant> next_due() const override {
    if (pending.empty()) return std::nullopt;
    return *std::min_element(pending.begin(), pending.end());
  }
  void run_due(Instant now) override {
    CHECK(clock_.now() == now);
    std::vector<Instant> left;
    for (Instant at : pending) {
      if (at <= now) {
        log_.push_back(name_ + "@" + format_instant(now));
        if (repeat_every > Duration()) left.push_back(now + repeat_every);
      } else {
        left.push_back(at);
      }
    }
    pending = left;
  }

 private:
  std::string name_;
  std::vector<std::string>& log_;
  const Clock& clock_;
};

}  // namespace

TEST_CASE("the virtual clock only moves when told", "[unit][clock]") {
  VirtualClock clock;
  Instant start = clock.now();
  CHECK(format_instant(start) == "2026-01-01T00:00:00Z");
  CHECK(clock.now() == start);
  REQUIRE(clock.advance(Duration::hours(2)).ok());
  CHECK(clock.now() == start + Duration::hours(2));
  Status back = clock.advance_to(start);
  REQUIRE_FALSE(back.ok());
  CHECK(back.error().message.find("cannot move the virtual clock back") != std::string::npos);
  CHECK(clock.now() == start + Duration::hours(2));
}

TEST_CASE("advancing stops at every due instant, in time order, across subscribers", "[unit][clock]") {
  VirtualClock clock;
  std::vector<std::string> log;
  Recorder billing("billing", log, clock);
  Recorder emulator("emulator", log, clock);
  Instant t0 = clock.now();
  billing.pending = {t0 + Duration::days(1), t0 + Duration::hours(5)};
  emulator.pending = {t0 + Duration::hours(3), t0 + Duration::days(1), t0 + Duration::days(40)};
  clock.subscribe(&billing);
  clock.subscribe(&emulator);
  REQUIRE(clock.advance(Duration::days(2)).ok());
  CHECK(log == std::vector<std::string>{"emulator@2026-01-01T03:00:00Z", "billing@2026-01-01T05:00:00Z",
                                        "billing@2026-01-02T00:00:00Z", "emulator@2026-01-02T00:00:00Z"});
  CHECK(clock.now() == t0 + Duration::days(2));
  CHECK(emulator.pending.size() == 1);  // the day-40 event is still ahead
}

TEST_CASE("recurring work runs once per period and a runaway is stopped with an error", "[unit][clock]") {
  VirtualClock clock;
  std::vector<std::string> log;
  Recorder daily("daily", log, clock);
  daily.pending = {clock.now() + Duration::days(1)};
  daily.repeat_every = Duration::days(1);
  clock.subscribe(&daily);
  REQUIRE(clock.advance(Duration::days(31)).ok());
  CHECK(log.size() == 31);

  Recorder runaway("runaway", log, clock);
  runaway.pending = {clock.now()};
  runaway.repeat_every = Duration::ms(1);  // a new stop every millisecond
  clock.subscribe(&runaway);
  Status status = clock.advance(Duration::days(1), 100);
  REQUIRE_FALSE(status.ok());
  CHECK(status.error().message.find("after 100 stops") != std::string::npos);
}
