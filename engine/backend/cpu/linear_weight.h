// LinearWeight: a [rows × cols] weight matrix in one of the checkpoint formats the CPU backend
// multiplies directly, without dequantising it first: f32, bf16, FP8 e4m3 with one e8m0 scale per
// 128×128 block, or FP4 e2m1 (two per byte, low nibble first) with one e8m0 scale per 32 inputs.
// A LinearWeight borrows its bytes (usually from the mmap'd checkpoint) or owns them (a converted
// copy, or synthetic weights for benchmarks).
#pragma once

#include <cstddef>
#include <cstdint>
#include <span>
#include <vector>

namespace fathom::engine::cpu {

enum class WeightFormat { kF32, kBF16, kFp8Block128, kFp4Block32 };

class LinearWeight {
 public:
  LinearWeight() = default;
  LinearWeight(LinearWeight&&) = default;
  LinearWeight& operator=(LinearWeight&&) = default;
  LinearWeight(const LinearWeight&) = delete;  // data_ may point into owned_data_
  LinearWeight& operator=(const LinearWeight&) = delete;

  // Borrows `data` (and `scales` for the block-scaled formats), which must outlive this object.
  static LinearWeight Borrow(WeightFormat format, int64_t rows, int64_t cols,
                             std::span<const std::byte> data, std::span<const uint8_t> scales = {});
  // Owns a row-major f32 matrix.
  static LinearWeight FromFloats(int64_t rows, int64_t cols, std::vector<float> values);
  // Owns `data` (and `scales`) in any format, laid out as Borrow expects.
  static LinearWeight Own(WeightFormat format, int64_t rows, int64_t cols,
                          std::vector<std::byte> data, std::vector<uint8_t> scales = {});

  WeightFormat format() const { return format_; }
  int64_t rows() const { return rows_; }
  int64_t cols() const { return cols_; }
  bool empty() const { return rows_ == 0; }

  // Bytes of one row as stored (FP4: cols/2).
  size_t RowBytes() const;
  const std::byte* Row(int64_t row) const { return data_ + RowBytes() * row; }
  // The e8m0 scales covering `row`, one per 128 columns (FP8) or per 32 columns (FP4).
  const uint8_t* ScaleRow(int64_t row) const;
  // e8m0 scale of (row, col) for the block-scaled formats.
  uint8_t ScaleByte(int64_t row, int64_t col) const;
  // A borrowed view of rows [begin, begin + count) (FP8: begin a multiple of 128).
  LinearWeight RowSlice(int64_t begin, int64_t count) const;
  // Writes row `row` as floats (the embedding lookup); out.size() == cols().
  void DequantizeRow(int64_t row, std::span<float> out) const;
  // Bytes a matrix-vector product reads: weights plus scales.
  size_t BytesTouched() const;

 private:
  WeightFormat format_ = WeightFormat::kF32;
  int64_t rows_ = 0;
  int64_t cols_ = 0;
  const std::byte* data_ = nullptr;
  const uint8_t* scales_ = nullptr;
  size_t scale_bytes_ = 0;
  std::vector<std::byte> owned_data_;
  std::vector<uint8_t> owned_scales_;
};

}  // namespace fathom::engine::cpu
