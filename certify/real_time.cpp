#include "certify/real_time.h"

#include <pthread.h>
#include <signal.h>
#include <unistd.h>

#include <chrono>
#include <iostream>

#include "common/clock.h"

namespace dcisim::certify {

void StopSignal::request(const std::string& why) {
  {
    std::lock_guard lock(mutex_);
    if (requested_) return;
    requested_ = true;
    why_ = why;
  }
  changed_.notify_all();
}

bool StopSignal::requested() const {
  std::lock_guard lock(mutex_);
  return requested_;
}

std::string StopSignal::why() const {
  std::lock_guard lock(mutex_);
  return why_;
}

bool StopSignal::wait_for(common::Duration d) const {
  std::unique_lock lock(mutex_);
  changed_.wait_for(lock, std::chrono::milliseconds(std::max<int64_t>(0, d.count_ms())), [this] { return requested_; });
  return !requested_;
}

SignalStop::SignalStop(StopSignal& stop, std::string second_signal_note) : stop_(stop), note_(std::move(second_signal_note)) {
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, &previous_mask_);
  thread_ = std::thread([this, signals] {
    timespec tick{0, 200'000'000};  // how often the thread looks whether it should end
    while (!done_) {
      int signal_number = sigtimedwait(&signals, nullptr, &tick);
      if (signal_number < 0) continue;
      std::string name = signal_number == SIGINT ? "SIGINT" : "SIGTERM";
      if (stop_.requested()) {
        std::cerr << "\n" << name << " again: stopping now. " << note_ << std::endl;
        _exit(130);
      }
      stop_.request("interrupted by " + name);
    }
  });
}

SignalStop::~SignalStop() {
  done_ = true;
  thread_.join();
  pthread_sigmask(SIG_SETMASK, &previous_mask_, nullptr);
}

bool wait_real_time(const StopSignal* stop, common::Duration d) {
  if (stop != nullptr) return stop->wait_for(d);
  common::RealClock().wait_for(d);
  return true;
}

namespace {

std::string seconds_text(int64_t us) { return std::to_string(us / 1'000'000) + "s"; }

}  // namespace

billing::StepResult RealTimeWaits::until_settled(const std::string& what, const billing::Json& progress, const Step& step) {
  common::Stopwatch waited;  // real time spent on this operation
  PollSchedule polls(options_.poll);
  billing::StepResult result = step(progress);
  while (result.status == billing::StepStatus::waiting) {
    if (options_.progress) options_.progress(what + ": " + result.message + ", " + seconds_text(waited.elapsed_us()));
    if (!wait_real_time(options_.stop, polls.next())) break;  // interrupted: billing keeps the progress; the run's teardown undoes
    if (waited.elapsed_us() / 1000 > options_.timeout.count_ms()) {
      result.status = billing::StepStatus::manual;
      result.message = "DCImanager did not finish within " + common::format_duration(options_.timeout) +
                       " of real time (--timeout-op): " + result.message;
      break;
    }
    billing::Json last = result.progress.is_object() && !result.progress.empty() ? result.progress : progress;
    result = step(last);
  }
  if (options_.progress) options_.progress("");
  return result;
}

billing::StepResult RealTimeWaits::open(const billing::OpenOrder& order, const billing::Json& progress,
                                        billing::OperationContext& context) {
  return until_settled("open of service " + std::to_string(order.service_id), progress,
                       [&](const billing::Json& p) { return inner_.open(order, p, context); });
}

billing::StepResult RealTimeWaits::suspend(const billing::RemoteService& service, const billing::Json& progress,
                                           billing::OperationContext& context) {
  return until_settled("suspend of service " + std::to_string(service.service_id), progress,
                       [&](const billing::Json& p) { return inner_.suspend(service, p, context); });
}

billing::StepResult RealTimeWaits::resume(const billing::RemoteService& service, const billing::Json& progress,
                                          billing::OperationContext& context) {
  return until_settled("resume of service " + std::to_string(service.service_id), progress,
                       [&](const billing::Json& p) { return inner_.resume(service, p, context); });
}

billing::StepResult RealTimeWaits::close(const billing::RemoteService& service, const billing::Json& progress,
                                         billing::OperationContext& context) {
  return until_settled("close of service " + std::to_string(service.service_id), progress,
                       [&](const billing::Json& p) { return inner_.close(service, p, context); });
}

}  // namespace dcisim::certify
