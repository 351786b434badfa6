// The only source of time. Components are handed a `Clock&` and never read the wall clock
// themselves. `VirtualClock` moves only when told and, while it moves, stops at every instant where
// a subscriber (`TimedWork`: the billing scheduler, the emulator's operations) has work due, so
// that a month of billing runs in milliseconds with every event in time order. `RealClock` is the
// wall clock, for `dcisim serve --clock real` and live certification.
#pragma once

#include <atomic>
#include <cstddef>
#include <functional>
#include <mutex>
#include <optional>
#include <vector>

#include "common/result.h"
#include "common/time.h"

namespace dcisim::common {

class Clock {
 public:
  virtual ~Clock() = default;
  virtual Instant now() const = 0;
  virtual bool is_virtual() const = 0;
  // A short wait inside one step (a client's backoff between two attempts). RealClock sleeps;
  // VirtualClock returns at once: virtual time moves only through advance_to, never inside a
  // step, so waits within a step take no virtual time. Bounded by the caller's retry limits.
  virtual void wait_for(Duration d) const = 0;
};

// Work scheduled on a clock. `next_due` is the earliest instant with pending work (nullopt: none);
// `run_due(now)` runs everything due at or before `now`. Both are called by VirtualClock::advance_to
// on the advancing thread.
class TimedWork {
 public:
  virtual ~TimedWork() = default;
  virtual std::optional<Instant> next_due() const = 0;
  virtual void run_due(Instant now) = 0;
};

class RealClock final : public Clock {
 public:
  Instant now() const override;
  bool is_virtual() const override { return false; }
  void wait_for(Duration d) const override;
};

// Measures how long something took on the machine (a step, a request), for reports and journals
// only: it never drives behaviour. With RealClock, the only reader of the machine's time.
class Stopwatch {
 public:
  Stopwatch();  // starts now
  int64_t elapsed_us() const;

 private:
  int64_t started_ns_;
};

class VirtualClock final : public Clock {
 public:
  // Scenarios start at a fixed, documented instant so that runs are reproducible.
  static constexpr Instant kDefaultStart = Instant::from_unix_seconds(1767225600);  // 2026-01-01

  explicit VirtualClock(Instant start = kDefaultStart) : now_ms_(start.unix_ms()) {}

  Instant now() const override { return Instant::from_unix_ms(now_ms_.load()); }
  bool is_virtual() const override { return true; }
  void wait_for(Duration) const override {}

  // Subscribers are run in subscription order when due at the same instant.
  void subscribe(TimedWork* work);
  void unsubscribe(TimedWork* work);

  // Moves time forward to `target`, stopping at each instant where a subscriber has work due and
  // running it there, in time order. Time never goes back: a target in the past is refused.
  // At most `max_stops` stops; past that the clock stays where it got to and an error says so
  // (a subscriber that keeps scheduling work "now" would otherwise loop for ever).
  Status advance_to(Instant target, size_t max_stops = 1'000'000);
  Status advance(Duration d, size_t max_stops = 1'000'000) { return advance_to(now() + d, max_stops); }

  // Asked before every stop of advance_to: an error stops the advance where it got to and is
  // returned (a run's wall-time bound uses it; the check must not touch the clock). Empty: none.
  void set_stop_check(std::function<Status()> check);

 private:
  std::optional<Instant> earliest_due_locked() const;

  std::function<Status()> stop_check_;  // guarded by advance_mutex_ while advancing

  std::atomic<int64_t> now_ms_;
  std::mutex advance_mutex_;  // one advance at a time
  mutable std::mutex subscribers_mutex_;
  std::vector<TimedWork*> subscribers_;
};

}  // namespace dcisim::common
