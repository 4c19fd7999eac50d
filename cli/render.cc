// cli/render.cc
#include "cli/render.h"

#include <absl/strings/str_format.h>
#include <constellation/money.h>

#include "cli/values.h"

namespace constellation::cli {
namespace {

constexpr size_t kShortIdSize = 12;

}  // namespace

std::string ShortId(const std::string& hex) { return hex.substr(0, kShortIdSize); }

std::string MoneyText(int64_t minor, const std::string& currency) {
  return absl::StrFormat("%s %s", FormatAmount(minor, currency), currency);
}

std::string Count(uint64_t n) { return absl::StrFormat("%d", n); }

std::string YesNo(bool value) { return value ? "yes" : "no"; }

void AddAmount(Json* json, const std::string& name, int64_t minor, const std::string& currency) {
  (*json)[name + "_minor"] = minor;
  (*json)[name] = FormatAmount(minor, currency);
}

void AddTime(Json* json, const std::string& name, uint64_t ms) {
  (*json)[name + "_ms"] = ms;
  (*json)[name] = ms == 0 ? Json(nullptr) : Json(FormatTimeMs(ms));
}

void AddHlc(Json* json, const std::string& name, const Hlc& hlc) {
  (*json)[name + "_hlc"] = Json{{"wall_ms", hlc.wall_ms}, {"logical", hlc.logical}};
  (*json)[name] = hlc.wall_ms == 0 ? Json(nullptr) : Json(FormatTimeMs(hlc.wall_ms));
}

Json ToJson(const Money& money) {
  Json json = {{"currency", money.currency}};
  AddAmount(&json, "amount", money.amount_minor, money.currency);
  return json;
}

Json ToJson(const EventRef& event) {
  Json json = {{"event_id", event.event_id},
               {"group_id", event.group_id},
               {"author", event.author},
               {"seq", event.seq}};
  AddHlc(&json, "time", event.hlc);
  return json;
}

Json WriteJson(const std::string& id_key, const std::string& id, const EventRef& event,
               std::string_view request_id, const std::string& view_key, Json view) {
  return Json{{id_key, id},
              {"event_id", event.event_id},
              {"request_id", std::string(request_id)},
              {"event", ToJson(event)},
              {view_key, std::move(view)}};
}

}  // namespace constellation::cli
