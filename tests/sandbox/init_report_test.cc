// The report pipe's records: written by WriteReport (as the forked child does) and parsed back,
// including text cut to fit and a trailing partial record.
#include "sandbox/linux/init_report.h"

#include <gtest/gtest.h>
#include <sys/wait.h>
#include <unistd.h>

#include <cerrno>
#include <cstring>
#include <string>

namespace fathom::sandbox::linux {
namespace {

std::string WriteAndRead(const std::function<void(int)>& write_records) {
  int fds[2];
  EXPECT_EQ(pipe(fds), 0);
  write_records(fds[1]);
  close(fds[1]);
  std::string bytes;
  char buffer[512];
  ssize_t got;
  while ((got = read(fds[0], buffer, sizeof(buffer))) > 0) bytes.append(buffer, size_t(got));
  close(fds[0]);
  return bytes;
}

TEST(InitReportTest, ParsesEachKindOfRecord) {
  const std::string bytes = WriteAndRead([](int fd) {
    WriteReport(fd, ReportKind::kExecFailed, ENOENT, "cargo");
    WriteReport(fd, ReportKind::kExited, 3 << 8, "");
  });
  const InitReport report = ParseReports(bytes);
  EXPECT_FALSE(report.setup_error.has_value());
  EXPECT_EQ(report.exec_error, std::string("cannot run 'cargo': ") + std::strerror(ENOENT));
  EXPECT_EQ(report.exec_errno, ENOENT);
  ASSERT_TRUE(report.wait_status.has_value());
  EXPECT_TRUE(WIFEXITED(*report.wait_status));
  EXPECT_EQ(WEXITSTATUS(*report.wait_status), 3);
}

TEST(InitReportTest, SetupFailureNamesTheStepAndTheError) {
  const std::string bytes = WriteAndRead(
      [](int fd) { WriteReport(fd, ReportKind::kSetupFailed, EPERM, "mount proc on /proc"); });
  EXPECT_EQ(ParseReports(bytes).setup_error,
            std::string("mount proc on /proc: ") + std::strerror(EPERM));
}

TEST(InitReportTest, LongTextIsCutAndATrailingPartialRecordIgnored) {
  const std::string long_text(1000, 'x');
  std::string bytes = WriteAndRead(
      [&](int fd) { WriteReport(fd, ReportKind::kSetupFailed, EIO, long_text.c_str()); });
  const size_t record = bytes.size();
  bytes += bytes.substr(0, record / 2);
  const InitReport report = ParseReports(bytes);
  ASSERT_TRUE(report.setup_error.has_value());
  EXPECT_LT(report.setup_error->size(), 300u);
  EXPECT_TRUE(report.setup_error->starts_with("xxxx"));
}

}  // namespace
}  // namespace fathom::sandbox::linux
