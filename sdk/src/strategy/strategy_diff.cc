// sdk/src/strategy/strategy_diff.cc: DiffStrategy (constellation/strategy.h). The line diff is
// dtl's shortest edit script (Debian's libdtl-dev, header-only, Myers' O(ND) algorithm).
#include <map>
#include <string>
#include <vector>

#include <absl/strings/str_join.h>
#include <absl/strings/str_split.h>
#include <constellation/strategy.h>
#include <dtl/dtl.hpp>

namespace constellation {
namespace {

std::vector<std::string> Lines(const std::string& text) {
  if (text.empty()) return {};
  std::vector<std::string> lines = absl::StrSplit(text, '\n');
  if (lines.back().empty()) lines.pop_back();  // a final line break ends the last line
  return lines;
}

void Compare(std::vector<FieldChange>& out, std::string field, const std::string& before,
             const std::string& after) {
  if (before != after) out.push_back(FieldChange{std::move(field), before, after});
}

std::vector<FieldChange> Fields(const StrategyGoal& a, const StrategyGoal& b) {
  std::vector<FieldChange> out;
  Compare(out, "text", a.text, b.text);
  Compare(out, "indicator_keys", absl::StrJoin(a.indicator_keys, ", "),
          absl::StrJoin(b.indicator_keys, ", "));
  return out;
}

std::vector<FieldChange> Fields(const Indicator& a, const Indicator& b) {
  std::vector<FieldChange> out;
  Compare(out, "name", a.name, b.name);
  Compare(out, "definition", a.definition, b.definition);
  Compare(out, "unit", a.unit, b.unit);
  Compare(out, "level", a.level, b.level);
  Compare(out, "baseline", std::to_string(a.baseline), std::to_string(b.baseline));
  Compare(out, "target", std::to_string(a.target), std::to_string(b.target));
  Compare(out, "frequency", a.frequency, b.frequency);
  Compare(out, "owner", a.owner, b.owner);
  return out;
}

// Items matched by key: changed and added ones in `to`'s order, then removed ones in `from`'s.
template <typename Item>
std::vector<KeyedChange> DiffKeyed(const std::vector<Item>& from, const std::vector<Item>& to) {
  std::map<std::string, const Item*> before;
  for (const Item& item : from) before.emplace(item.key, &item);
  std::map<std::string, const Item*> after;
  for (const Item& item : to) after.emplace(item.key, &item);
  std::vector<KeyedChange> out;
  for (const Item& item : to) {
    auto it = before.find(item.key);
    if (it == before.end()) {
      out.push_back(KeyedChange{'+', item.key, {}});
    } else if (std::vector<FieldChange> fields = Fields(*it->second, item); !fields.empty()) {
      out.push_back(KeyedChange{'~', item.key, std::move(fields)});
    }
  }
  for (const Item& item : from) {
    if (!after.contains(item.key)) out.push_back(KeyedChange{'-', item.key, {}});
  }
  return out;
}

}  // namespace

StrategyDiff DiffStrategy(const StrategyDraft& from, const StrategyDraft& to) {
  StrategyDiff diff;
  Compare(diff.header, "document", from.document, to.document);
  Compare(diff.header, "title", from.title, to.title);
  Compare(diff.header, "based_on", from.based_on, to.based_on);
  if (from.content != to.content) {
    dtl::Diff<std::string> lines(Lines(from.content), Lines(to.content));
    lines.compose();
    // Within each run of changed lines, the removed ones come first (as in a unified diff).
    std::vector<LineChange> added;
    for (const auto& [line, info] : lines.getSes().getSequence()) {
      if (info.type == dtl::SES_ADD) {
        added.push_back(LineChange{'+', line});
        continue;
      }
      if (info.type == dtl::SES_COMMON) {
        diff.content.insert(diff.content.end(), added.begin(), added.end());
        added.clear();
      }
      diff.content.push_back(LineChange{info.type == dtl::SES_DELETE ? '-' : ' ', line});
    }
    diff.content.insert(diff.content.end(), added.begin(), added.end());
  }
  diff.goals = DiffKeyed(from.goals, to.goals);
  diff.indicators = DiffKeyed(from.indicators, to.indicators);
  return diff;
}

}  // namespace constellation
