#include "engine/weights/safetensors_header.h"

#include <algorithm>
#include <bit>
#include <cstring>
#include <limits>
#include <utility>

#include "base/json.h"

namespace fathom::engine {
namespace {

using base::Error;
using base::Json;
using base::Result;

static_assert(std::endian::native == std::endian::little,
              "safetensors data is little-endian and is read in place");

constexpr uint64_t kLengthPrefixSize = 8;
constexpr size_t kMaxQuotedSize = 200;
constexpr size_t kMaxDescribedArraySize = 8;
constexpr std::string_view kMetadataKey = "__metadata__";

// A JSON value for messages: its text when it is a scalar or a short flat array, else its type.
// Containers are never dumped whole: dump() recurses and a hostile header may nest deeply.
std::string Describe(const Json& value) {
  bool flat = value.is_primitive() ||
              (value.is_array() && value.size() <= kMaxDescribedArraySize &&
               std::all_of(value.begin(), value.end(),
                           [](const Json& element) { return element.is_primitive(); }));
  if (!flat) return std::string("a JSON ") + value.type_name();
  std::string text = value.dump(-1, ' ', false, Json::error_handler_t::replace);
  if (text.size() > kMaxQuotedSize) {
    text.resize(kMaxQuotedSize);
    text += "...";
  }
  return text;
}

Error FileError(std::string_view file, const std::string& what) {
  return base::DataLossError(std::string(file) + ": " + what);
}

// The byte range of one tensor, relative to the start of the data section.
struct Entry {
  TensorView view;
  uint64_t begin = 0;
  uint64_t end = 0;
};

// Validates the JSON entry of one tensor; every error names the file and the tensor.
class EntryParser {
 public:
  EntryParser(std::string_view file, std::string_view name, uint64_t data_size)
      : file_(file), name_(name), data_size_(data_size) {}

  Result<Entry> Parse(const Json& json) const {
    if (!json.is_object()) {
      return Fail("entry is " + Describe(json) + ", expected {dtype, shape, data_offsets}");
    }
    Entry entry;
    entry.view.name = std::string(name_);
    FATHOM_ASSIGN_OR_RETURN(entry.view.dtype, ParseDTypeField(json));
    FATHOM_ASSIGN_OR_RETURN(entry.view.shape, ParseShape(json));
    FATHOM_ASSIGN_OR_RETURN(uint64_t byte_count, ByteCount(entry.view.dtype, entry.view.shape));
    FATHOM_TRY(ParseOffsets(json, entry));
    if (entry.end - entry.begin != byte_count) {
      return Fail("data_offsets [" + std::to_string(entry.begin) + ", " +
                  std::to_string(entry.end) + "] hold " + std::to_string(entry.end - entry.begin) +
                  " bytes, but shape " + FormatShape(entry.view.shape) + " of " +
                  std::string(DTypeName(entry.view.dtype)) + " needs " +
                  std::to_string(byte_count));
    }
    return entry;
  }

 private:
  Error Fail(const std::string& what) const {
    return FileError(file_, "tensor " + QuoteName(name_) + ": " + what);
  }

  Result<const Json*> Field(const Json& json, const char* key) const {
    auto found = json.find(key);
    if (found == json.end()) return Fail(std::string("entry has no \"") + key + "\"");
    return &*found;
  }

  Result<DType> ParseDTypeField(const Json& json) const {
    FATHOM_ASSIGN_OR_RETURN(const Json* dtype, Field(json, "dtype"));
    if (!dtype->is_string()) return Fail("dtype is " + Describe(*dtype) + ", expected a string");
    const std::string& name = dtype->get_ref<const std::string&>();
    std::optional<DType> parsed = ParseDType(name);
    if (!parsed) {
      return base::UnimplementedError(std::string(file_) + ": tensor " + QuoteName(name_) +
                                      ": unsupported dtype " + QuoteName(name));
    }
    return *parsed;
  }

