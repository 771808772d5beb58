#include "base/log.h"

#include <gtest/gtest.h>

#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

namespace fathom::base {
namespace {

struct CapturedRecord {
  LogLevel level;
  std::string file;
  int line;
  std::string message;
};

class CaptureSink : public LogSink {
 public:
  explicit CaptureSink(std::shared_ptr<std::vector<CapturedRecord>> records)
      : records_(std::move(records)) {}
  void Write(const LogRecord& record) override {
    records_->push_back({record.level, std::string(record.file), record.line, record.message});
  }

 private:
  std::shared_ptr<std::vector<CapturedRecord>> records_;
};

class LogTest : public ::testing::Test {
 protected:
  void SetUp() override {
    SetLogSink(std::make_unique<CaptureSink>(records_));
    SetMinLogLevel(LogLevel::kInfo);
  }
  void TearDown() override {
    SetLogSink(nullptr);
    SetMinLogLevel(LogLevel::kInfo);
  }

  std::shared_ptr<std::vector<CapturedRecord>> records_ =
      std::make_shared<std::vector<CapturedRecord>>();
};

TEST_F(LogTest, SinkReceivesRecordWithLevelLocationAndMessage) {
  int line = __LINE__ + 1;
  FATHOM_LOG(Warning) << "disk " << 93 << "% full";
  ASSERT_EQ(records_->size(), 1u);
  const CapturedRecord& record = records_->front();
  EXPECT_EQ(record.level, LogLevel::kWarning);
  EXPECT_EQ(record.message, "disk 93% full");
  EXPECT_EQ(record.line, line);
  EXPECT_NE(record.file.find("log_test.cc"), std::string::npos);
}

TEST_F(LogTest, RecordsBelowMinimumAreDroppedWithoutFormatting) {
  int formatted = 0;
  auto count = [&formatted] { return ++formatted; };
  FATHOM_LOG(Debug) << "hidden " << count();
  EXPECT_EQ(formatted, 0);
  EXPECT_TRUE(records_->empty());
  SetMinLogLevel(LogLevel::kError);
  FATHOM_LOG(Warning) << "hidden too";
  FATHOM_LOG(Error) << "shown";
  ASSERT_EQ(records_->size(), 1u);
  EXPECT_EQ(records_->front().message, "shown");
  SetMinLogLevel(LogLevel::kDebug);
  FATHOM_LOG(Debug) << "now shown " << count();
  EXPECT_EQ(formatted, 1);
  EXPECT_EQ(records_->size(), 2u);
}

TEST_F(LogTest, LevelEnabledFollowsMinimum) {
  SetMinLogLevel(LogLevel::kWarning);
  EXPECT_FALSE(IsLogLevelEnabled(LogLevel::kInfo));
  EXPECT_TRUE(IsLogLevelEnabled(LogLevel::kWarning));
  EXPECT_TRUE(IsLogLevelEnabled(LogLevel::kError));
  EXPECT_EQ(LogLevelName(LogLevel::kWarning), "warning");
}

TEST_F(LogTest, ConcurrentWritersDeliverEveryRecordWhole) {
  constexpr int kThreads = 4;
  constexpr int kPerThread = 200;
  std::vector<std::thread> threads;
  for (int t = 0; t < kThreads; ++t) {
    threads.emplace_back([t] {
      for (int i = 0; i < kPerThread; ++i) FATHOM_LOG(Info) << "thread " << t << " record " << i;
    });
  }
  for (std::thread& thread : threads) thread.join();
  ASSERT_EQ(records_->size(), static_cast<size_t>(kThreads * kPerThread));
  for (const CapturedRecord& record : *records_) {
    EXPECT_EQ(record.message.rfind("thread ", 0), 0u) << record.message;
  }
}

TEST_F(LogTest, ResettingSinkStopsDelivery) {
  SetLogSink(nullptr);
  ::testing::internal::CaptureStderr();
  FATHOM_LOG(Error) << "to stderr";
  std::string err = ::testing::internal::GetCapturedStderr();
  EXPECT_TRUE(records_->empty());
  EXPECT_NE(err.find("E "), std::string::npos);
  EXPECT_NE(err.find("log_test.cc:"), std::string::npos);
  EXPECT_NE(err.find("] to stderr"), std::string::npos);
}

}  // namespace
}  // namespace fathom::base
