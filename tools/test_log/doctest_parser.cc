// parse_log_doctest (official c.py, used for nlohmann/json run with `-s -r=xml`): the XML between
// the first "<doctest" and the next "</doctest>", read with Boost.PropertyTree. Every SubCase of
// every TestCase becomes "<test case> > <subcase>", PASSED when all Expression elements inside it
// (nested subcases included) have success="true". Quirks kept: a test case without subcases is not
// recorded; a nested subcase is named after the test case, not its parent; when doctest re-enters
// a test case for its next subcase, the later entry of the same name wins.
#include <boost/property_tree/ptree.hpp>
#include <boost/property_tree/xml_parser.hpp>
#include <sstream>
#include <string>
#include <vector>

#include "tools/test_log/framework_parsers.h"

namespace fathom::tools::internal {

namespace {

using boost::property_tree::ptree;

// Expat (under ElementTree) turns "\r\n", and each literal "\r", "\n" and "\t", in an attribute
// value into one space; RapidXML (under Boost.PropertyTree) keeps them. Only element names and
// attribute values are read, so normalising the whole document changes nothing else.
std::string NormaliseWhitespace(std::string_view xml) {
  std::string normalised;
  normalised.reserve(xml.size());
  for (size_t i = 0; i < xml.size(); ++i) {
    const char c = xml[i];
    if (c == '\r' && i + 1 < xml.size() && xml[i + 1] == '\n') continue;
    normalised += c == '\r' || c == '\n' || c == '\t' ? ' ' : c;
  }
  return normalised;
}

// ElementTree's element.get(name) as formatted by an f-string: "None" when absent.
std::string AttributeOrNone(const ptree& element, const std::string& name) {
  return element.get("<xmlattr>." + name, std::string("None"));
}

// ElementTree's element.findall(".//" + tag): the descendants named `tag`, in document order.
std::vector<const ptree*> FindAll(const ptree& element, std::string_view tag) {
  std::vector<const ptree*> found;
  for (const auto& [name, child] : element) {
    if (name == "<xmlattr>") continue;
    if (name == tag) found.push_back(&child);
    for (const ptree* descendant : FindAll(child, tag)) found.push_back(descendant);
  }
  return found;
}

}  // namespace

base::Result<TestStatusMap> ParseDoctestXmlLog(std::string_view log) {
  constexpr std::string_view kStart = "<doctest";
  constexpr std::string_view kEnd = "</doctest>";
  const size_t start = log.find(kStart);
  if (start == std::string_view::npos) return TestStatusMap();
  const size_t end = log.find(kEnd, start);
  if (end == std::string_view::npos) {
    // The official code then slices log[start:9], which ElementTree fails to parse.
    return base::InvalidArgumentError("doctest XML: \"<doctest\" without \"</doctest>\"");
  }
  std::istringstream xml(NormaliseWhitespace(log.substr(start, end + kEnd.size() - start)));
  ptree document;
  try {
    boost::property_tree::read_xml(xml, document, boost::property_tree::xml_parser::no_comments);
  } catch (const boost::property_tree::xml_parser_error& error) {
    return base::InvalidArgumentError("doctest XML: " + error.message());
  }
  // The document starts with "<doctest", so its first node is the root element.
  const ptree& root = document.front().second;
  TestStatusMap statuses;
  for (const ptree* test_case : FindAll(root, "TestCase")) {
    for (const ptree* sub_case : FindAll(*test_case, "SubCase")) {
      bool passed = true;
      for (const ptree* expression : FindAll(*sub_case, "Expression")) {
        passed = passed && AttributeOrNone(*expression, "success") == "true";
      }
      SetStatus(statuses,
                AttributeOrNone(*test_case, "name") + " > " + AttributeOrNone(*sub_case, "name"),
                passed ? TestStatus::kPassed : TestStatus::kFailed);
    }
  }
  return statuses;
}

}  // namespace fathom::tools::internal