  Result<std::vector<int64_t>> ParseShape(const Json& json) const {
    FATHOM_ASSIGN_OR_RETURN(const Json* shape, Field(json, "shape"));
    if (!shape->is_array()) {
      return Fail("shape is " + Describe(*shape) + ", expected an array of non-negative integers");
    }
    std::vector<int64_t> dims;
    dims.reserve(shape->size());
    for (const Json& dim : *shape) {
      if (!dim.is_number_unsigned() ||
          dim.get<uint64_t>() > uint64_t{std::numeric_limits<int64_t>::max()}) {
        return Fail("shape " + Describe(*shape) + " has a dimension " + Describe(dim) +
                    " that is not a non-negative 64-bit integer");
      }
      dims.push_back(dim.get<int64_t>());
    }
    return dims;
  }

  Result<uint64_t> ByteCount(DType dtype, std::span<const int64_t> shape) const {
    constexpr uint64_t kMaxElements = std::numeric_limits<int64_t>::max();
    uint64_t elements = 1;
    for (int64_t dim : shape) {
      if (__builtin_mul_overflow(elements, static_cast<uint64_t>(dim), &elements) ||
          elements > kMaxElements) {
        return Fail("the element count of shape " + FormatShape(shape) + " overflows");
      }
    }
    uint64_t bytes = 0;
    if (__builtin_mul_overflow(elements, DTypeSize(dtype), &bytes)) {
      return Fail("the byte size of shape " + FormatShape(shape) + " overflows");
    }
    return bytes;
  }

  base::Status ParseOffsets(const Json& json, Entry& entry) const {
    FATHOM_ASSIGN_OR_RETURN(const Json* offsets, Field(json, "data_offsets"));
    if (!offsets->is_array() || offsets->size() != 2 || !(*offsets)[0].is_number_unsigned() ||
        !(*offsets)[1].is_number_unsigned()) {
      return Fail("data_offsets is " + Describe(*offsets) +
                  ", expected [begin, end] of non-negative integers");
    }
    entry.begin = (*offsets)[0].get<uint64_t>();
    entry.end = (*offsets)[1].get<uint64_t>();
    if (entry.begin > entry.end || entry.end > data_size_) {
      return Fail("data_offsets [" + std::to_string(entry.begin) + ", " +
                  std::to_string(entry.end) + "] are outside the data section of " +
                  std::to_string(data_size_) + " bytes (truncated file?)");
    }
    return base::Ok();
  }

