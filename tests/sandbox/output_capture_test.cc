// HeadTailBuffer: what it keeps of short and long streams, in one piece and in many small appends,
// and the marker that says how much was cut.
#include "sandbox/output_capture.h"

#include <gtest/gtest.h>

#include <string>

namespace fathom::sandbox {
namespace {

std::string Numbers(int count) {
  std::string text;
  for (int i = 0; i < count; ++i) text += std::to_string(i) + "\n";
  return text;
}

TEST(HeadTailBufferTest, KeepsShortStreamsWhole) {
  HeadTailBuffer buffer(100);
  buffer.Append("hello ");
  buffer.Append("world");
  EXPECT_EQ(buffer.Text(), "hello world");
  EXPECT_FALSE(buffer.truncated());
  EXPECT_EQ(buffer.total_bytes(), 11u);
}

TEST(HeadTailBufferTest, KeepsExactlyTheLimitWithoutAMarker) {
  HeadTailBuffer buffer(10);
  buffer.Append("0123456789");
  EXPECT_EQ(buffer.Text(), "0123456789");
  EXPECT_FALSE(buffer.truncated());
}

TEST(HeadTailBufferTest, CutsTheMiddleAndSaysHowMuch) {
  const std::string stream = Numbers(1000);
  HeadTailBuffer buffer(64);
  buffer.Append(stream);
  EXPECT_TRUE(buffer.truncated());
  EXPECT_EQ(buffer.cut_bytes(), stream.size() - 64);
  EXPECT_EQ(buffer.Text(), stream.substr(0, 32) + TruncationMarker(stream.size() - 64) +
                               stream.substr(stream.size() - 32));
}

TEST(HeadTailBufferTest, ByteAtATimeEqualsOneAppend) {
  const std::string stream = Numbers(500);
  HeadTailBuffer whole(101);
  whole.Append(stream);
  HeadTailBuffer pieces(101);
  for (size_t i = 0; i < stream.size(); i += 7) pieces.Append(stream.substr(i, 7));
  EXPECT_EQ(pieces.Text(), whole.Text());
  EXPECT_EQ(pieces.total_bytes(), stream.size());
  EXPECT_NE(pieces.Text().find("bytes cut"), std::string::npos);
}

TEST(HeadTailBufferTest, MarkerNamesTheCount) {
  EXPECT_EQ(TruncationMarker(12345), "\n[... 12345 bytes cut ...]\n");
}

}  // namespace
}  // namespace fathom::sandbox
