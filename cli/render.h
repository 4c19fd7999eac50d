// cli/render.h
//
// The vocabulary every domain's rendering (cli/<domain>/render.h) shares: how SDK values appear
// in JSON (every amount twice: `<name>_minor` as an integer and `<name>` as a decimal string in
// the currency's exponent; times as `<name>_ms` plus a date string, null when unset), in tables
// (ids and org keys short, with the org's name beside a key, while CSV and JSON print them
// whole: CellKind, cli/output.h), and the
// one way to print records: a RecordFormat, declared once per record type, holds the record's
// JSON, its column definitions (for both the table and the CSV of a list) and its details, all
// derived from one table of the record's properties (a name and a Value per field) unless a
// format differs in order or content.
// Thread safety: pure functions and constant data.
#pragma once

#include <concepts>
#include <cstdint>
#include <initializer_list>
#include <span>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <constellation/types.h>

#include "cli/output.h"

namespace constellation::cli {

// "250.50 EUR".
std::string MoneyText(int64_t minor, const std::string& currency);

// A count or number for a cell: "42".
std::string Count(uint64_t n);

// "yes" / "no".
std::string YesNo(bool value);

// One member of a JSON object ({"key", value}), or the two members a time, an amount or an HLC
// stands for. A list of them makes an object, in order: JsonObject({{"name", name},
// TimeMembers("deadline", deadline_ms)}).
class JsonMembers {
 public:
  JsonMembers(std::string key, Json value);

  const std::vector<std::pair<std::string, Json>>& members() const { return members_; }

 private:
  friend JsonMembers TimeMembers(const std::string& name, uint64_t ms);
  friend JsonMembers AmountMembers(const std::string& name, int64_t minor,
                                   const std::string& currency);
  friend JsonMembers HlcMembers(const std::string& name, const Hlc& hlc);
  JsonMembers(std::string key, Json value, std::string second_key, Json second_value);

  std::vector<std::pair<std::string, Json>> members_;
};

// An object with `members` in order.
Json JsonObject(std::initializer_list<JsonMembers> members);

// `<name>_ms` and `<name>` (a date string, or null when not set).
JsonMembers TimeMembers(const std::string& name, uint64_t ms);

// `<name>_minor` and `<name>` (the decimal in the currency's exponent).
JsonMembers AmountMembers(const std::string& name, int64_t minor, const std::string& currency);

// `<name>_hlc` ({"wall_ms", "logical"}) and `<name>` (the wall time as a date string, or null
// when not set).
JsonMembers HlcMembers(const std::string& name, const Hlc& hlc);

// {"currency", "amount_minor", "amount"}.
Json ToJson(const Money& money);

Json ToJson(const EventRef& event);

// What a write prints: in JSON, the created (or changed) record's id at a stable top-level key,
// then event_id, request_id, the event and the resulting view under `view_key`; as key/value
// lines, the id, event_id and then `values`.
Output WriteOutput(const std::string& id_key, const std::string& id, const EventRef& event,
                   std::string_view request_id, const std::string& view_key, Json view,
                   KeyValues values);

// A JSON array of `to_json(item)` for every item.
template <typename Item>
Json JsonArray(const std::vector<Item>& items,
               std::type_identity_t<Json (*)(const Item&)> to_json) {
  Json json = Json::array();
  for (const Item& item : items) json.push_back(to_json(item));
  return json;
}

inline constexpr bool kRightAligned = true;

// One column of a list: its name (snake_case; the CSV header as is, the table header upper-case)
// and how a record fills its cell.
template <typename Record>
struct Field {
  std::string_view name;
  std::string (*cell)(const Record& record);
  bool right_aligned = false;       // numbers and amounts
  CellKind kind = CellKind::kText;  // ids and org keys: given whole, shortened in tables only
};

// The value of one property of a record (below), in the two forms it prints in: JSON member(s),
// and text (a key/value line, a CSV row, a table cell).
class Value {
 public:
  // A string: as is in both.
  Value(const std::string& text);
  Value(const char* text);
  // true/false; "yes"/"no".
  Value(bool flag);
  // A number; "42".
  template <std::unsigned_integral Number>
  Value(Number number) : kind_(Kind::kNumber), json_(number), text_(Count(number)) {}
  // An array; the strings joined by spaces.
  Value(const std::vector<std::string>& strings);
  // HlcMembers; the wall time as a date string.
  Value(const Hlc& hlc);
  // Anything else: `json` and `text` as given.
  Value(Json json, std::string text);

