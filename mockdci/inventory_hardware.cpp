// The inventory's optional /hardware: what DCImanager's hardware scan finds in a server of each
// configuration (motherboard, CPUs, memory modules, disks), served as the server's hardware_info.
//   "hardware": {"i9-9900K-64Gb-2x1024NVMe": {
//       "motherboard": {"manufacturer": "ASUSTeK COMPUTER INC.", "model": "WS C246 PRO"},
//       "cpu": [{"model": "Intel(R) Core(TM) i9-9900K CPU @ 3.60GHz", "cores": 8, "threads": 16,
//                "frequency_mhz": 3600, "count": 1}],
//       "memory": [{"size_mib": 16384, "type": "DDR4", "speed_mhz": 2666, "count": 4}],
//       "disks": [{"model": "SAMSUNG MZ-V7P1T0", "size_gib": 1024, "type": "nvme", "count": 2}]}}
#include <set>

#include "mockdci/inventory.h"

namespace dcisim::mockdci {

using common::Error;
using common::JsonNode;
using common::Result;
using common::Status;

namespace {

constexpr int64_t kMaxPartCount = 64;        // sockets, modules or disks of one kind
constexpr int64_t kMaxMemoryMib = 4 << 20;   // 4 TiB in one module: far above any real one
constexpr int64_t kMaxDiskGib = 1 << 20;     // 1 PiB
constexpr size_t kMaxParts = 64;             // entries per list

Result<std::string> short_text(const JsonNode& node, bool required) {
  Result<std::string> text = required ? node.non_empty_string() : node.string_or("");
  if (text && text->size() > 200) return node.error("a text of at most 200 characters");
  return text;
}

template <typename Spec, typename ReadOne>
Status read_list(const JsonNode& list, std::vector<Spec>& out, ReadOne read_one) {
  if (!list.present()) return Status::success();
  if (Status s = list.require_array(); !s) return s;
  if (list.size() > kMaxParts) return list.error_message("at most 64 entries are allowed");
  for (size_t i = 0; i < list.size(); ++i) {
    JsonNode node = list.at(i);
    if (Status s = node.require_object(); !s) return s;
    Result<Spec> spec = read_one(node);
    if (!spec) return spec.error();
    out.push_back(std::move(*spec));
  }
  return Status::success();
}

Result<CpuSpec> read_cpu(const JsonNode& node) {
  if (Status s = node.only_keys({"model", "cores", "threads", "frequency_mhz", "count"}); !s) return s.error();
  CpuSpec cpu;
  Result<std::string> model = short_text(node.at("model"), true);
  if (!model) return model.error();
  cpu.model = *model;
  Result<int64_t> cores = node.at("cores").integer(1, 1024);
  if (!cores) return cores.error();
  cpu.cores = *cores;
  Result<int64_t> threads = node.at("threads").integer_or(*cores, 1, 4096);
  if (!threads) return threads.error();
  if (*threads < *cores) return node.at("threads").error("at least as many threads as cores");
  cpu.threads = *threads;
  Result<int64_t> frequency = node.at("frequency_mhz").integer_or(0, 0, 100'000);
  if (!frequency) return frequency.error();
  cpu.frequency_mhz = *frequency;
  Result<int64_t> count = node.at("count").integer_or(1, 1, kMaxPartCount);
  if (!count) return count.error();
  cpu.count = *count;
  return cpu;
}

Result<MemorySpec> read_memory(const JsonNode& node) {
  if (Status s = node.only_keys({"size_mib", "type", "speed_mhz", "count"}); !s) return s.error();
  MemorySpec memory;
  Result<int64_t> size = node.at("size_mib").integer(1, kMaxMemoryMib);
  if (!size) return size.error();
  memory.size_mib = *size;
  Result<std::string> type = short_text(node.at("type"), false);
  if (!type) return type.error();
  memory.type = *type;
  Result<int64_t> speed = node.at("speed_mhz").integer_or(0, 0, 100'000);
  if (!speed) return speed.error();
  memory.speed_mhz = *speed;
  Result<int64_t> count = node.at("count").integer_or(1, 1, kMaxPartCount);
  if (!count) return count.error();
  memory.count = *count;
  return memory;
}

Result<DiskSpec> read_disk(const JsonNode& node) {
  if (Status s = node.only_keys({"model", "size_gib", "type", "count"}); !s) return s.error();
  DiskSpec disk;
  Result<std::string> model = short_text(node.at("model"), true);
  if (!model) return model.error();
  disk.model = *model;
  Result<int64_t> size = node.at("size_gib").integer(1, kMaxDiskGib);
  if (!size) return size.error();
  disk.size_gib = *size;
  Result<std::string> type = node.at("type").string_or("ssd");
  if (!type) return type.error();
  if (*type != "hdd" && *type != "ssd" && *type != "nvme") return node.at("type").error("\"hdd\", \"ssd\" or \"nvme\"");
  disk.type = *type;
  Result<int64_t> count = node.at("count").integer_or(1, 1, kMaxPartCount);
  if (!count) return count.error();
  disk.count = *count;
  return disk;
}

Result<HardwareSpec> read_one_configuration(const JsonNode& node) {
  if (Status s = node.require_object(); !s) return s.error();
  if (Status s = node.only_keys({"motherboard", "cpu", "memory", "disks"}); !s) return s.error();
  HardwareSpec spec;
  JsonNode board = node.at("motherboard");
  if (board.present()) {
    if (Status s = board.require_object(); !s) return s.error();
    if (Status s = board.only_keys({"manufacturer", "model"}); !s) return s.error();
    Result<std::string> model = short_text(board.at("model"), true);
    if (!model) return model.error();
    spec.motherboard_model = *model;
    Result<std::string> manufacturer = short_text(board.at("manufacturer"), false);
    if (!manufacturer) return manufacturer.error();
    spec.motherboard_manufacturer = *manufacturer;
  }
  if (Status s = read_list(node.at("cpu"), spec.cpus, read_cpu); !s) return s.error();
  if (Status s = read_list(node.at("memory"), spec.memory, read_memory); !s) return s.error();
  if (Status s = read_list(node.at("disks"), spec.disks, read_disk); !s) return s.error();
  return spec;
}

}  // namespace

Status read_hardware(const JsonNode& root, Inventory& inventory) {
  JsonNode hardware = root.at("hardware");
  if (!hardware.present()) return Status::success();
  if (Status s = hardware.require_object(); !s) return s;
  std::set<std::string> configurations;
  for (const LocationSpec& location : inventory.locations) {
    for (const RackSpec& rack : location.racks) {
      for (const ServerGroupSpec& group : rack.servers) configurations.insert(group.configuration);
    }
  }
  for (const auto& [name, value] : hardware.raw()->items()) {
    JsonNode node = hardware.at(name);
    if (!configurations.count(name)) {
      return node.error_message("no server of the inventory has the configuration \"" + name +
                                "\" (keys of /hardware are configurations of /locations/*/racks/*/servers)");
    }
    Result<HardwareSpec> spec = read_one_configuration(node);
    if (!spec) return spec.error();
    inventory.hardware.emplace(name, std::move(*spec));
  }
  return Status::success();
}

}  // namespace dcisim::mockdci
