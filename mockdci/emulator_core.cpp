#include "mockdci/emulator_core.h"

#include <openssl/rand.h>

#include "mockdci/server_actions.h"

namespace dcisim::mockdci {

namespace {

// Control and session tokens come from separate streams, so that a given control token does
// not change which session tokens a seed gives.
constexpr uint64_t kControlStream = 0x636f6e74726f6cULL;  // "control"
constexpr uint64_t kFaultStream = 0x6661756c74ULL;        // "fault": fault probabilities

std::string random_hex(size_t length, bool secure, common::Rng& rng) {
  if (!secure) return rng.hex(length);
  std::vector<unsigned char> bytes((length + 1) / 2);
  DCISIM_ASSERT(RAND_bytes(bytes.data(), static_cast<int>(bytes.size())) == 1, "OpenSSL RAND_bytes failed");
  static constexpr char kHex[] = "0123456789abcdef";
  std::string out(bytes.size() * 2, '0');
  for (size_t i = 0; i < bytes.size(); ++i) {
    out[2 * i] = kHex[bytes[i] >> 4];
    out[2 * i + 1] = kHex[bytes[i] & 15];
  }
  out.resize(length);
  return out;
}

}  // namespace

std::optional<common::Instant> OperationWork::next_due() const {
  std::lock_guard lock(core_.mutex);
  return next_operation_end(core_.model);
}

void OperationWork::run_due(common::Instant now) {
  std::lock_guard lock(core_.mutex);
  core_.settle_locked(now);
}

EmulatorCore::EmulatorCore(EmulatorOptions options_in)
    : options(std::move(options_in)),
      model(build_model(options.inventory)),
      token_rng(options.seed),
      journal(options.journal_capacity) {
  if (options.control_token.empty()) {
    common::Rng control_rng(options.seed ^ kControlStream);
    options.control_token = random_hex(32, options.secure_tokens, control_rng);
  }
  virtual_clock = dynamic_cast<common::VirtualClock*>(options.clock);
  model.faults.rng = common::Rng(options.seed ^ kFaultStream);
}

std::string EmulatorCore::new_token_value() {
  // DCImanager 6 tokens look like "4-e9726dd9-61d9-2940-add3-914851d2cb8a" (API.md §2).
  for (;;) {
    std::string hex = random_hex(32, options.secure_tokens, token_rng);
    std::string value = "4-" + hex.substr(0, 8) + "-" + hex.substr(8, 4) + "-" + hex.substr(12, 4) + "-" +
                        hex.substr(16, 4) + "-" + hex.substr(20, 12);
    if (!model.token_by_value.count(value)) return value;  // a repeat is astronomically unlikely
  }
}

std::string EmulatorCore::new_key_value() {
  for (;;) {
    std::string value = random_hex(40, options.secure_tokens, token_rng);
    if (!model.key_by_value.count(value)) return value;
  }
}

void EmulatorCore::settle_locked(common::Instant now) { settle_operations(model, now); }

void EmulatorCore::reset_locked() {
  // The token generator goes on (no re-seed): a token handed out before the reset must not
  // become valid again for someone else after it.
  // Rules of scope "run" outlive a reset (a new scenario on the same `dcisim serve`), and the
  // fault generator goes on where it was.
  Faults kept = std::move(model.faults);
  kept.rules.keep_run_scoped();
  kept.unavailable_remaining = 0;
  kept.unavailable_path_prefix.clear();
  kept.os_install_failures_remaining = 0;
  model = build_model(options.inventory);
  model.faults = std::move(kept);
  server_rows.invalidate();
}

}  // namespace dcisim::mockdci
