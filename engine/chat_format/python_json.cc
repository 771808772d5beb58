#include "engine/chat_format/python_json.h"

#include <algorithm>
#include <charconv>
#include <cmath>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string>

namespace fathom::engine {
namespace {

// Deeper documents are rejected so that dumping (recursive) cannot exhaust the stack.
constexpr int kMaxNestingDepth = 512;

// Python's repr of a finite double: the shortest round-trip digits, positional notation when the
// decimal exponent is in [-4, 16), else "d.ddde+XX"; a whole number keeps ".0".
void AppendPythonFloat(double value, std::string& out) {
  if (std::isnan(value)) {
    out += "NaN";
    return;
  }
  if (std::isinf(value)) {
    out += value < 0 ? "-Infinity" : "Infinity";
    return;
  }
  char buffer[64];
  std::to_chars_result result =
      std::to_chars(buffer, buffer + sizeof(buffer), value, std::chars_format::scientific);
  std::string_view text(buffer, static_cast<size_t>(result.ptr - buffer));
  if (text.starts_with('-')) {
    out += '-';
    text.remove_prefix(1);
  }
  size_t e = text.find('e');
  std::string digits;
  for (char c : text.substr(0, e)) {
    if (c != '.') digits += c;
  }
  int exponent = std::atoi(std::string(text.substr(e + 1)).c_str());
  int point = exponent + 1;  // value = 0.digits * 10^point
  int count = static_cast<int>(digits.size());
  if (point > -4 && point <= 16) {
    if (point <= 0) {
      out += "0.";
      out.append(static_cast<size_t>(-point), '0');
      out += digits;
    } else if (point >= count) {
      out += digits;
      out.append(static_cast<size_t>(point - count), '0');
      out += ".0";
    } else {
      out.append(digits, 0, static_cast<size_t>(point));
      out += '.';
      out.append(digits, static_cast<size_t>(point));
    }
    return;
  }
  out += digits[0];
  if (count > 1) {
    out += '.';
    out.append(digits, 1);
  }
  char exponent_text[16];
  std::snprintf(exponent_text, sizeof(exponent_text), "e%c%02d", exponent < 0 ? '-' : '+',
                std::abs(exponent));
  out += exponent_text;
}

void AppendValue(const OrderedJson& value, std::string& out) {
  switch (value.type()) {
    case OrderedJson::value_t::null:
    case OrderedJson::value_t::discarded:
      out += "null";
      return;
    case OrderedJson::value_t::boolean:
      out += value.get<bool>() ? "true" : "false";
      return;
    case OrderedJson::value_t::number_integer:
      out += std::to_string(value.get<int64_t>());
      return;
    case OrderedJson::value_t::number_unsigned:
      out += std::to_string(value.get<uint64_t>());
      return;
    case OrderedJson::value_t::number_float:
      AppendPythonFloat(value.get<double>(), out);
      return;
    case OrderedJson::value_t::string:
      AppendPythonJsonString(value.get_ref<const std::string&>(), out);
      return;
    case OrderedJson::value_t::binary:
      out += "null";
      return;
    case OrderedJson::value_t::array: {
      out += '[';
      bool first = true;
      for (const OrderedJson& element : value) {
        if (!first) out += ", ";
        first = false;
        AppendValue(element, out);
      }
      out += ']';
      return;
    }
    case OrderedJson::value_t::object: {
      out += '{';
      bool first = true;
      for (const auto& [key, element] : value.items()) {
        if (!first) out += ", ";
        first = false;
        AppendPythonJsonString(key, out);
        out += ": ";
        AppendValue(element, out);
      }
      out += '}';
      return;
    }
  }
}

// The deepest nesting of arrays and objects in `text`, counting brackets outside strings.
int NestingDepth(std::string_view text) {
  int depth = 0;
  int deepest = 0;
  bool in_string = false;
  bool escaped = false;
  for (char c : text) {
    if (in_string) {
      if (escaped) {
        escaped = false;
      } else if (c == '\\') {
        escaped = true;
      } else if (c == '"') {
        in_string = false;
      }
    } else if (c == '"') {
      in_string = true;
    } else if (c == '[' || c == '{') {
      deepest = std::max(deepest, ++depth);
    } else if (c == ']' || c == '}') {
      --depth;
    }
  }
  return deepest;
}

// nlohmann prefixes its messages with "[json.exception.parse_error.101] "; the reason follows.
std::string ReasonOf(const std::exception& error) {
  std::string_view what = error.what();
  if (what.starts_with('[')) {
    size_t end = what.find("] ");
    if (end != std::string_view::npos) what.remove_prefix(end + 2);
  }
  return std::string(what);
}

}  // namespace

void AppendPythonJsonString(std::string_view text, std::string& out) {
  static constexpr char kHex[] = "0123456789abcdef";
  out += '"';
  for (char c : text) {
    auto byte = static_cast<unsigned char>(c);
    switch (c) {
      case '"':
        out += "\\\"";
        break;
      case '\\':
        out += "\\\\";
        break;
      case '\n':
        out += "\\n";
        break;
      case '\r':
        out += "\\r";
        break;
      case '\t':
        out += "\\t";
        break;
      case '\b':
        out += "\\b";
        break;
      case '\f':
        out += "\\f";
        break;
      default:
        if (byte < 0x20) {
          out += "\\u00";
          out += kHex[byte >> 4];
          out += kHex[byte & 0xF];
        } else {
          out += c;
        }
    }
  }
  out += '"';
}

std::string DumpPythonJson(const OrderedJson& value) {
  std::string out;
  AppendValue(value, out);
  return out;
}

base::Result<OrderedJson> ParseOrderedJson(std::string_view text) {
  if (NestingDepth(text) > kMaxNestingDepth) {
    return base::InvalidArgumentError("invalid JSON: nested deeper than " +
                                      std::to_string(kMaxNestingDepth) + " levels");
  }
  try {
    return OrderedJson::parse(text);
  } catch (const OrderedJson::parse_error& error) {
    return base::InvalidArgumentError("invalid JSON at byte offset " + std::to_string(error.byte) +
                                      ": " + ReasonOf(error));
  } catch (const std::exception& error) {
    return base::InvalidArgumentError("invalid JSON: " + ReasonOf(error));
  }
}

}  // namespace fathom::engine
