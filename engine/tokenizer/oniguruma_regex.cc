#include "engine/tokenizer/oniguruma_regex.h"

#include <oniguruma.h>

#include <mutex>
#include <string>

namespace fathom::engine {
namespace {

std::string ErrorText(int code, OnigErrorInfo* info) {
  OnigUChar text[ONIG_MAX_ERROR_MESSAGE_LEN];
  int length = info != nullptr ? onig_error_code_to_str(text, code, info)
                               : onig_error_code_to_str(text, code);
  return std::string(reinterpret_cast<const char*>(text), static_cast<size_t>(length));
}

// A match region per thread, reused across searches.
struct Region {
  Region() : region(onig_region_new()) {}
  Region(const Region&) = delete;
  Region& operator=(const Region&) = delete;
  ~Region() { onig_region_free(region, 1); }
  OnigRegion* region;
};

// The length of the UTF-8 character that starts with `lead` (1 for a byte that starts none).
size_t CharacterLength(unsigned char lead) {
  if (lead >= 0xF0) return 4;
  if (lead >= 0xE0) return 3;
  if (lead >= 0xC0) return 2;
  return 1;
}

}  // namespace

void OnigurumaRegex::Deleter::operator()(re_pattern_buffer* regex) const { onig_free(regex); }

base::Result<OnigurumaRegex> OnigurumaRegex::Compile(std::string_view pattern) {
  static std::once_flag initialized;
  std::call_once(initialized, [] {
    OnigEncoding encodings[] = {ONIG_ENCODING_UTF8};
    onig_initialize(encodings, 1);
  });
  OnigRegex regex = nullptr;
  OnigErrorInfo info{};
  const auto* begin = reinterpret_cast<const OnigUChar*>(pattern.data());
  int code = onig_new(&regex, begin, begin + pattern.size(), ONIG_OPTION_NONE, ONIG_ENCODING_UTF8,
                      ONIG_SYNTAX_DEFAULT, &info);
  if (code != ONIG_NORMAL) {
    return base::InvalidArgumentError("regex \"" + std::string(pattern) +
                                      "\" does not compile: " + ErrorText(code, &info));
  }
  return OnigurumaRegex(regex);
}

base::Status OnigurumaRegex::FindAll(std::string_view subject,
                                     std::vector<std::pair<size_t, size_t>>& matches) const {
  thread_local Region scratch;
  matches.clear();
  const auto* begin = reinterpret_cast<const OnigUChar*>(subject.data());
  const OnigUChar* end = begin + subject.size();
  size_t search_from = 0;
  bool matched_before = false;
  size_t last_match_end = 0;
  while (search_from <= subject.size()) {
    onig_region_clear(scratch.region);
    int found = onig_search(regex_.get(), begin, end, begin + search_from, end, scratch.region,
                            ONIG_OPTION_NONE);
    if (found == ONIG_MISMATCH) break;
    if (found < 0) {
      return base::ResourceExhaustedError("regex search failed: " + ErrorText(found, nullptr));
    }
    size_t match_begin = static_cast<size_t>(scratch.region->beg[0]);
    size_t match_end = static_cast<size_t>(scratch.region->end[0]);
    if (match_begin == match_end && matched_before && match_end == last_match_end) {
      search_from += search_from < subject.size()
                         ? CharacterLength(static_cast<unsigned char>(subject[search_from]))
                         : 1;
      continue;
    }
    matches.emplace_back(match_begin, match_end);
    search_from = match_end;
    matched_before = true;
    last_match_end = match_end;
  }
  return base::Ok();
}

}  // namespace fathom::engine
