// cli/render.cc
#include "cli/render.h"

#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>
#include <constellation/money.h>

#include "cli/values.h"

namespace constellation::cli {
std::string MoneyText(int64_t minor, const std::string& currency) {
  return absl::StrFormat("%s %s", FormatAmount(minor, currency), currency);
}

std::string Count(uint64_t n) { return absl::StrFormat("%d", n); }

std::string YesNo(bool value) { return value ? "yes" : "no"; }

JsonMembers::JsonMembers(std::string key, Json value) {
  members_.emplace_back(std::move(key), std::move(value));
}

JsonMembers::JsonMembers(std::string key, Json value, std::string second_key, Json second_value)
    : JsonMembers(std::move(key), std::move(value)) {
  members_.emplace_back(std::move(second_key), std::move(second_value));
}

Json JsonObject(std::initializer_list<JsonMembers> members) {
  Json json = Json::object();
  for (const JsonMembers& some : members) {
    for (const auto& [key, value] : some.members()) json[key] = value;
  }
  return json;
}

JsonMembers TimeMembers(const std::string& name, uint64_t ms) {
  return {name + "_ms", ms, name, ms == 0 ? Json(nullptr) : Json(FormatTimeMs(ms))};
}

JsonMembers AmountMembers(const std::string& name, int64_t minor, const std::string& currency) {
  return {name + "_minor", minor, name, FormatAmount(minor, currency)};
}

JsonMembers HlcMembers(const std::string& name, const Hlc& hlc) {
  return {name + "_hlc", JsonObject({{"wall_ms", hlc.wall_ms}, {"logical", hlc.logical}}), name,
          hlc.wall_ms == 0 ? Json(nullptr) : Json(FormatTimeMs(hlc.wall_ms))};
}

Value::Value(const std::string& text) : json_(text), text_(text) {}

Value::Value(const char* text) : Value(std::string(text)) {}

Value::Value(bool flag) : json_(flag), text_(YesNo(flag)) {}

Value::Value(const std::vector<std::string>& strings)
    : json_(strings), text_(absl::StrJoin(strings, " ")) {}

Value::Value(const Hlc& hlc) : kind_(Kind::kHlc), text_(FormatTimeMs(hlc.wall_ms)), hlc_(hlc) {}

Value::Value(Json json, std::string text) : json_(std::move(json)), text_(std::move(text)) {}

Value Value::Time(uint64_t ms) {
  Value value(Hlc{ms, 0});
  value.kind_ = Kind::kTime;
  return value;
}

Value Value::Amount(int64_t minor, const std::string& currency) {
  Value value(Json(), MoneyText(minor, currency));
  value.kind_ = Kind::kAmount;
  value.minor_ = minor;
  value.currency_ = currency;
  return value;
}

Value Value::Id(const std::string& hex) {
  Value value(hex);
  value.cell_ = CellKind::kId;
  return value;
}

Value Value::Ids(const std::vector<std::string>& hex) {
  Value value(hex);
  value.cell_ = CellKind::kId;
  return value;
}

Value Value::OrgKey(const std::string& hex) {
  Value value(hex);
  value.cell_ = CellKind::kOrgKey;
  return value;
}

JsonMembers Value::Members(const std::string& name) const {
  switch (kind_) {
    case Kind::kTime:
      return TimeMembers(name, hlc_.wall_ms);
    case Kind::kAmount:
      return AmountMembers(name, minor_, currency_);
    case Kind::kHlc:
      return HlcMembers(name, hlc_);
    case Kind::kPlain:
    case Kind::kNumber:
      break;
  }
  return {name, json_};
}

Json ToJson(const Money& money) {
  return JsonObject(
      {{"currency", money.currency}, AmountMembers("amount", money.amount_minor, money.currency)});
}

Json ToJson(const EventRef& event) {
  return JsonObject({{"event_id", event.event_id},
                     {"group_id", event.group_id},
                     {"author", event.author},
                     {"seq", event.seq},
                     HlcMembers("time", event.hlc)});
}

Output WriteOutput(const std::string& id_key, const std::string& id, const EventRef& event,
                   std::string_view request_id, const std::string& view_key, Json view,
                   KeyValues values) {
  // A record named by its own event (a pulse check) shows its id once.
  if (id_key == "event_id") {
    values.insert(values.begin(), {"event_id", event.event_id});
  } else {
    values.insert(values.begin(), {{id_key, id}, {"event_id", event.event_id}});
  }
  return Output::Object(JsonObject({{id_key, id},
                                    {"event_id", event.event_id},
                                    {"request_id", std::string(request_id)},
                                    {"event", ToJson(event)},
                                    {view_key, std::move(view)}}),
                        std::move(values));
}

}  // namespace constellation::cli
