// Logging: FATHOM_LOG(Info) << "message" formats a record and hands it to the process-wide sink.
// `main` installs the sink (SetLogSink); until then records go to stderr. The sink is the one
// allowed singleton; writing is thread-safe (records are delivered one at a time).
#pragma once

#include <chrono>
#include <memory>
#include <sstream>
#include <string>
#include <string_view>

namespace fathom::base {

enum class LogLevel { kDebug = 0, kInfo = 1, kWarning = 2, kError = 3 };

// "debug", "info", "warning", "error".
std::string_view LogLevelName(LogLevel level);

struct LogRecord {
  LogLevel level;
  std::chrono::system_clock::time_point time;
  std::string_view file;
  int line;
  std::string message;
};

class LogSink {
 public:
  virtual ~LogSink() = default;
  // Called with the sink lock held: never concurrently.
  virtual void Write(const LogRecord& record) = 0;
};

// Writes "W 2026-11-25T19:56:16.123Z file.cc:42] message" lines to stderr.
class StderrLogSink : public LogSink {
 public:
  void Write(const LogRecord& record) override;
};

// Replaces the process-wide sink; nullptr restores the stderr sink.
void SetLogSink(std::unique_ptr<LogSink> sink);

// Records below `level` are dropped before formatting. The default is kInfo.
void SetMinLogLevel(LogLevel level);
bool IsLogLevelEnabled(LogLevel level);

namespace internal {

// Accumulates one record's message and delivers it to the sink when destroyed.
class LogMessage {
 public:
  LogMessage(LogLevel level, std::string_view file, int line);
  LogMessage(const LogMessage&) = delete;
  LogMessage& operator=(const LogMessage&) = delete;
  ~LogMessage();

  std::ostream& stream() { return stream_; }

 private:
  LogLevel level_;
  std::string_view file_;
  int line_;
  std::ostringstream stream_;
};

struct LogVoidify {
  void operator&(std::ostream&) {}
};

}  // namespace internal
}  // namespace fathom::base

// FATHOM_LOG(Debug|Info|Warning|Error) << ...; the message is not formatted when disabled.
#define FATHOM_LOG(level)                                                                      \
  !::fathom::base::IsLogLevelEnabled(::fathom::base::LogLevel::k##level)                       \
      ? (void)0                                                                                \
      : ::fathom::base::internal::LogVoidify() &                                               \
            ::fathom::base::internal::LogMessage(::fathom::base::LogLevel::k##level, __FILE__, \
                                                 __LINE__)                                     \
                .stream()
