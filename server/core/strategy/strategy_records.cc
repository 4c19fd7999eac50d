// server/core/strategy/strategy_records.cc
//
// Stateless validation of the shared strategy records (docs/PROTOCOL.md §5.15):
// StrategyLedger::Validate, which the fold registry (server/core/fold/registry.cc) routes this
// domain's bodies to. Every error is kInvalidArgument naming the field path and what to fix. Pure;
// thread-safe.
#include <set>
#include <string>
#include <string_view>

#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/core/records.h"
#include "server/core/strategy/strategy_ledger.h"

namespace constellation::core {
namespace {

absl::Status ValidateIndicator(const v1::Indicator& i, std::string_view field) {
  CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(i.key(), limits::kNameSizeBytesMax,
                                                  FieldPath(field, "key"), "kNameSizeBytesMax"));
  CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(i.name(), limits::kNameSizeBytesMax,
                                                  FieldPath(field, "name"), "kNameSizeBytesMax"));
  CONSTELLATION_RETURN_IF_ERROR(CheckText(i.definition(), limits::kShortTextSizeBytesMax,
                                          FieldPath(field, "definition"), "kShortTextSizeBytesMax",
                                          TextKind::kMultiline));
  CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(i.unit(), limits::kNameSizeBytesMax,
                                                  FieldPath(field, "unit"), "kNameSizeBytesMax"));
  if (i.level() == v1::INDICATOR_LEVEL_UNSPECIFIED || !v1::IndicatorLevel_IsValid(i.level())) {
    return InvalidField(FieldPath(field, "level"), "must be early, intermediate or long-term");
  }
  for (const auto& [value, name] :
       {std::pair{i.baseline(), "baseline"}, std::pair{i.target(), "target"}}) {
    if (value < -limits::kMoneyAmountMinorMax || value > limits::kMoneyAmountMinorMax) {
      return InvalidField(
          FieldPath(field, name),
          absl::StrFormat("is %d; it must be within ±%d", value, limits::kMoneyAmountMinorMax));
    }
  }
  if (i.frequency() == v1::REPORTING_FREQUENCY_UNSPECIFIED ||
      !v1::ReportingFrequency_IsValid(i.frequency())) {
    return InvalidField(FieldPath(field, "frequency"),
                        "must be monthly, quarterly, semiannual or annual");
  }
  return CheckId(i.owner(), FieldPath(field, "owner"), false);
}

absl::Status ValidateStrategyVersion(const v1::StrategyVersion& v) {
  if (v.document() == v1::STRATEGY_DOCUMENT_UNSPECIFIED ||
      !v1::StrategyDocument_IsValid(v.document())) {
    return InvalidField(
        "strategy_version.document",
        "must be common agenda, guiding principles, terms of reference or strategic "
        "plan");
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(v.title(), limits::kNameSizeBytesMax,
                                                  "strategy_version.title", "kNameSizeBytesMax"));
  CONSTELLATION_RETURN_IF_ERROR(CheckText(v.content(), limits::kStrategyContentSizeBytesMax,
                                          "strategy_version.content",
                                          "kStrategyContentSizeBytesMax", TextKind::kMultiline));
  CONSTELLATION_RETURN_IF_ERROR(
      CheckId(v.parent_version_id(), "strategy_version.parent_version_id", false));
  CONSTELLATION_RETURN_IF_ERROR(CheckKeys(v.indicators_size(), "strategy_version.indicators"));
  std::set<std::string> indicators;
  for (int n = 0; n < v.indicators_size(); ++n) {
    const std::string field = absl::StrFormat("strategy_version.indicators[%d]", n);
    CONSTELLATION_RETURN_IF_ERROR(ValidateIndicator(v.indicators(n), field));
    if (!indicators.insert(v.indicators(n).key()).second) {
      return InvalidField(
          FieldPath(field, "key"),
          absl::StrFormat("'%s' is the key of an earlier indicator; keys are unique",
                          v.indicators(n).key()));
    }
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckKeys(v.goals_size(), "strategy_version.goals"));
  std::set<std::string> goals;
  for (int n = 0; n < v.goals_size(); ++n) {
    const v1::StrategyGoal& g = v.goals(n);
    const std::string field = absl::StrFormat("strategy_version.goals[%d]", n);
    CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(g.key(), limits::kNameSizeBytesMax,
                                                    FieldPath(field, "key"), "kNameSizeBytesMax"));
    if (!goals.insert(g.key()).second) {
      return InvalidField(
          FieldPath(field, "key"),
          absl::StrFormat("'%s' is the key of an earlier goal; keys are unique", g.key()));
    }
    CONSTELLATION_RETURN_IF_ERROR(
        CheckRequiredText(g.text(), limits::kShortTextSizeBytesMax, FieldPath(field, "text"),
                          "kShortTextSizeBytesMax", TextKind::kMultiline));
    CONSTELLATION_RETURN_IF_ERROR(
        CheckKeys(g.indicator_keys_size(), FieldPath(field, "indicator_keys")));
    std::set<std::string> linked;
    for (const std::string& key : g.indicator_keys()) {
      if (!indicators.contains(key)) {
        return InvalidField(
            FieldPath(field, "indicator_keys"),
            absl::StrFormat("'%s' is not the key of an indicator of this version", key));
      }
      if (!linked.insert(key).second) {
        return InvalidField(FieldPath(field, "indicator_keys"),
                            absl::StrFormat("names indicator '%s' twice", key));
      }
    }
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status StrategyLedger::Validate(const v1::Event& e) {
  switch (e.body_case()) {
    case v1::Event::kStrategyVersion:
      return ValidateStrategyVersion(e.strategy_version());
    default:
      CONSTELLATION_CHECK(false);  // the registry routes only this domain's records here
      return absl::OkStatus();
  }
}

}  // namespace constellation::core
