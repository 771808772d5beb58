// Doctor checks of the host: CPU model and SIMD features, usable cores, memory.
#include <sched.h>

#include <cerrno>
#include <charconv>
#include <cstring>
#include <optional>
#include <string>
#include <string_view>
#include <thread>
#include <vector>

#include "base/file.h"
#include "cli/doctor/checks.h"
#include "cli/doctor/report.h"

namespace fathom::cli {

namespace {

struct CpuFeature {
  std::string_view key;    // JSON field
  std::string_view label;  // as people write it
  bool supported;
};

std::vector<CpuFeature> ProbeCpuFeatures() {
#if defined(__x86_64__) || defined(__i386__)
  __builtin_cpu_init();
  return {
      {"avx2", "AVX2", __builtin_cpu_supports("avx2") != 0},
      {"avx512f", "AVX-512F", __builtin_cpu_supports("avx512f") != 0},
      {"avx512bw", "AVX-512BW", __builtin_cpu_supports("avx512bw") != 0},
      {"avx512vl", "AVX-512VL", __builtin_cpu_supports("avx512vl") != 0},
      {"fma", "FMA", __builtin_cpu_supports("fma") != 0},
      {"f16c", "F16C", __builtin_cpu_supports("f16c") != 0},
  };
#else
  return {};
#endif
}

std::string_view Trim(std::string_view text) {
  const size_t begin = text.find_first_not_of(" \t");
  if (begin == std::string_view::npos) return {};
  return text.substr(begin, text.find_last_not_of(" \t") - begin + 1);
}

// The value of the first "key : value" line of a /proc file such as /proc/cpuinfo.
std::optional<std::string> ProcField(std::string_view content, std::string_view key) {
  size_t line_start = 0;
  while (line_start < content.size()) {
    size_t line_end = content.find('\n', line_start);
    if (line_end == std::string_view::npos) line_end = content.size();
    const std::string_view line = content.substr(line_start, line_end - line_start);
    const size_t colon = line.find(':');
    if (colon != std::string_view::npos && Trim(line.substr(0, colon)) == key) {
      return std::string(Trim(line.substr(colon + 1)));
    }
    line_start = line_end + 1;
  }
  return std::nullopt;
}

// A /proc/meminfo field ("MemTotal:  24683620 kB") in bytes.
std::optional<uint64_t> MeminfoBytes(std::string_view meminfo, std::string_view key) {
  const std::optional<std::string> value = ProcField(meminfo, key);
  if (!value.has_value()) return std::nullopt;
  uint64_t kibibytes = 0;
  const char* end = value->data() + value->size();
  auto [number_end, error] = std::from_chars(value->data(), end, kibibytes);
  if (error != std::errc() || std::string_view(number_end, end) != " kB") return std::nullopt;
  return kibibytes * 1024;
}

}  // namespace

CheckResult CheckCpu() {
  CheckResult result("cpu");
  base::Result<std::string> cpuinfo = base::ReadFileToString("/proc/cpuinfo");
  std::optional<std::string> model;
  if (cpuinfo.ok()) model = ProcField(*cpuinfo, "model name");
  result.facts["model"] = model.value_or("unknown");
  result.summary =
      model.value_or(cpuinfo.ok() ? "no 'model name' in /proc/cpuinfo" : cpuinfo.error().message());
  const std::vector<CpuFeature> features = ProbeCpuFeatures();
  if (features.empty()) {
    result.status = CheckStatus::kWarn;
    result.summary += "; SIMD features are probed on x86 only";
  }
  std::string supported, missing;
  for (const CpuFeature& feature : features) {
    result.facts[std::string(feature.key)] = feature.supported;
    std::string& list = feature.supported ? supported : missing;
    list += ' ';
    list += feature.label;
  }
  if (!supported.empty()) result.summary += ";" + supported;
  if (!missing.empty()) result.summary += "; missing" + missing;
  return result;
}

CheckResult CheckCores() {
  CheckResult result("cores");
  const unsigned hardware_threads = std::thread::hardware_concurrency();
  result.facts["hardware_threads"] = hardware_threads;
  result.summary = std::to_string(hardware_threads) + " hardware threads";
  cpu_set_t affinity;
  CPU_ZERO(&affinity);
  if (sched_getaffinity(0, sizeof(affinity), &affinity) != 0) {
    result.status = CheckStatus::kWarn;
    result.summary += "; sched_getaffinity: " + std::string(strerror(errno));
    return result;
  }
  const int usable = CPU_COUNT(&affinity);
  result.facts["usable_cores"] = usable;
  result.summary += ", " + std::to_string(usable) + " usable by this process (sched_getaffinity)";
  return result;
}

CheckResult CheckMemory(const sandbox::CgroupSupport& cgroups) {
  CheckResult result("memory");
  base::Result<std::string> meminfo = base::ReadFileToString("/proc/meminfo");
  if (!meminfo.ok()) {
    result.status = CheckStatus::kWarn;
    result.summary = meminfo.error().message();
    return result;
  }
  const std::optional<uint64_t> total = MeminfoBytes(*meminfo, "MemTotal");
  const std::optional<uint64_t> available = MeminfoBytes(*meminfo, "MemAvailable");
  if (!total.has_value() || !available.has_value()) {
    result.status = CheckStatus::kWarn;
    result.summary = "/proc/meminfo lacks MemTotal or MemAvailable";
    return result;
  }
  result.facts["total_bytes"] = *total;
  result.facts["available_bytes"] = *available;
  result.facts["cgroup_limit_bytes"] =
      cgroups.memory_limit_bytes.has_value() ? base::Json(*cgroups.memory_limit_bytes) : nullptr;
  result.summary = FormatBytes(*total) + " total, " + FormatBytes(*available) + " available; ";
  result.summary += cgroups.memory_limit_bytes.has_value()
                        ? "cgroup memory limit " + FormatBytes(*cgroups.memory_limit_bytes)
                        : "no cgroup memory limit";
  return result;
}

}  // namespace fathom::cli