  // TimeMembers; the date string.
  static Value Time(uint64_t ms);
  // AmountMembers; MoneyText.
  static Value Amount(int64_t minor, const std::string& currency);
  // A string, or strings joined by spaces, of hex ids: whole, but short in a table's cells.
  static Value Id(const std::string& hex);
  static Value Ids(const std::vector<std::string>& hex);
  // An org key: whole, but short and with the org's name in a table's cells.
  static Value OrgKey(const std::string& hex);

  // The JSON member (or two) this value stands for under `name`.
  JsonMembers Members(const std::string& name) const;
  const std::string& text() const { return text_; }
  // In a table: numbers are.
  bool right_aligned() const { return kind_ == Kind::kNumber; }
  // How a table shows the text.
  CellKind cell() const { return cell_; }

 private:
  enum class Kind { kPlain, kNumber, kTime, kAmount, kHlc };

  Kind kind_ = Kind::kPlain;
  Json json_;
  std::string text_;
  Hlc hlc_;               // kTime (wall_ms only) and kHlc
  int64_t minor_ = 0;     // kAmount
  std::string currency_;  // kAmount
  CellKind cell_ = CellKind::kText;
};

// Where a property shows: JSON and key/value lines (always, or only when its text is not
// empty), or only one of them.
enum class Shown { kBoth, kBothTextWhenSet, kJsonOnly, kTextOnly, kTextOnlyWhenSet };

// One property of a record, declared once for its JSON, its key/value lines and its table
// column: its JSON name (the base of both keys for times, amounts and HLCs), its value, where it
// shows ("text" is the key/value lines and the columns) and, when the text names it otherwise,
// that key.
template <typename Record>
struct Property {
  using RecordType = Record;
  std::string_view name;
  Value (*value)(const Record& record);
  Shown shown = Shown::kBoth;
  std::string_view text_key = {};
};

// The data member `kMember` of `object`, or the member `kMembers...` of that, in turn.
template <auto kMember, auto... kMembers, typename Object>
const auto& MemberAt(const Object& object) {
  if constexpr (sizeof...(kMembers) == 0) {
    return object.*kMember;
  } else {
    return MemberAt<kMembers...>(object.*kMember);
  }
}

template <typename>
struct MemberPointer;
template <typename Class, typename Type>
struct MemberPointer<Type Class::*> {
  using Record = Class;
};

// The value of a property that is a data member as is (Of<&Group::charter, &Charter::name>);
// TimeOf: a time in ms.
template <auto kMember, auto... kMembers>
Value Of(const typename MemberPointer<decltype(kMember)>::Record& record) {
  return Value(MemberAt<kMember, kMembers...>(record));
}
template <auto kMember, auto... kMembers>
Value TimeOf(const typename MemberPointer<decltype(kMember)>::Record& record) {
  return Value::Time(MemberAt<kMember, kMembers...>(record));
}
// IdOf: a hex id (or a vector of them); OrgKeyOf: an org key (Value::Id, Value::OrgKey).
template <auto kMember, auto... kMembers>
Value IdOf(const typename MemberPointer<decltype(kMember)>::Record& record) {
  const auto& member = MemberAt<kMember, kMembers...>(record);
  if constexpr (std::is_same_v<std::remove_cvref_t<decltype(member)>, std::string>) {
    return Value::Id(member);
  } else {
    return Value::Ids(member);
  }
}
template <auto kMember, auto... kMembers>
Value OrgKeyOf(const typename MemberPointer<decltype(kMember)>::Record& record) {
  return Value::OrgKey(MemberAt<kMember, kMembers...>(record));
}

// The JSON object of `record`'s properties, in order.
template <typename Record>
Json PropertiesJson(std::span<const Property<Record>> properties, const Record& record) {
  Json json = Json::object();
  for (const Property<Record>& property : properties) {
    if (property.shown == Shown::kTextOnly || property.shown == Shown::kTextOnlyWhenSet) continue;
    const JsonMembers members = property.value(record).Members(std::string(property.name));
    for (const auto& [key, value] : members.members()) json[key] = value;
  }
  return json;
}

// The key/value lines of `record`'s properties, in order.
template <typename Record>
KeyValues PropertiesDetails(std::span<const Property<Record>> properties, const Record& record) {
  KeyValues values;
  for (const Property<Record>& property : properties) {
    if (property.shown == Shown::kJsonOnly) continue;
    std::string text = property.value(record).text();
    const bool when_set =
        property.shown == Shown::kBothTextWhenSet || property.shown == Shown::kTextOnlyWhenSet;
    if (when_set && text.empty()) continue;
    values.emplace_back(property.text_key.empty() ? property.name : property.text_key,
                        std::move(text));
  }
  return values;
}

// A table of `records` with a column for every property shown as text (headed by its text key),
// the text of its values in the cells; numbers are right-aligned.
template <typename Record>
Table PropertiesTable(std::span<const Property<Record>> properties,
                      const std::vector<Record>& records) {
  Table table;
  for (const Property<Record>& property : properties) {
    if (property.shown == Shown::kJsonOnly) continue;
    const bool right_aligned = !records.empty() && property.value(records[0]).right_aligned();
    const CellKind kind = records.empty() ? CellKind::kText : property.value(records[0]).cell();
    table.columns.push_back(
        {std::string(property.text_key.empty() ? property.name : property.text_key), right_aligned,
         kind});
  }
  for (const Record& record : records) {
    std::vector<std::string>& row = table.rows.emplace_back();
    for (const Property<Record>& property : properties) {
      if (property.shown != Shown::kJsonOnly) row.push_back(property.value(record).text());
    }
  }
  return table;
}

// The record type of a property table.
template <const auto& kProperties>
using RecordOf =
    typename std::remove_extent_t<std::remove_cvref_t<decltype(kProperties)>>::RecordType;

// PropertiesJson and PropertiesDetails of one table, as functions of the record alone: the
// `json` and `details` of a RecordFormat.
template <const auto& kProperties>
Json JsonOf(const RecordOf<kProperties>& record) {
  return PropertiesJson<RecordOf<kProperties>>(kProperties, record);
}
template <const auto& kProperties>
KeyValues DetailsOf(const RecordOf<kProperties>& record) {
  return PropertiesDetails<RecordOf<kProperties>>(kProperties, record);
}

// The rows of `records`, one cell per column.
template <typename Record>
Table TableOf(std::span<const Field<Record>> columns, const std::vector<Record>& records) {
  Table table;
  for (const Field<Record>& field : columns) {
    table.columns.push_back({std::string(field.name), field.right_aligned, field.kind});
  }
  for (const Record& record : records) {
    std::vector<std::string>& row = table.rows.emplace_back();
    for (const Field<Record>& field : columns) row.push_back(field.cell(record));
  }
  return table;
}

// A titled table under the details of one record, in the table format only: a group's
// members, a pledge's installments.
template <typename Record>
struct Section {
  std::string_view title;
  Table (*table)(const Record& record);
};

// How one record type prints, declared once per type. With -o json: the record's JSON, or an
// array of them. A list in the table and CSV formats: `columns`. One record: its details as
// key/value lines or CSV rows, with the `sections` under the lines. The JSON, the columns and the
// details come from `properties` unless given: `json`, `columns`, `details` are for records
// whose formats differ in order or content. Called on a list or on one record, it gives that
// Output, so that it can be the `print` of CommandContext::Read.
template <typename Record>
struct RecordFormat {
  std::span<const Property<Record>> properties = {};
  Json (*json)(const Record& record) = nullptr;
  std::span<const Field<Record>> columns = {};
  KeyValues (*details)(const Record& record) = nullptr;
  std::span<const Section<Record>> sections = {};

  Json ToJson(const Record& record) const {
    return json != nullptr ? json(record) : PropertiesJson(properties, record);
  }
  KeyValues Details(const Record& record) const {
    return details != nullptr ? details(record) : PropertiesDetails(properties, record);
  }
  Table TableOf(const std::vector<Record>& records) const {
    return columns.empty() ? PropertiesTable(properties, records) : cli::TableOf(columns, records);
  }
  Output operator()(const std::vector<Record>& records) const {
    Json array = Json::array();
    for (const Record& record : records) array.push_back(ToJson(record));
    return Output::List(std::move(array), TableOf(records));
  }
  Output operator()(const Record& record) const {
    Output output = Output::Object(ToJson(record), Details(record));
    for (const Section<Record>& section : sections) {
      output.tables.emplace_back(std::string(section.title), section.table(record));
    }
    return output;
  }
};

}  // namespace constellation::cli
