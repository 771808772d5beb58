#include "base/log.h"

#include <atomic>
#include <cctype>
#include <cstdio>
#include <ctime>
#include <mutex>

namespace fathom::base {
namespace {

std::atomic<int> min_level{static_cast<int>(LogLevel::kInfo)};

struct SinkSlot {
  std::mutex mutex;
  std::unique_ptr<LogSink> sink = std::make_unique<StderrLogSink>();
};

SinkSlot& Slot() {
  static SinkSlot* slot = new SinkSlot();  // never destroyed: logging works during exit
  return *slot;
}

std::string_view BaseName(std::string_view path) {
  size_t slash = path.rfind('/');
  return slash == std::string_view::npos ? path : path.substr(slash + 1);
}

}  // namespace

std::string_view LogLevelName(LogLevel level) {
  switch (level) {
    case LogLevel::kDebug:
      return "debug";
    case LogLevel::kInfo:
      return "info";
    case LogLevel::kWarning:
      return "warning";
    case LogLevel::kError:
      return "error";
  }
  return "unknown";
}

void StderrLogSink::Write(const LogRecord& record) {
  auto since_epoch = record.time.time_since_epoch();
  std::time_t seconds = std::chrono::duration_cast<std::chrono::seconds>(since_epoch).count();
  int millis = static_cast<int>(
      std::chrono::duration_cast<std::chrono::milliseconds>(since_epoch).count() % 1000);
  std::tm utc{};
  gmtime_r(&seconds, &utc);
  char timestamp[32];
  std::strftime(timestamp, sizeof(timestamp), "%Y-%m-%dT%H:%M:%S", &utc);
  std::string_view file = BaseName(record.file);
  std::fprintf(stderr, "%c %s.%03dZ %.*s:%d] %s\n",
               static_cast<char>(std::toupper(LogLevelName(record.level)[0])), timestamp, millis,
               static_cast<int>(file.size()), file.data(), record.line, record.message.c_str());
}

void SetLogSink(std::unique_ptr<LogSink> sink) {
  SinkSlot& slot = Slot();
  std::lock_guard lock(slot.mutex);
  slot.sink = sink ? std::move(sink) : std::make_unique<StderrLogSink>();
}

void SetMinLogLevel(LogLevel level) { min_level.store(static_cast<int>(level)); }

bool IsLogLevelEnabled(LogLevel level) {
  return static_cast<int>(level) >= min_level.load(std::memory_order_relaxed);
}

namespace internal {

LogMessage::LogMessage(LogLevel level, std::string_view file, int line)
    : level_(level), file_(file), line_(line) {}

LogMessage::~LogMessage() {
  LogRecord record{level_, std::chrono::system_clock::now(), file_, line_, stream_.str()};
  SinkSlot& slot = Slot();
  std::lock_guard lock(slot.mutex);
  slot.sink->Write(record);
}

}  // namespace internal
}  // namespace fathom::base
