#include "common/clock.h"

#include <algorithm>
#include <chrono>
#include <thread>

namespace dcisim::common {

Instant RealClock::now() const {
  auto since_epoch = std::chrono::system_clock::now().time_since_epoch();
  return Instant::from_unix_ms(
      std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count());
}

void RealClock::wait_for(Duration d) const {
  if (d > Duration()) std::this_thread::sleep_for(std::chrono::milliseconds(d.count_ms()));
}

namespace {
int64_t monotonic_ns() {
  return std::chrono::duration_cast<std::chrono::nanoseconds>(std::chrono::steady_clock::now().time_since_epoch()).count();
}
}  // namespace

Stopwatch::Stopwatch() : started_ns_(monotonic_ns()) {}

int64_t Stopwatch::elapsed_us() const { return (monotonic_ns() - started_ns_) / 1000; }

void VirtualClock::subscribe(TimedWork* work) {
  DCISIM_ASSERT(work != nullptr, "subscribe(nullptr)");
  std::lock_guard lock(subscribers_mutex_);
  if (std::find(subscribers_.begin(), subscribers_.end(), work) == subscribers_.end()) {
    subscribers_.push_back(work);
  }
}

void VirtualClock::unsubscribe(TimedWork* work) {
  std::lock_guard lock(subscribers_mutex_);
  subscribers_.erase(std::remove(subscribers_.begin(), subscribers_.end(), work), subscribers_.end());
}

std::optional<Instant> VirtualClock::earliest_due_locked() const {
  std::optional<Instant> earliest;
  for (TimedWork* work : subscribers_) {
    std::optional<Instant> due = work->next_due();
    if (due && (!earliest || *due < *earliest)) earliest = due;
  }
  return earliest;
}

void VirtualClock::set_stop_check(std::function<Status()> check) {
  std::lock_guard advancing(advance_mutex_);
  stop_check_ = std::move(check);
}

Status VirtualClock::advance_to(Instant target, size_t max_stops) {
  std::lock_guard advancing(advance_mutex_);
  if (target < now()) {
    return Error::invalid("cannot move the virtual clock back from " + format_instant(now()) +
                          " to " + format_instant(target));
  }
  for (size_t stops = 0;; ++stops) {
    std::vector<TimedWork*> due_now;
    Instant stop = target;
    {
      std::lock_guard lock(subscribers_mutex_);
      std::optional<Instant> earliest = earliest_due_locked();
      if (!earliest || *earliest > target) break;
      stop = std::max(*earliest, now());
      for (TimedWork* work : subscribers_) {
        std::optional<Instant> due = work->next_due();
        if (due && *due <= stop) due_now.push_back(work);
      }
    }
    if (stop_check_) DCISIM_RETURN_IF_ERROR(stop_check_());
    if (stops >= max_stops) {
      return Error::internal("virtual clock stopped at " + format_instant(now()) + " after " +
                             std::to_string(max_stops) +
                             " stops without reaching " + format_instant(target) +
                             ": some work keeps rescheduling itself");
    }
    now_ms_.store(stop.unix_ms());
    for (TimedWork* work : due_now) work->run_due(stop);
  }
  now_ms_.store(target.unix_ms());
  return Status::success();
}

}  // namespace dcisim::common