  std::string_view file_;
  std::string_view name_;
  uint64_t data_size_;
};

// The header length from the 8-byte prefix, checked against the file size and the limit.
Result<uint64_t> ReadHeaderLength(std::span<const std::byte> bytes, std::string_view file) {
  if (bytes.size() < kLengthPrefixSize) {
    return FileError(file, "file is " + std::to_string(bytes.size()) +
                               " bytes, too short for the 8-byte header length (truncated?)");
  }
  uint64_t length = 0;
  std::memcpy(&length, bytes.data(), sizeof(length));
  uint64_t available = bytes.size() - kLengthPrefixSize;
  if (length < 2) {
    return FileError(file, "header length " + std::to_string(length) + " is below the minimum 2");
  }
  if (length > kMaxSafetensorsHeaderSize) {
    return FileError(file,
                     "header length " + std::to_string(length) + " exceeds the limit of 100 MiB");
  }
  if (length > available) {
    return FileError(file, "header length " + std::to_string(length) + " runs past the end of " +
                               "the file, which has " + std::to_string(available) +
                               " bytes after the length (truncated?)");
  }
  return length;
}

Result<std::map<std::string, std::string>> ParseMetadata(const Json& json, std::string_view file) {
  if (!json.is_object()) {
    return FileError(file, "__metadata__ is " + Describe(json) + ", expected an object");
  }
  std::map<std::string, std::string> metadata;
  for (const auto& [key, value] : json.items()) {
    if (!value.is_string()) {
      return FileError(file, "__metadata__ entry " + QuoteName(key) + " is " + Describe(value) +
                                 ", expected a string");
    }
    metadata.emplace(key, value.get<std::string>());
  }
  return metadata;
}

// Rejects two tensors whose non-empty byte ranges share a byte.
base::Status CheckNoOverlap(std::vector<const Entry*> entries, std::string_view file) {
  std::erase_if(entries, [](const Entry* entry) { return entry->begin == entry->end; });
  std::sort(entries.begin(), entries.end(),
            [](const Entry* a, const Entry* b) { return a->begin < b->begin; });
  for (size_t i = 1; i < entries.size(); ++i) {
    const Entry& previous = *entries[i - 1];
    const Entry& current = *entries[i];
    if (current.begin < previous.end) {
      return FileError(
          file, "tensor " + QuoteName(current.view.name) + " at bytes [" +
                    std::to_string(current.begin) + ", " + std::to_string(current.end) +
                    ") overlaps tensor " + QuoteName(previous.view.name) + " at [" +
                    std::to_string(previous.begin) + ", " + std::to_string(previous.end) + ")");
    }
  }
  return base::Ok();
}

Result<Json> ParseHeaderJson(std::span<const std::byte> header, std::string_view file) {
  std::string_view text(reinterpret_cast<const char*>(header.data()), header.size());
  Result<Json> json = base::ParseJson(text);
  if (!json.ok()) return FileError(file, "header is not valid JSON: " + json.error().message());
  if (!json->is_object())
    return FileError(file, "header is " + Describe(*json) + ", not an object");
  return json;
}

}  // namespace

int64_t TensorView::NumElements() const {
  int64_t count = 1;
  for (int64_t dim : shape) count *= dim;
  return count;
}

std::string FormatShape(std::span<const int64_t> shape) {
  std::string text = "[";
  for (size_t i = 0; i < shape.size(); ++i) {
    if (i > 0) text += ", ";
    text += std::to_string(shape[i]);
  }
  return text + "]";
}

std::string QuoteName(std::string_view name) {
  std::string_view shown = name.substr(0, kMaxQuotedSize);
  std::string quoted;
  quoted.reserve(shown.size() + 5);
  quoted.push_back('\'');
  quoted.append(shown);
  if (shown.size() < name.size()) quoted.append("...");
  quoted.push_back('\'');
  return quoted;
}

Result<SafetensorsHeader> ParseSafetensorsHeader(std::span<const std::byte> file_bytes,
                                                 std::string_view file_name) {
  FATHOM_ASSIGN_OR_RETURN(uint64_t length, ReadHeaderLength(file_bytes, file_name));
  FATHOM_ASSIGN_OR_RETURN(
      Json json, ParseHeaderJson(file_bytes.subspan(kLengthPrefixSize, length), file_name));
  std::span<const std::byte> data = file_bytes.subspan(kLengthPrefixSize + length);
  SafetensorsHeader header;
  std::vector<Entry> entries;
  entries.reserve(json.size());
  for (const auto& [name, value] : json.items()) {
    if (name == kMetadataKey) {
      FATHOM_ASSIGN_OR_RETURN(header.metadata, ParseMetadata(value, file_name));
      continue;
    }
    FATHOM_ASSIGN_OR_RETURN(Entry entry, EntryParser(file_name, name, data.size()).Parse(value));
    entries.push_back(std::move(entry));
  }
  std::vector<const Entry*> ranges;
  for (const Entry& entry : entries) ranges.push_back(&entry);
  FATHOM_TRY(CheckNoOverlap(std::move(ranges), file_name));
  // A JSON object iterates in key order, so the tensors come out sorted by name.
  header.tensors.reserve(entries.size());
  for (Entry& entry : entries) {
    entry.view.data = data.subspan(entry.begin, entry.end - entry.begin);
    header.tensors.push_back(std::move(entry.view));
  }
  return header;
}

}  // namespace fathom::engine
