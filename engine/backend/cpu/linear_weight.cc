#include "engine/backend/cpu/linear_weight.h"

#include <cstring>

#include "base/check.h"
#include "engine/tensor/float_formats.h"

namespace fathom::engine::cpu {

LinearWeight LinearWeight::Borrow(WeightFormat format, int64_t rows, int64_t cols,
                                  std::span<const std::byte> data,
                                  std::span<const uint8_t> scales) {
  LinearWeight weight;
  weight.format_ = format;
  weight.rows_ = rows;
  weight.cols_ = cols;
  weight.data_ = data.data();
  weight.scales_ = scales.data();
  weight.scale_bytes_ = scales.size();
  FATHOM_CHECK(data.size() == weight.RowBytes() * static_cast<size_t>(rows))
      << "weight bytes " << data.size() << " do not match " << rows << "x" << cols;
  return weight;
}

LinearWeight LinearWeight::FromFloats(int64_t rows, int64_t cols, std::vector<float> values) {
  FATHOM_CHECK(static_cast<int64_t>(values.size()) == rows * cols) << "matrix size mismatch";
  std::vector<std::byte> bytes(values.size() * sizeof(float));
  std::memcpy(bytes.data(), values.data(), bytes.size());
  return Own(WeightFormat::kF32, rows, cols, std::move(bytes));
}

LinearWeight LinearWeight::Own(WeightFormat format, int64_t rows, int64_t cols,
                               std::vector<std::byte> data, std::vector<uint8_t> scales) {
  LinearWeight weight = Borrow(format, rows, cols, data, scales);
  // Moving a vector keeps its buffer, so the borrowed pointers stay valid.
  weight.owned_data_ = std::move(data);
  weight.owned_scales_ = std::move(scales);
  return weight;
}

size_t LinearWeight::RowBytes() const {
  switch (format_) {
    case WeightFormat::kF32:
      return static_cast<size_t>(cols_) * 4;
    case WeightFormat::kBF16:
      return static_cast<size_t>(cols_) * 2;
    case WeightFormat::kFp8Block128:
      return static_cast<size_t>(cols_);
    case WeightFormat::kFp4Block32:
      return static_cast<size_t>(cols_) / 2;
  }
  return 0;
}

const uint8_t* LinearWeight::ScaleRow(int64_t row) const {
  if (format_ == WeightFormat::kFp8Block128) return scales_ + (row / 128) * ((cols_ + 127) / 128);
  return scales_ + row * (cols_ / 32);
}

uint8_t LinearWeight::ScaleByte(int64_t row, int64_t col) const {
  if (format_ == WeightFormat::kFp8Block128) {
    int64_t blocks_per_row = (cols_ + 127) / 128;
    return scales_[(row / 128) * blocks_per_row + col / 128];
  }
  return scales_[row * (cols_ / 32) + col / 32];
}

LinearWeight LinearWeight::RowSlice(int64_t begin, int64_t count) const {
  FATHOM_CHECK(begin >= 0 && count >= 0 && begin + count <= rows_) << "row slice out of range";
  std::span<const std::byte> data(Row(begin), RowBytes() * static_cast<size_t>(count));
  std::span<const uint8_t> scales;
  if (format_ == WeightFormat::kFp8Block128) {
    FATHOM_CHECK(begin % 128 == 0) << "FP8 row slice must start on a 128-row block";
    size_t blocks_per_row = static_cast<size_t>((cols_ + 127) / 128);
    size_t first = static_cast<size_t>(begin / 128) * blocks_per_row;
    scales = {scales_ + first, static_cast<size_t>((count + 127) / 128) * blocks_per_row};
  } else if (format_ == WeightFormat::kFp4Block32) {
    size_t per_row = static_cast<size_t>(cols_ / 32);
    scales = {scales_ + static_cast<size_t>(begin) * per_row, static_cast<size_t>(count) * per_row};
  }
  return Borrow(format_, count, cols_, data, scales);
}

void LinearWeight::DequantizeRow(int64_t row, std::span<float> out) const {
  FATHOM_CHECK(static_cast<int64_t>(out.size()) == cols_) << "row buffer size";
  const std::byte* bytes = Row(row);
  for (int64_t col = 0; col < cols_; ++col) {
    switch (format_) {
      case WeightFormat::kF32:
        out[col] = reinterpret_cast<const float*>(bytes)[col];
        break;
      case WeightFormat::kBF16:
        out[col] = Bf16ToFloat(reinterpret_cast<const uint16_t*>(bytes)[col]);
        break;
      case WeightFormat::kFp8Block128:
        out[col] =
            Fp8E4M3ToFloat(static_cast<uint8_t>(bytes[col])) * E8M0ToFloat(ScaleByte(row, col));
        break;
      case WeightFormat::kFp4Block32: {
        uint8_t packed = static_cast<uint8_t>(bytes[col / 2]);
        out[col] =
            Fp4E2M1ToFloat((packed >> ((col & 1) * 4)) & 0xF) * E8M0ToFloat(ScaleByte(row, col));
        break;
      }
    }
  }
}

size_t LinearWeight::BytesTouched() const {
  return RowBytes() * static_cast<size_t>(rows_) + scale_bytes_;
}

}  // namespace fathom::engine::cpu
