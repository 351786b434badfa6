// A server's hardware_info. Public clients read hardware_info.motherboard.model from
// GET /api/dci/v3/server/{id} (docs/EMULATOR.md, evidence); the rest of the shape (cpu, memory,
// disks) is ASSUMED, in the same style. Serial numbers derive from the server id, so that two
// servers of one configuration differ and runs repeat.
#include <cstdio>

#include "mockdci/views.h"

namespace dcisim::mockdci {

namespace {

std::string serial(const char* prefix, int64_t server, int64_t part) {
  char text[48];
  std::snprintf(text, sizeof text, "%s%06lld%02lld", prefix, static_cast<long long>(server % 1000000),
                static_cast<long long>(part % 100));
  return text;
}

}  // namespace

Json hardware_info_json(const Model& model, const Server& server) {
  static const HardwareSpec kNone;
  auto found = model.hardware.find(server.configuration);
  const HardwareSpec& spec = found == model.hardware.end() ? kNone : found->second;
  int64_t id = server.id.value();
  Json info(Json::value_t::object);
  info["mac"] = server.mac;
  Json& board = info["motherboard"] = Json::object();
  board["manufacturer"] = spec.motherboard_manufacturer;
  board["model"] = spec.motherboard_model;
  board["serial"] = spec.motherboard_model.empty() ? "" : serial("MB", id, 0);
  Json& cpus = info["cpu"] = Json::array();
  for (const CpuSpec& cpu : spec.cpus) {
    for (int64_t n = 0; n < cpu.count; ++n) {
      cpus.push_back({{"model", cpu.model}, {"cores", cpu.cores}, {"threads", cpu.threads},
                      {"frequency_mhz", cpu.frequency_mhz}});
    }
  }
  info["cpu_count"] = cpus.size();
  Json modules = Json::array();
  int64_t total_mib = 0;
  for (const MemorySpec& memory : spec.memory) {
    for (int64_t n = 0; n < memory.count; ++n) {
      modules.push_back({{"size_mib", memory.size_mib}, {"type", memory.type}, {"speed_mhz", memory.speed_mhz}});
      total_mib += memory.size_mib;
    }
  }
  info["memory"] = {{"total_mib", total_mib}, {"modules", std::move(modules)}};
  Json& disks = info["disks"] = Json::array();
  for (const DiskSpec& disk : spec.disks) {
    for (int64_t n = 0; n < disk.count; ++n) {
      disks.push_back({{"model", disk.model}, {"size_gib", disk.size_gib}, {"type", disk.type},
                       {"serial", serial("DK", id, static_cast<int64_t>(disks.size()))}});
    }
  }
  return info;
}

}  // namespace dcisim::mockdci
