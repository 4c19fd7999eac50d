// cli/strategy/draft_file.cc
#include "cli/strategy/draft_file.h"

#include <set>
#include <string_view>

#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>
#include <toml++/toml.h>

#include "cli/input_file.h"

namespace constellation::cli {
namespace {

// "plan.toml:7:1" for messages.
std::string Where(const std::string& origin, const toml::source_region& region) {
  const toml::source_position at = region.begin;
  return absl::StrFormat("%s:%d:%d", origin, at.line, at.column);
}

// Refuses keys of `table` outside `allowed` (a typo would silently drop a field).
absl::Status OnlyKeys(const toml::table& table, const std::set<std::string>& allowed,
                      const std::string& origin, std::string_view what) {
  for (const auto& [key, value] : table) {
    (void)value;
    if (!allowed.contains(std::string(key.str()))) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s: unknown key '%s' in %s; the keys are %s", Where(origin, key.source()),
          std::string(key.str()), std::string(what), absl::StrJoin(allowed, ", ")));
    }
  }
  return absl::OkStatus();
}

absl::Status ReadString(const toml::table& table, std::string_view key, const std::string& origin,
                        std::string* out) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return absl::OkStatus();
  if (!node->is_string()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: '%s' must be a string", Where(origin, node->source()), std::string(key)));
  }
  *out = node->as_string()->get();
  return absl::OkStatus();
}

absl::Status ReadInteger(const toml::table& table, std::string_view key, const std::string& origin,
                         int64_t* out) {
  const toml::node* node = table.get(key);
  if (node == nullptr) return absl::OkStatus();
  if (!node->is_integer()) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s: '%s' must be an integer", Where(origin, node->source()), std::string(key)));
  }
  *out = node->as_integer()->get();
  return absl::OkStatus();
}

// The tables of the array of tables `key` ([[key]]), each passed to `read`.
template <typename Read>
absl::Status ReadTables(const toml::table& root, std::string_view key, const std::string& origin,
                        Read&& read) {
  const toml::node* node = root.get(key);
  if (node == nullptr) return absl::OkStatus();
  const toml::array* array = node->as_array();
  if (array == nullptr || !array->is_array_of_tables()) {
    return absl::InvalidArgumentError(absl::StrFormat("%s: '%s' must be tables ([[%s]])",
                                                      Where(origin, node->source()),
                                                      std::string(key), std::string(key)));
  }
  for (const toml::node& item : *array) {
    if (absl::Status status = read(*item.as_table()); !status.ok()) return status;
  }
  return absl::OkStatus();
}

}  // namespace

absl::StatusOr<StrategyDraft> ParseDraftToml(const std::string& text, const std::string& origin) {
  toml::table root;
  try {
    root = toml::parse(text, origin);
  } catch (const toml::parse_error& error) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s:%d:%d: %s", origin, error.source().begin.line,
                        error.source().begin.column, std::string(error.description())));
  }
  StrategyDraft d;
  absl::Status status =
      OnlyKeys(root, {"document", "title", "based_on", "content", "goals", "indicators"}, origin,
               "the file");
  if (status.ok()) status = ReadString(root, "document", origin, &d.document);
  if (status.ok()) status = ReadString(root, "title", origin, &d.title);
  if (status.ok()) status = ReadString(root, "based_on", origin, &d.based_on);
  if (status.ok()) status = ReadString(root, "content", origin, &d.content);
  if (status.ok()) {
    status = ReadTables(root, "indicators", origin, [&](const toml::table& t) -> absl::Status {
      Indicator i;
      absl::Status s = OnlyKeys(t,
                                {"key", "name", "definition", "unit", "level", "baseline", "target",
                                 "frequency", "owner"},
                                origin, "[[indicators]]");
      for (auto [key, out] : {std::pair{"key", &i.key},
                              {"name", &i.name},
                              {"definition", &i.definition},
                              {"unit", &i.unit},
                              {"level", &i.level},
                              {"frequency", &i.frequency},
                              {"owner", &i.owner}}) {
        if (s.ok()) s = ReadString(t, key, origin, out);
      }
      if (s.ok()) s = ReadInteger(t, "baseline", origin, &i.baseline);
      if (s.ok()) s = ReadInteger(t, "target", origin, &i.target);
      if (s.ok()) d.indicators.push_back(std::move(i));
      return s;
    });
  }
  if (status.ok()) {
    status = ReadTables(root, "goals", origin, [&](const toml::table& t) -> absl::Status {
      StrategyGoal g;
      absl::Status s = OnlyKeys(t, {"key", "text", "indicators"}, origin, "[[goals]]");
      if (s.ok()) s = ReadString(t, "key", origin, &g.key);
      if (s.ok()) s = ReadString(t, "text", origin, &g.text);
      if (const toml::node* keys = t.get("indicators"); s.ok() && keys != nullptr) {
        const toml::array* array = keys->as_array();
        if (array == nullptr) {
          return absl::InvalidArgumentError(absl::StrFormat(
              "%s: 'indicators' must be a list of indicator keys", Where(origin, keys->source())));
        }
        for (const toml::node& key : *array) {
          if (!key.is_string()) {
            return absl::InvalidArgumentError(absl::StrFormat(
                "%s: 'indicators' must be a list of indicator keys", Where(origin, key.source())));
          }
          g.indicator_keys.push_back(key.as_string()->get());
        }
      }
      if (s.ok()) d.goals.push_back(std::move(g));
      return s;
    });
  }
  if (!status.ok()) return status;
  return d;
}

absl::StatusOr<StrategyDraft> ReadDraftFile(const std::string& path) {
  absl::StatusOr<std::string> text = ReadInputFile(path, "--from");
  if (!text.ok()) return text.status();
  return ParseDraftToml(*text, path == "-" ? "<stdin>" : path);
}

}  // namespace constellation::cli
