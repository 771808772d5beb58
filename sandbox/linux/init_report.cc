// Report records: one kind byte, a 32-bit value, and NUL-padded text, RecordSize bytes in all.
#include "sandbox/linux/init_report.h"

#include <unistd.h>

#include <cerrno>
#include <cstdint>
#include <cstring>

namespace fathom::sandbox::linux {

namespace {

constexpr size_t kTextSize = 248;

struct Record {
  char kind;
  char padding[3];
  int32_t value;
  char text[kTextSize];
};

static_assert(sizeof(Record) == 256);

}  // namespace

void WriteReport(int fd, ReportKind kind, int value, const char* text) noexcept {
  Record record{};
  record.kind = static_cast<char>(kind);
  record.value = value;
  for (size_t i = 0; text != nullptr && text[i] != '\0' && i + 1 < kTextSize; ++i) {
    record.text[i] = text[i];
  }
  while (write(fd, &record, sizeof(record)) < 0 && errno == EINTR) {
  }
}

InitReport ParseReports(std::string_view bytes) {
  InitReport report;
  for (; bytes.size() >= sizeof(Record); bytes.remove_prefix(sizeof(Record))) {
    Record record;
    std::memcpy(&record, bytes.data(), sizeof(record));
    const std::string text(record.text, strnlen(record.text, kTextSize));
    switch (static_cast<ReportKind>(record.kind)) {
      case ReportKind::kSetupFailed:
        report.setup_error = text + ": " + std::strerror(record.value);
        break;
      case ReportKind::kExecFailed:
        report.exec_error = "cannot run '" + text + "': " + std::strerror(record.value);
        report.exec_errno = record.value;
        break;
      case ReportKind::kExited:
        report.wait_status = record.value;
        break;
    }
  }
  return report;
}

}  // namespace fathom::sandbox::linux
