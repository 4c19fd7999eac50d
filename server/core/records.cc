#include "server/core/records.h"

#include <algorithm>
#include <optional>
#include <set>
#include <string>
#include <vector>

#include <absl/strings/str_format.h>

#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/core/governance/decisions.h"
#include "server/core/measurement/periods.h"

namespace constellation::core {
namespace {

struct CurrencyInfo {
  std::string_view code;
  int exponent;
};

constexpr CurrencyInfo kKnownCurrencies[] = {
#define CONSTELLATION_CURRENCY(code, exponent) {code, exponent},
#include "proto/constellation/v1/currencies.inc"
#undef CONSTELLATION_CURRENCY
};

const CurrencyInfo* FindCurrency(std::string_view code) {
  for (const CurrencyInfo& c : kKnownCurrencies) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

absl::Status Invalid(std::string_view field, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrFormat("%s: %s", std::string(field), what));
}

std::string Join(std::string_view a, std::string_view b) {
  return absl::StrFormat("%s.%s", std::string(a), std::string(b));
}

// One line (names, titles, codes, references) or free text that may hold line breaks and tabs.
enum class TextKind { kLine, kMultiline };

// The first control character of UTF-8 `s` (docs/PROTOCOL.md §5.1 "Times and text"): a code
// point below U+0020 (but line feed, carriage return and tab in free text), U+007F or
// U+0080–U+009F, which UTF-8 writes as 0xC2 0x80–0x9F. Returns its code point, or -1.
int FirstControlCharacter(std::string_view s, TextKind kind) {
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const bool line_break = c == '\n' || c == '\r' || c == '\t';
    if ((c < 0x20 && !(kind == TextKind::kMultiline && line_break)) || c == 0x7F) return c;
    if (c == 0xC2 && i + 1 < s.size()) {
      const auto next = static_cast<unsigned char>(s[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return next;
    }
  }
  return -1;
}

absl::Status CheckText(const std::string& s, size_t max, std::string_view field,
                       std::string_view limit_name, TextKind kind = TextKind::kLine) {
  if (s.size() > max) {
    return Invalid(field, absl::StrFormat("is %d bytes; the limit %s is %d", s.size(),
                                          std::string(limit_name), max));
  }
  if (int c = FirstControlCharacter(s, kind); c >= 0) {
    return Invalid(field, absl::StrFormat("holds the control character U+%04X; %s", c,
                                          kind == TextKind::kLine
                                              ? "text of one line may hold none"
                                              : "free text may hold line breaks and tabs only"));
  }
  return absl::OkStatus();
}

absl::Status CheckName(const std::string& s, std::string_view field) {
  return CheckText(s, limits::kNameSizeBytesMax, field, "kNameSizeBytesMax");
}
absl::Status CheckShort(const std::string& s, std::string_view field) {
  return CheckText(s, limits::kShortTextSizeBytesMax, field, "kShortTextSizeBytesMax");
}
absl::Status CheckLong(const std::string& s, std::string_view field) {
  return CheckText(s, limits::kTextSizeBytesMax, field, "kTextSizeBytesMax", TextKind::kMultiline);
}

// Every time in a record is at most kHlcWallMsMax (the year 9999).
absl::Status CheckTime(uint64_t ms, std::string_view field) {
  if (ms <= limits::kHlcWallMsMax) return absl::OkStatus();
  return Invalid(field, absl::StrFormat("is %d, after 9999-12-31T23:59:59.999Z (the limit "
                                        "kHlcWallMsMax is %d ms)",
                                        ms, limits::kHlcWallMsMax));
}

absl::Status CheckId(const std::string& id, std::string_view field, bool required) {
  if (id.empty() && !required) return absl::OkStatus();
  if (id.size() != 32) {
    return Invalid(field, absl::StrFormat("must be a 32-byte id, got %d bytes", id.size()));
  }
  return absl::OkStatus();
}

absl::Status CheckCurrency(const std::string& code, std::string_view field) {
  if (!IsKnownCurrency(code)) {
    return Invalid(
        field,
        absl::StrFormat("'%s' is not an ISO-4217 currency code (use e.g. EUR, USD, JPY)", code));
  }
  return absl::OkStatus();
}

absl::Status CheckRestriction(const v1::Restriction& r, std::string_view field) {
  if (!v1::RestrictionKind_IsValid(r.kind())) return Invalid(field, "unknown restriction kind");
  CONSTELLATION_RETURN_IF_ERROR(CheckShort(r.text(), Join(field, "text")));
  if (r.kind() != v1::RESTRICTION_KIND_UNSPECIFIED && r.text().empty() &&
      r.kind() != v1::RESTRICTION_KIND_TIME) {
    return Invalid(field, "a purpose or perpetual restriction needs a text saying what it is");
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckTime(r.until_ms(), Join(field, "until_ms")));
  if (r.kind() == v1::RESTRICTION_KIND_TIME && r.until_ms() == 0) {
    return Invalid(field, "a time restriction needs until_ms");
  }
  return absl::OkStatus();
}

absl::Status CheckWeight(uint32_t weight, std::string_view field) {
  if (weight > limits::kVotingWeightMax) {
    return Invalid(field, absl::StrFormat("is %d; the limit kVotingWeightMax is %d", weight,
                                          limits::kVotingWeightMax));
  }
  return absl::OkStatus();
}

absl::Status CheckEndpoints(const google::protobuf::RepeatedPtrField<std::string>& endpoints,
                            std::string_view field) {
  if (static_cast<size_t>(endpoints.size()) > limits::kEndpointCountMax) {
    return Invalid(field, absl::StrFormat("has %d entries; the limit kEndpointCountMax is %d",
                                          endpoints.size(), limits::kEndpointCountMax));
  }
  for (const std::string& e : endpoints) CONSTELLATION_RETURN_IF_ERROR(CheckName(e, field));
  return absl::OkStatus();
}

absl::Status CheckProfile(const v1::MemberProfile& p, std::string_view field) {
  CONSTELLATION_RETURN_IF_ERROR(CheckName(p.name(), Join(field, "name")));
  if (!v1::Role_IsValid(p.role())) return Invalid(Join(field, "role"), "unknown role");
  if (!v1::Segment_IsValid(p.segment())) return Invalid(Join(field, "segment"), "unknown segment");
  CONSTELLATION_RETURN_IF_ERROR(CheckWeight(p.voting_weight(), Join(field, "voting_weight")));
  return CheckEndpoints(p.endpoints(), Join(field, "endpoints"));
}

absl::Status CheckRequiredText(const std::string& s, size_t max, std::string_view field,
                               std::string_view limit_name, TextKind kind = TextKind::kLine) {
  if (s.empty()) return Invalid(field, "is required");
  return CheckText(s, max, field, limit_name, kind);
}

absl::Status ValidateAdmit(const v1::AdmitPayload& a, std::string_view field) {
  CONSTELLATION_RETURN_IF_ERROR(CheckId(a.card().key(), Join(field, "card.key"), true));
  CONSTELLATION_RETURN_IF_ERROR(CheckName(a.card().name(), Join(field, "card.name")));
  CONSTELLATION_RETURN_IF_ERROR(
      CheckEndpoints(a.card().endpoints(), Join(field, "card.endpoints")));
  if (!v1::Role_IsValid(a.role())) return Invalid(Join(field, "role"), "unknown role");
  if (!v1::Segment_IsValid(a.segment())) return Invalid(Join(field, "segment"), "unknown segment");
  return CheckWeight(a.voting_weight(), Join(field, "voting_weight"));
}

// The payload a proposal of each decision type carries.
v1::Proposal::PayloadCase PayloadOf(v1::DecisionType type) {
  static constexpr std::pair<v1::DecisionType, v1::Proposal::PayloadCase> kPayloads[] = {
      {v1::DECISION_TYPE_ADMIT, v1::Proposal::kAdmit},
      {v1::DECISION_TYPE_EXPEL, v1::Proposal::kExpel},
      {v1::DECISION_TYPE_ADOPT_STRATEGY, v1::Proposal::kStrategyVersionId},
      {v1::DECISION_TYPE_ALLOCATE_FUNDS, v1::Proposal::kAllocate},
      {v1::DECISION_TYPE_OPEN_CAMPAIGN, v1::Proposal::kCampaign},
      {v1::DECISION_TYPE_AMEND_CHARTER, v1::Proposal::kCharter},
      {v1::DECISION_TYPE_WRITE_OFF, v1::Proposal::kWriteOff},
      {v1::DECISION_TYPE_DISSOLVE, v1::Proposal::kDissolutionPlan},
      {v1::DECISION_TYPE_CREATE_FUND, v1::Proposal::kFund},
  };
  for (const auto& [decision, payload] : kPayloads) {
    if (decision == type) return payload;
  }
  return v1::Proposal::PAYLOAD_NOT_SET;
}

absl::Status ValidateStanceBody(const v1::Stance& s) {
  CONSTELLATION_RETURN_IF_ERROR(CheckId(s.proposal_id(), "stance.proposal_id", true));
  if (!v1::StanceChoice_IsValid(s.choice()) || s.choice() == v1::STANCE_CHOICE_UNSPECIFIED) {
    return Invalid("stance.choice", "must be agree, abstain, disagree or block");
  }
  if ((s.choice() == v1::STANCE_CHOICE_DISAGREE || s.choice() == v1::STANCE_CHOICE_BLOCK) &&
      s.reason().empty()) {
    return Invalid("stance.reason",
                   "is required to disagree or block: say what the objection is (DOMAIN.md "
                   "rule 11)");
  }
  return CheckText(s.reason(), limits::kStanceReasonSizeBytesMax, "stance.reason",
                   "kStanceReasonSizeBytesMax", TextKind::kMultiline);
}

// The charter's standard rates (docs/PROTOCOL.md §5.10): a known kind, a unit, a positive rate,
// at most one per (kind, unit); and a known benefit share basis.
absl::Status ValidateStandardRates(const v1::Charter& c, std::string_view field) {
  if (!v1::BenefitShareBasis_IsValid(c.benefit_share_basis())) {
    return Invalid(Join(field, "benefit_share_basis"), "unknown basis");
  }
  const std::string f = Join(field, "standard_rates");
  if (static_cast<size_t>(c.standard_rates_size()) > limits::kListFieldCountMax) {
    return Invalid(f, absl::StrFormat("has %d entries; the limit kListFieldCountMax is %d",
                                      c.standard_rates_size(), limits::kListFieldCountMax));
  }
  for (int i = 0; i < c.standard_rates_size(); ++i) {
    const v1::StandardRate& r = c.standard_rates(i);
    if (!v1::ContributionKind_IsValid(r.kind()) || r.kind() == v1::CONTRIBUTION_KIND_UNSPECIFIED) {
      return Invalid(f, "kind is required");
    }
    CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(r.unit(), limits::kNameSizeBytesMax,
                                                    Join(f, "unit"), "kNameSizeBytesMax"));
    CONSTELLATION_RETURN_IF_ERROR(ValidatePositiveMoney(r.rate(), Join(f, "rate")));
    for (int j = 0; j < i; ++j) {
      if (c.standard_rates(j).kind() == r.kind() && c.standard_rates(j).unit() == r.unit()) {
        return Invalid(
            f, absl::StrFormat("has two rates for one kind and unit '%s'; keep one", r.unit()));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateAcknowledgement(const v1::Acknowledgement& a) {
  const std::string field = "acknowledgement.proposal_ids";
  if (a.proposal_ids_size() == 0) return Invalid(field, "needs at least one proposal id");
  if (static_cast<size_t>(a.proposal_ids_size()) > limits::kListFieldCountMax) {
    return Invalid(field, absl::StrFormat("has %d entries; the limit kListFieldCountMax is %d",
                                          a.proposal_ids_size(), limits::kListFieldCountMax));
  }
  std::vector<std::string> ids(a.proposal_ids().begin(), a.proposal_ids().end());
  for (const std::string& id : ids) CONSTELLATION_RETURN_IF_ERROR(CheckId(id, field, true));
  std::sort(ids.begin(), ids.end());
  if (std::adjacent_find(ids.begin(), ids.end()) != ids.end()) {
    return Invalid(field, "names a proposal twice");
  }
  return absl::OkStatus();
}

}  // namespace

bool IsKnownCurrency(std::string_view code) { return FindCurrency(code) != nullptr; }

std::string FormatMoney(int64_t amount_minor, std::string_view currency) {
  const CurrencyInfo* info = FindCurrency(currency);
  const int exponent = info == nullptr ? 0 : info->exponent;
  const bool negative = amount_minor < 0;
  // Work in uint64 so that INT64_MIN has a magnitude.
  uint64_t magnitude =
      negative ? 0 - static_cast<uint64_t>(amount_minor) : static_cast<uint64_t>(amount_minor);
  uint64_t scale = 1;
  for (int i = 0; i < exponent; ++i) scale *= 10;
  std::string out = absl::StrFormat("%s%d", negative ? "-" : "", magnitude / scale);
  if (exponent > 0) out += absl::StrFormat(".%0*d", exponent, magnitude % scale);
  return absl::StrFormat("%s %s", out, std::string(currency));
}

absl::Status ValidatePositiveMoney(const v1::Money& money, std::string_view field) {
  CONSTELLATION_RETURN_IF_ERROR(CheckCurrency(money.currency(), Join(field, "currency")));
  if (money.amount_minor() <= 0) {
    return Invalid(Join(field, "amount_minor"),
                   absl::StrFormat("must be positive, got %d", money.amount_minor()));
  }
  if (money.amount_minor() > limits::kMoneyAmountMinorMax) {
    return Invalid(Join(field, "amount_minor"),
                   absl::StrFormat("is %d; the limit kMoneyAmountMinorMax is %d",
                                   money.amount_minor(), limits::kMoneyAmountMinorMax));
  }
  return absl::OkStatus();
}

absl::Status ValidateCharter(const v1::Charter& c, std::string_view field) {
  if (c.name().empty()) return Invalid(Join(field, "name"), "is required");
  CONSTELLATION_RETURN_IF_ERROR(CheckName(c.name(), Join(field, "name")));
  CONSTELLATION_RETURN_IF_ERROR(CheckLong(c.common_agenda(), Join(field, "common_agenda")));
  CONSTELLATION_RETURN_IF_ERROR(
      CheckLong(c.discovery_hypothesis(), Join(field, "discovery_hypothesis")));
  CONSTELLATION_RETURN_IF_ERROR(CheckLong(c.dissolution_rule(), Join(field, "dissolution_rule")));
  CONSTELLATION_RETURN_IF_ERROR(
      CheckLong(c.inkind_valuation_rules(), Join(field, "inkind_valuation_rules")));
  CONSTELLATION_RETURN_IF_ERROR(CheckShort(c.fx_rate_source(), Join(field, "fx_rate_source")));
  if (!v1::GroupKind_IsValid(c.kind()) || c.kind() == v1::GROUP_KIND_UNSPECIFIED) {
    return Invalid(Join(field, "kind"), "must be partnership or collaboration");
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckTime(c.term_start_ms(), Join(field, "term_start_ms")));
  CONSTELLATION_RETURN_IF_ERROR(CheckTime(c.term_end_ms(), Join(field, "term_end_ms")));
  CONSTELLATION_RETURN_IF_ERROR(CheckTime(c.review_ms(), Join(field, "review_ms")));
  if (c.term_end_ms() != 0 && c.term_end_ms() < c.term_start_ms()) {
    return Invalid(Join(field, "term_end_ms"), "is before term_start_ms");
  }
  if (c.review_cadence_days() > limits::kReviewCadenceDaysMax) {
    return Invalid(Join(field, "review_cadence_days"),
                   absl::StrFormat("is %d; the limit kReviewCadenceDaysMax is %d",
                                   c.review_cadence_days(), limits::kReviewCadenceDaysMax));
  }
  if (static_cast<size_t>(c.decision_rules_size()) > limits::kDecisionRuleCountMax) {
    return Invalid(Join(field, "decision_rules"),
                   absl::StrFormat("has %d rules; the limit kDecisionRuleCountMax is %d",
                                   c.decision_rules_size(), limits::kDecisionRuleCountMax));
  }
  for (const v1::DecisionRule& r : c.decision_rules()) {
    std::string f = Join(field, "decision_rules");
    if (!v1::DecisionType_IsValid(r.decision_type()) ||
        r.decision_type() == v1::DECISION_TYPE_UNSPECIFIED) {
      return Invalid(f, "decision_type is required");
    }
    if (!v1::DecisionProcess_IsValid(r.process()) ||
        r.process() == v1::DECISION_PROCESS_UNSPECIFIED) {
      return Invalid(f, "process is required");
    }
    if (r.threshold_bps() > 10000 || r.quorum_bps() > 10000) {
      return Invalid(f, "threshold_bps and quorum_bps are basis points in [0, 10000]");
    }
    if (r.voting_window_ms() > limits::kVotingWindowMsMax) {
      return Invalid(f,
                     absl::StrFormat("voting_window_ms is %d; the limit kVotingWindowMsMax is %d",
                                     r.voting_window_ms(), limits::kVotingWindowMsMax));
    }
  }
  for (int i = 0; i < c.decision_rules_size(); ++i) {
    for (int j = 0; j < i; ++j) {
      if (c.decision_rules(i).decision_type() == c.decision_rules(j).decision_type()) {
        return Invalid(
            Join(field, "decision_rules"),
            absl::StrFormat("has two rules for %s; keep one",
                            std::string(DecisionTypeName(c.decision_rules(i).decision_type()))));
      }
    }
  }
  if (!c.base_currency().empty()) {
    CONSTELLATION_RETURN_IF_ERROR(CheckCurrency(c.base_currency(), Join(field, "base_currency")));
  }
  CONSTELLATION_RETURN_IF_ERROR(ValidateStandardRates(c, field));
  if (c.founder().role() == v1::ROLE_OBSERVER) {
    return Invalid(Join(field, "founder.role"),
                   "the founder cannot be an observer: nobody could write to the group");
  }
  return CheckProfile(c.founder(), Join(field, "founder"));
}

absl::Status ValidateCampaign(const v1::Campaign& c, std::string_view field) {
  if (c.name().empty()) return Invalid(Join(field, "name"), "is required");
  CONSTELLATION_RETURN_IF_ERROR(CheckName(c.name(), Join(field, "name")));
  CONSTELLATION_RETURN_IF_ERROR(ValidatePositiveMoney(c.goal(), Join(field, "goal")));
  CONSTELLATION_RETURN_IF_ERROR(CheckTime(c.deadline_ms(), Join(field, "deadline_ms")));
  CONSTELLATION_RETURN_IF_ERROR(
      CheckTime(c.assurance_deadline_ms(), Join(field, "assurance_deadline_ms")));
  CONSTELLATION_RETURN_IF_ERROR(CheckId(c.fiscal_host(), Join(field, "fiscal_host"), false));
  CONSTELLATION_RETURN_IF_ERROR(CheckRestriction(c.restriction(), Join(field, "restriction")));
  CONSTELLATION_RETURN_IF_ERROR(CheckId(c.action_team_id(), Join(field, "action_team_id"), false));
  if (c.has_assurance_threshold()) {
    CONSTELLATION_RETURN_IF_ERROR(
        ValidatePositiveMoney(c.assurance_threshold(), Join(field, "assurance_threshold")));
    if (c.assurance_threshold().currency() != c.goal().currency()) {
      return Invalid(Join(field, "assurance_threshold"), "must be in the goal's currency");
    }
  }
  if ((c.has_assurance_threshold() || c.assurance_member_count() > 0) &&
      c.assurance_deadline_ms() == 0) {
    return Invalid(Join(field, "assurance_deadline_ms"), "is required with an assurance threshold");
  }
  if (static_cast<size_t>(c.accepted_currencies_size()) > limits::kAcceptedCurrencyCountMax) {
    return Invalid(Join(field, "accepted_currencies"),
                   absl::StrFormat("has %d entries; the limit kAcceptedCurrencyCountMax is %d",
                                   c.accepted_currencies_size(),
                                   limits::kAcceptedCurrencyCountMax));
  }
  for (int i = 0; i < c.accepted_currencies_size(); ++i) {
    const std::string& code = c.accepted_currencies(i);
    const std::string f = absl::StrFormat("%s.accepted_currencies[%d]", std::string(field), i);
    CONSTELLATION_RETURN_IF_ERROR(CheckCurrency(code, f));
    if (code == c.goal().currency()) {
      return Invalid(f, "is the goal's currency; list only the other currencies pledges may use");
    }
    for (int j = 0; j < i; ++j) {
      if (c.accepted_currencies(j) == code) return Invalid(f, "is listed twice");
    }
  }
  return CheckId(c.proposal_id(), Join(field, "proposal_id"), false);
}

absl::Status ValidateFund(const v1::Fund& f, std::string_view field) {
  if (f.name().empty()) return Invalid(Join(field, "name"), "is required");
  CONSTELLATION_RETURN_IF_ERROR(CheckName(f.name(), Join(field, "name")));
  CONSTELLATION_RETURN_IF_ERROR(CheckId(f.fiscal_host(), Join(field, "fiscal_host"), true));
  CONSTELLATION_RETURN_IF_ERROR(CheckCurrency(f.currency(), Join(field, "currency")));
  CONSTELLATION_RETURN_IF_ERROR(CheckRestriction(f.restriction(), Join(field, "restriction")));
  CONSTELLATION_RETURN_IF_ERROR(CheckId(f.action_team_id(), Join(field, "action_team_id"), false));
  return CheckId(f.proposal_id(), Join(field, "proposal_id"), false);
}

namespace {

// floor((2n + d) / (2d)): n / d rounded half up, for n >= 0 and d > 0.
std::optional<int64_t> RoundHalfUp(__int128 n, __int128 d) {
  const __int128 q = (2 * n + d) / (2 * d);
  if (q > INT64_MAX) return std::nullopt;
  return static_cast<int64_t>(q);
}

__int128 Pow10(int exponent) {
  __int128 p = 1;
  for (int i = 0; i < exponent; ++i) p *= 10;
  return p;
}

absl::Status CheckFx(const v1::Contribution& c, std::string_view field) {
  const v1::FxRate& fx = c.fx();
  const std::string f = Join(field, "fx");
  CONSTELLATION_RETURN_IF_ERROR(
      ValidatePositiveMoney(c.original_value(), Join(field, "original_value")));
  CONSTELLATION_RETURN_IF_ERROR(CheckCurrency(fx.from_currency(), Join(f, "from_currency")));
  CONSTELLATION_RETURN_IF_ERROR(CheckCurrency(fx.to_currency(), Join(f, "to_currency")));
  if (fx.from_currency() == fx.to_currency()) {
    return Invalid(f, "from_currency and to_currency are the same; leave fx unset");
  }
  if (c.original_value().currency() != fx.from_currency()) {
    return Invalid(Join(field, "original_value.currency"),
                   absl::StrFormat("is %s but fx.from_currency is %s",
                                   c.original_value().currency(), fx.from_currency()));
  }
  if (c.value().currency() != fx.to_currency()) {
    return Invalid(
        Join(field, "value.currency"),
        absl::StrFormat("is %s but fx.to_currency is %s", c.value().currency(), fx.to_currency()));
  }
  if (fx.rate_micros() <= 0 || fx.rate_micros() > limits::kFxRateMicrosMax) {
    return Invalid(Join(f, "rate_micros"),
                   absl::StrFormat("must be in [1, %d] (the limit kFxRateMicrosMax), got %d",
                                   limits::kFxRateMicrosMax, fx.rate_micros()));
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(fx.source(), limits::kNameSizeBytesMax,
                                                  Join(f, "source"), "kNameSizeBytesMax"));
  if (fx.as_of_ms() == 0) return Invalid(Join(f, "as_of_ms"), "is required: the rate's date");
  CONSTELLATION_RETURN_IF_ERROR(CheckTime(fx.as_of_ms(), Join(f, "as_of_ms")));
  std::optional<int64_t> converted = ConvertedMinor(c.original_value().amount_minor(), fx);
  if (!converted.has_value() || *converted != c.value().amount_minor()) {
    return Invalid(
        Join(field, "value"),
        absl::StrFormat("is %s but %s at %d micros converts to %s (round half up)",
                        FormatMoney(c.value().amount_minor(), c.value().currency()),
                        FormatMoney(c.original_value().amount_minor(), fx.from_currency()),
                        fx.rate_micros(),
                        converted.has_value() ? FormatMoney(*converted, fx.to_currency())
                                              : std::string("more than int64")));
  }
  return absl::OkStatus();
}

}  // namespace

std::optional<int64_t> ValuationMinor(int64_t quantity_milli, int64_t rate_minor) {
  return RoundHalfUp(static_cast<__int128>(quantity_milli) * rate_minor, 1000);
}

std::optional<int64_t> ConvertedMinor(int64_t original_minor, const v1::FxRate& fx) {
  const CurrencyInfo* from = FindCurrency(fx.from_currency());
  const CurrencyInfo* to = FindCurrency(fx.to_currency());
  if (from == nullptr || to == nullptr) return std::nullopt;
  return RoundHalfUp(static_cast<__int128>(original_minor) * fx.rate_micros() * Pow10(to->exponent),
                     Pow10(6 + from->exponent));
}

absl::Status ValidateContribution(const v1::Contribution& c, std::string_view field) {
  if (!v1::ContributionKind_IsValid(c.kind()) || c.kind() == v1::CONTRIBUTION_KIND_UNSPECIFIED) {
    return Invalid(Join(field, "kind"),
                   "is required: cash, goods, services, staff_time or facilities");
  }
  if (!v1::ValuationMethod_IsValid(c.valuation_method())) {
    return Invalid(Join(field, "valuation_method"), "unknown valuation method");
  }
  CONSTELLATION_RETURN_IF_ERROR(ValidatePositiveMoney(c.value(), Join(field, "value")));
  if (c.quantity_milli() < 0 || c.quantity_milli() > limits::kQuantityMilliMax) {
    return Invalid(Join(field, "quantity_milli"),
                   absl::StrFormat("must be in [0, %d] (the limit kQuantityMilliMax), got %d",
                                   limits::kQuantityMilliMax, c.quantity_milli()));
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckName(c.unit(), Join(field, "unit")));
  if (c.has_unit_rate()) {
    CONSTELLATION_RETURN_IF_ERROR(ValidatePositiveMoney(c.unit_rate(), Join(field, "unit_rate")));
  }
  for (const auto& [id, name] :
       {std::pair{&c.evidence_sha256(), "evidence_sha256"},
        std::pair{&c.action_team_id(), "action_team_id"}, std::pair{&c.pledge_id(), "pledge_id"},
        std::pair{&c.reverses(), "reverses"}, std::pair{&c.fund_id(), "fund_id"}}) {
    CONSTELLATION_RETURN_IF_ERROR(CheckId(*id, Join(field, name), false));
  }
  const bool cash = c.kind() == v1::CONTRIBUTION_KIND_CASH;
  if (cash && c.valuation_method() != v1::VALUATION_METHOD_UNSPECIFIED) {
    return Invalid(Join(field, "valuation_method"), "is for in-kind contributions; cash has none");
  }
  if (!cash) {
    if (c.quantity_milli() == 0) {
      return Invalid(Join(field, "quantity_milli"),
                     "is required for an in-kind contribution (quantity × 1000)");
    }
    if (c.unit().empty()) {
      return Invalid(Join(field, "unit"), "is required for an in-kind contribution");
    }
    if (c.valuation_method() == v1::VALUATION_METHOD_UNSPECIFIED) {
      return Invalid(Join(field, "valuation_method"),
                     "is required for an in-kind contribution: actual_cost or standard_rate");
    }
    if (!c.fund_id().empty()) {
      return Invalid(Join(field, "fund_id"), "only cash can be paid into a fund");
    }
    if (c.valuation_method() == v1::VALUATION_METHOD_STANDARD_RATE && !c.has_unit_rate()) {
      return Invalid(Join(field, "unit_rate"),
                     "is required with standard_rate: the charter's rate for this kind and unit");
    }
  }
  if (c.has_original_value() && !c.has_fx()) {
    return Invalid(Join(field, "original_value"),
                   "converted without rate and source: set fx (rate, source and date) or leave "
                   "original_value unset");
  }
  if (c.has_fx()) CONSTELLATION_RETURN_IF_ERROR(CheckFx(c, field));
  // The value before conversion, which the valuation formula gives (§5.10).
  const v1::Money& base = c.has_fx() ? c.original_value() : c.value();
  if (!cash && c.has_unit_rate()) {
    if (c.unit_rate().currency() != base.currency()) {
      return Invalid(Join(field, "unit_rate.currency"),
                     absl::StrFormat("is %s but the value before conversion is in %s",
                                     c.unit_rate().currency(), base.currency()));
    }
    std::optional<int64_t> valued =
        ValuationMinor(c.quantity_milli(), c.unit_rate().amount_minor());
    if (!valued.has_value() || *valued != base.amount_minor()) {
      return Invalid(
          Join(field, c.has_fx() ? "original_value" : "value"),
          absl::StrFormat("is %s but %d/1000 %s at %s is %s (round half up)",
                          FormatMoney(base.amount_minor(), base.currency()), c.quantity_milli(),
                          c.unit(),
                          FormatMoney(c.unit_rate().amount_minor(), c.unit_rate().currency()),
                          valued.has_value() ? FormatMoney(*valued, base.currency())
                                             : std::string("more than int64")));
    }
  }
  return absl::OkStatus();
}

absl::Status ValidatePledgeTerms(const v1::PledgeTerms& t, std::string_view field) {
  CONSTELLATION_RETURN_IF_ERROR(ValidatePositiveMoney(t.amount(), Join(field, "amount")));
  if (static_cast<size_t>(t.installments_size()) > limits::kInstallmentCountMax) {
    return Invalid(Join(field, "installments"),
                   absl::StrFormat("has %d entries; the limit kInstallmentCountMax is %d",
                                   t.installments_size(), limits::kInstallmentCountMax));
  }
  int64_t sum = 0;  // cannot overflow: count and each amount are bounded (limits.h)
  uint64_t previous_due_ms = 0;
  for (int i = 0; i < t.installments_size(); ++i) {
    const v1::Installment& in = t.installments(i);
    std::string f = absl::StrFormat("%s.installments[%d]", std::string(field), i);
    if (in.amount_minor() <= 0 || in.amount_minor() > limits::kMoneyAmountMinorMax) {
      return Invalid(f, absl::StrFormat("amount_minor must be in [1, %d], got %d",
                                        limits::kMoneyAmountMinorMax, in.amount_minor()));
    }
    if (in.due_ms() == 0) return Invalid(f, "due_ms is required");
    CONSTELLATION_RETURN_IF_ERROR(CheckTime(in.due_ms(), Join(f, "due_ms")));
    if (in.due_ms() < previous_due_ms) return Invalid(f, "installments must be in due-date order");
    previous_due_ms = in.due_ms();
    sum += in.amount_minor();
  }
  if (t.installments_size() > 0 && sum != t.amount().amount_minor()) {
    return Invalid(Join(field, "installments"),
                   absl::StrFormat("sum to %d but the amount is %d; they must be equal", sum,
                                   t.amount().amount_minor()));
  }
  if (t.has_condition() &&
      (t.condition().barrier().empty() || t.condition().right_of_release().empty())) {
    return Invalid(Join(field, "condition"),
                   "a conditional pledge needs both a barrier and a right of release");
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckShort(t.condition().barrier(), Join(field, "condition")));
  CONSTELLATION_RETURN_IF_ERROR(
      CheckShort(t.condition().right_of_release(), Join(field, "condition")));
  CONSTELLATION_RETURN_IF_ERROR(CheckRestriction(t.restriction(), Join(field, "restriction")));
  CONSTELLATION_RETURN_IF_ERROR(
      CheckId(t.evidence_sha256(), Join(field, "evidence_sha256"), false));
  CONSTELLATION_RETURN_IF_ERROR(CheckLong(t.note(), Join(field, "note")));
  return CheckName(t.donor_name(), Join(field, "donor_name"));
}

absl::Status ValidateProposal(const v1::Proposal& p, std::string_view field) {
  if (!v1::DecisionType_IsValid(p.decision_type()) ||
      p.decision_type() == v1::DECISION_TYPE_UNSPECIFIED) {
    return Invalid(Join(field, "decision_type"), "is required");
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(p.title(), limits::kProposalTitleSizeBytesMax,
                                                  Join(field, "title"),
                                                  "kProposalTitleSizeBytesMax"));
  CONSTELLATION_RETURN_IF_ERROR(CheckLong(p.text(), Join(field, "text")));
  CONSTELLATION_RETURN_IF_ERROR(CheckTime(p.deadline_ms(), Join(field, "deadline_ms")));
  if (p.payload_case() != PayloadOf(p.decision_type())) {
    return Invalid(field,
                   absl::StrFormat("a proposal of type %s needs its payload (field number %d)",
                                   std::string(DecisionTypeName(p.decision_type())),
                                   static_cast<int>(PayloadOf(p.decision_type()))));
  }
  switch (p.payload_case()) {
    case v1::Proposal::kAdmit:
      return ValidateAdmit(p.admit(), Join(field, "admit"));
    case v1::Proposal::kExpel:
      CONSTELLATION_RETURN_IF_ERROR(CheckId(p.expel().member(), Join(field, "expel.member"), true));
      return CheckRequiredText(p.expel().reason(), limits::kShortTextSizeBytesMax,
                               Join(field, "expel.reason"), "kShortTextSizeBytesMax");
    case v1::Proposal::kStrategyVersionId:
      return CheckId(p.strategy_version_id(), Join(field, "strategy_version_id"), true);
    case v1::Proposal::kAllocate: {
      const v1::AllocatePayload& a = p.allocate();
      CONSTELLATION_RETURN_IF_ERROR(CheckId(a.fund_id(), Join(field, "allocate.fund_id"), true));
      CONSTELLATION_RETURN_IF_ERROR(
          ValidatePositiveMoney(a.amount(), Join(field, "allocate.amount")));
      CONSTELLATION_RETURN_IF_ERROR(
          CheckId(a.recipient(), Join(field, "allocate.recipient"), true));
      CONSTELLATION_RETURN_IF_ERROR(CheckShort(a.purpose(), Join(field, "allocate.purpose")));
      CONSTELLATION_RETURN_IF_ERROR(
          CheckName(a.budget_line(), Join(field, "allocate.budget_line")));
      return CheckId(a.drawdown_id(), Join(field, "allocate.drawdown_id"), false);
    }
    case v1::Proposal::kCampaign:
      if (!p.campaign().proposal_id().empty()) {
        return Invalid(Join(field, "campaign.proposal_id"),
                       "must be empty in a proposal: the campaign names its proposal when opened");
      }
      return ValidateCampaign(p.campaign(), Join(field, "campaign"));
    case v1::Proposal::kCharter:
      return ValidateCharter(p.charter(), Join(field, "charter"));
    case v1::Proposal::kWriteOff: {
      const v1::WriteOffPayload& w = p.write_off();
      CONSTELLATION_RETURN_IF_ERROR(
          CheckId(w.pledge_id(), Join(field, "write_off.pledge_id"), true));
      CONSTELLATION_RETURN_IF_ERROR(
          ValidatePositiveMoney(w.amount(), Join(field, "write_off.amount")));
      return CheckRequiredText(w.reason_code(), limits::kNameSizeBytesMax,
                               Join(field, "write_off.reason_code"), "kNameSizeBytesMax");
    }
    case v1::Proposal::kDissolutionPlan:
      return CheckRequiredText(p.dissolution_plan(), limits::kTextSizeBytesMax,
                               Join(field, "dissolution_plan"), "kTextSizeBytesMax",
                               TextKind::kMultiline);
    case v1::Proposal::kFund:
      if (!p.fund().proposal_id().empty()) {
        return Invalid(Join(field, "fund.proposal_id"),
                       "must be empty in a proposal: the fund names its proposal when created");
      }
      return ValidateFund(p.fund(), Join(field, "fund"));
    case v1::Proposal::PAYLOAD_NOT_SET:
      break;
  }
  return Invalid(field, "has no payload");
}

namespace {

// Convenings (docs/PROTOCOL.md §5.13).
absl::Status CheckIdList(const google::protobuf::RepeatedPtrField<std::string>& ids,
                         std::string_view field) {
  if (static_cast<size_t>(ids.size()) > limits::kListFieldCountMax) {
    return Invalid(field, absl::StrFormat("has %d entries; the limit kListFieldCountMax is %d",
                                          ids.size(), limits::kListFieldCountMax));
  }
  std::set<std::string> seen;
  for (const std::string& id : ids) {
    CONSTELLATION_RETURN_IF_ERROR(CheckId(id, field, true));
    if (!seen.insert(id).second) return Invalid(field, "names the same id twice");
  }
  return absl::OkStatus();
}

absl::Status ValidateConvening(const v1::Convening& c) {
  CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(c.title(), limits::kNameSizeBytesMax,
                                                  "convening.title", "kNameSizeBytesMax"));
  if (c.scheduled_ms() == 0) return Invalid("convening.scheduled_ms", "is required");
  CONSTELLATION_RETURN_IF_ERROR(CheckTime(c.scheduled_ms(), "convening.scheduled_ms"));
  CONSTELLATION_RETURN_IF_ERROR(
      CheckIdList(c.agenda_proposal_ids(), "convening.agenda_proposal_ids"));
  CONSTELLATION_RETURN_IF_ERROR(CheckIdList(c.invitees(), "convening.invitees"));
  if (static_cast<size_t>(c.agenda_items_size()) > limits::kListFieldCountMax) {
    return Invalid("convening.agenda_items",
                   absl::StrFormat("has %d entries; the limit kListFieldCountMax is %d",
                                   c.agenda_items_size(), limits::kListFieldCountMax));
  }
  for (const std::string& item : c.agenda_items()) {
    CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(
        item, limits::kShortTextSizeBytesMax, "convening.agenda_items", "kShortTextSizeBytesMax"));
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckName(c.location(), "convening.location"));
  if (c.attendees_size() > 0 || !c.minutes().empty() || c.action_items_size() > 0 ||
      !c.supersedes().empty()) {
    return Invalid("convening",
                   "attendees, minutes, action_items and supersedes must be empty: record "
                   "attendance, minutes and action items as their own records");
  }
  return absl::OkStatus();
}

absl::Status ValidateActionItem(const v1::ActionItem& item, std::string_view field) {
  CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(item.text(), limits::kShortTextSizeBytesMax,
                                                  Join(field, "text"), "kShortTextSizeBytesMax"));
  CONSTELLATION_RETURN_IF_ERROR(CheckId(item.owner(), Join(field, "owner"), true));
  if (item.due_ms() == 0) return Invalid(Join(field, "due_ms"), "is required");
  return CheckTime(item.due_ms(), Join(field, "due_ms"));
}

// Shared strategy (docs/PROTOCOL.md §5.15).
absl::Status CheckKeys(int count, std::string_view field) {
  if (static_cast<size_t>(count) > limits::kListFieldCountMax) {
    return Invalid(field, absl::StrFormat("has %d entries; the limit kListFieldCountMax is %d",
                                          count, limits::kListFieldCountMax));
  }
  return absl::OkStatus();
}

absl::Status ValidateIndicator(const v1::Indicator& i, std::string_view field) {
  CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(i.key(), limits::kNameSizeBytesMax,
                                                  Join(field, "key"), "kNameSizeBytesMax"));
  CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(i.name(), limits::kNameSizeBytesMax,
                                                  Join(field, "name"), "kNameSizeBytesMax"));
  CONSTELLATION_RETURN_IF_ERROR(CheckText(i.definition(), limits::kShortTextSizeBytesMax,
                                          Join(field, "definition"), "kShortTextSizeBytesMax",
                                          TextKind::kMultiline));
  CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(i.unit(), limits::kNameSizeBytesMax,
                                                  Join(field, "unit"), "kNameSizeBytesMax"));
  if (i.level() == v1::INDICATOR_LEVEL_UNSPECIFIED || !v1::IndicatorLevel_IsValid(i.level())) {
    return Invalid(Join(field, "level"), "must be early, intermediate or long-term");
  }
  for (const auto& [value, name] :
       {std::pair{i.baseline(), "baseline"}, std::pair{i.target(), "target"}}) {
    if (value < -limits::kMoneyAmountMinorMax || value > limits::kMoneyAmountMinorMax) {
      return Invalid(Join(field, name), absl::StrFormat("is %d; it must be within ±%d", value,
                                                        limits::kMoneyAmountMinorMax));
    }
  }
  if (i.frequency() == v1::REPORTING_FREQUENCY_UNSPECIFIED ||
      !v1::ReportingFrequency_IsValid(i.frequency())) {
    return Invalid(Join(field, "frequency"), "must be monthly, quarterly, semiannual or annual");
  }
  return CheckId(i.owner(), Join(field, "owner"), false);
}

absl::Status ValidateStrategyVersion(const v1::StrategyVersion& v) {
  if (v.document() == v1::STRATEGY_DOCUMENT_UNSPECIFIED ||
      !v1::StrategyDocument_IsValid(v.document())) {
    return Invalid("strategy_version.document",
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
      return Invalid(Join(field, "key"),
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
                                                    Join(field, "key"), "kNameSizeBytesMax"));
    if (!goals.insert(g.key()).second) {
      return Invalid(
          Join(field, "key"),
          absl::StrFormat("'%s' is the key of an earlier goal; keys are unique", g.key()));
    }
    CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(g.text(), limits::kShortTextSizeBytesMax,
                                                    Join(field, "text"), "kShortTextSizeBytesMax",
                                                    TextKind::kMultiline));
    CONSTELLATION_RETURN_IF_ERROR(
        CheckKeys(g.indicator_keys_size(), Join(field, "indicator_keys")));
    std::set<std::string> linked;
    for (const std::string& key : g.indicator_keys()) {
      if (!indicators.contains(key)) {
        return Invalid(Join(field, "indicator_keys"),
                       absl::StrFormat("'%s' is not the key of an indicator of this version", key));
      }
      if (!linked.insert(key).second) {
        return Invalid(Join(field, "indicator_keys"),
                       absl::StrFormat("names indicator '%s' twice", key));
      }
    }
  }
  return absl::OkStatus();
}
// Action teams (docs/PROTOCOL.md §5.17).
absl::Status ValidateActionTeam(const v1::ActionTeam& t) {
  CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(t.name(), limits::kNameSizeBytesMax,
                                                  "action_team.name", "kNameSizeBytesMax"));
  CONSTELLATION_RETURN_IF_ERROR(CheckShort(t.opportunity(), "action_team.opportunity"));
  if (t.leads().empty()) {
    return Invalid("action_team.leads", "is required: name at least one lead organisation");
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckIdList(t.leads(), "action_team.leads"));
  CONSTELLATION_RETURN_IF_ERROR(CheckIdList(t.participants(), "action_team.participants"));
  for (const std::string& p : t.participants()) {
    if (std::find(t.leads().begin(), t.leads().end(), p) != t.leads().end()) {
      return Invalid("action_team.participants",
                     "names a lead; list each org once (leads are members of their team)");
    }
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckId(t.fiscal_host(), "action_team.fiscal_host", false));
  CONSTELLATION_RETURN_IF_ERROR(CheckTime(t.review_ms(), "action_team.review_ms"));
  CONSTELLATION_RETURN_IF_ERROR(CheckId(t.supersedes(), "action_team.supersedes", false));
  if (t.dormant()) {
    return Invalid("action_team.dormant",
                   "must be false; say dormant with status TEAM_STATUS_DORMANT");
  }
  if (t.status() == v1::TEAM_STATUS_UNSPECIFIED || !v1::TeamStatus_IsValid(t.status())) {
    return Invalid("action_team.status", "must be proposed, active, dormant or closed");
  }
  if (t.supersedes().empty() && t.status() != v1::TEAM_STATUS_PROPOSED &&
      t.status() != v1::TEAM_STATUS_ACTIVE) {
    return Invalid("action_team.status",
                   "must be proposed or active for a new team (supersedes empty)");
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckKeys(t.goal_keys_size(), "action_team.goal_keys"));
  std::set<std::string_view> keys;
  for (const std::string& key : t.goal_keys()) {
    CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(key, limits::kNameSizeBytesMax,
                                                    "action_team.goal_keys", "kNameSizeBytesMax"));
    if (!keys.insert(key).second) {
      return Invalid("action_team.goal_keys", absl::StrFormat("names goal '%s' twice", key));
    }
  }
  return CheckLong(t.workplan(), "action_team.workplan");
}

// Shared measurement (docs/PROTOCOL.md §5.16).
absl::Status ValidateIndicatorReport(const v1::IndicatorReport& r) {
  CONSTELLATION_RETURN_IF_ERROR(
      CheckId(r.strategy_version_id(), "indicator_report.strategy_version_id", true));
  CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(r.indicator_key(), limits::kNameSizeBytesMax,
                                                  "indicator_report.indicator_key",
                                                  "kNameSizeBytesMax"));
  if (!ParsePeriod(r.period()).has_value()) {
    return Invalid("indicator_report.period",
                   absl::StrFormat("'%s' is not a period: give 2026-07 (a month), 2026-Q3 (a "
                                   "quarter), 2026-H2 (a half year) or 2026 (a year)",
                                   r.period()));
  }
  if (r.value() < -limits::kMoneyAmountMinorMax || r.value() > limits::kMoneyAmountMinorMax) {
    return Invalid(
        "indicator_report.value",
        absl::StrFormat("is %d; it must be within ±%d", r.value(), limits::kMoneyAmountMinorMax));
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckLong(r.note(), "indicator_report.note"));
  return CheckId(r.revises(), "indicator_report.revises", false);
}

}  // namespace

absl::Status ValidateBody(const v1::Event& e) {
  switch (e.body_case()) {
    case v1::Event::kCharter:
      return ValidateCharter(e.charter(), "charter");
    case v1::Event::kCampaign:
      return ValidateCampaign(e.campaign(), "campaign");
    case v1::Event::kPledge:
      CONSTELLATION_RETURN_IF_ERROR(CheckId(e.pledge().campaign_id(), "pledge.campaign_id", true));
      return ValidatePledgeTerms(e.pledge().terms(), "pledge.terms");
    case v1::Event::kPledgeAmendment:
      CONSTELLATION_RETURN_IF_ERROR(
          CheckId(e.pledge_amendment().pledge_id(), "pledge_amendment.pledge_id", true));
      CONSTELLATION_RETURN_IF_ERROR(
          CheckShort(e.pledge_amendment().reason(), "pledge_amendment.reason"));
      return ValidatePledgeTerms(e.pledge_amendment().terms(), "pledge_amendment.terms");
    case v1::Event::kPledgeCancellation:
      CONSTELLATION_RETURN_IF_ERROR(
          CheckId(e.pledge_cancellation().pledge_id(), "pledge_cancellation.pledge_id", true));
      return CheckShort(e.pledge_cancellation().reason(), "pledge_cancellation.reason");
    case v1::Event::kPaymentReceipt:
      CONSTELLATION_RETURN_IF_ERROR(
          CheckId(e.payment_receipt().pledge_id(), "payment_receipt.pledge_id", true));
      CONSTELLATION_RETURN_IF_ERROR(
          CheckShort(e.payment_receipt().external_ref(), "payment_receipt.external_ref"));
      CONSTELLATION_RETURN_IF_ERROR(
          CheckTime(e.payment_receipt().received_ms(), "payment_receipt.received_ms"));
      return ValidatePositiveMoney(e.payment_receipt().amount(), "payment_receipt.amount");
    case v1::Event::kWriteOff: {
      const v1::WriteOff& w = e.write_off();
      CONSTELLATION_RETURN_IF_ERROR(CheckId(w.pledge_id(), "write_off.pledge_id", true));
      CONSTELLATION_RETURN_IF_ERROR(CheckId(w.proposal_id(), "write_off.proposal_id", true));
      CONSTELLATION_RETURN_IF_ERROR(ValidatePositiveMoney(w.amount(), "write_off.amount"));
      CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(w.reason_code(), limits::kNameSizeBytesMax,
                                                      "write_off.reason_code",
                                                      "kNameSizeBytesMax"));
      return CheckTime(w.effective_ms(), "write_off.effective_ms");
    }
    case v1::Event::kPledgeCondition: {
      const v1::PledgeConditionResolution& r = e.pledge_condition();
      CONSTELLATION_RETURN_IF_ERROR(CheckId(r.pledge_id(), "pledge_condition.pledge_id", true));
      if (r.outcome() != v1::CONDITION_OUTCOME_MET && r.outcome() != v1::CONDITION_OUTCOME_WAIVED &&
          r.outcome() != v1::CONDITION_OUTCOME_RELEASED) {
        return Invalid("pledge_condition.outcome", "must be MET, WAIVED or RELEASED");
      }
      return CheckShort(r.note(), "pledge_condition.note");
    }
    case v1::Event::kContribution:
      return ValidateContribution(e.contribution(), "contribution");
    case v1::Event::kFund:
      CONSTELLATION_RETURN_IF_ERROR(CheckId(e.fund().proposal_id(), "fund.proposal_id", true));
      return ValidateFund(e.fund(), "fund");
    case v1::Event::kContributionReceipt: {
      const v1::ContributionReceipt& r = e.contribution_receipt();
      CONSTELLATION_RETURN_IF_ERROR(
          CheckId(r.contribution_id(), "contribution_receipt.contribution_id", true));
      CONSTELLATION_RETURN_IF_ERROR(
          CheckShort(r.external_ref(), "contribution_receipt.external_ref"));
      CONSTELLATION_RETURN_IF_ERROR(CheckTime(r.received_ms(), "contribution_receipt.received_ms"));
      return ValidatePositiveMoney(r.amount(), "contribution_receipt.amount");
    }
    case v1::Event::kDisbursement: {
      const v1::Disbursement& d = e.disbursement();
      CONSTELLATION_RETURN_IF_ERROR(CheckId(d.proposal_id(), "disbursement.proposal_id", true));
      if (!d.drawdown_id().empty() && d.drawdown_id() != d.proposal_id()) {
        return Invalid("disbursement.drawdown_id",
                       "must be empty or equal to proposal_id (the drawdown is the proposal)");
      }
      CONSTELLATION_RETURN_IF_ERROR(CheckShort(d.external_ref(), "disbursement.external_ref"));
      CONSTELLATION_RETURN_IF_ERROR(CheckTime(d.paid_ms(), "disbursement.paid_ms"));
      return ValidatePositiveMoney(d.amount(), "disbursement.amount");
    }
    case v1::Event::kProposal:
      return ValidateProposal(e.proposal(), "proposal");
    case v1::Event::kStance:
      return ValidateStanceBody(e.stance());
    case v1::Event::kProposalClose:
      return CheckId(e.proposal_close().proposal_id(), "proposal_close.proposal_id", true);
    case v1::Event::kAcknowledgement:
      return ValidateAcknowledgement(e.acknowledgement());
    case v1::Event::kMembershipAcceptance: {
      const v1::MembershipAcceptance& a = e.membership_acceptance();
      CONSTELLATION_RETURN_IF_ERROR(
          CheckId(a.proposal_id(), "membership_acceptance.proposal_id", true));
      return CheckProfile(a.profile(), "membership_acceptance.profile");
    }
    case v1::Event::kMembershipNotice:
      CONSTELLATION_RETURN_IF_ERROR(
          CheckShort(e.membership_notice().reason(), "membership_notice.reason"));
      return CheckTime(e.membership_notice().effective_ms(), "membership_notice.effective_ms");
    case v1::Event::kMembershipWithdrawal:
      return CheckShort(e.membership_withdrawal().reason(), "membership_withdrawal.reason");
    case v1::Event::kConvening:
      return ValidateConvening(e.convening());
    case v1::Event::kConveningAttendance:
      return CheckId(e.convening_attendance().convening_id(), "convening_attendance.convening_id",
                     true);
    case v1::Event::kConveningMinutes:
      CONSTELLATION_RETURN_IF_ERROR(
          CheckId(e.convening_minutes().convening_id(), "convening_minutes.convening_id", true));
      return CheckRequiredText(e.convening_minutes().text(), limits::kTextSizeBytesMax,
                               "convening_minutes.text", "kTextSizeBytesMax", TextKind::kMultiline);
    case v1::Event::kConveningAction:
      CONSTELLATION_RETURN_IF_ERROR(
          CheckId(e.convening_action().convening_id(), "convening_action.convening_id", true));
      return ValidateActionItem(e.convening_action().item(), "convening_action.item");
    case v1::Event::kActionCompletion:
      CONSTELLATION_RETURN_IF_ERROR(
          CheckId(e.action_completion().action_id(), "action_completion.action_id", true));
      return CheckShort(e.action_completion().note(), "action_completion.note");
    case v1::Event::kPulseCheck:
      if (e.pulse_check().alignment() < 1 || e.pulse_check().alignment() > 5) {
        return Invalid("pulse_check.alignment",
                       absl::StrFormat("is %d; give 1 (not aligned at all) to 5 (fully aligned)",
                                       e.pulse_check().alignment()));
      }
      return CheckLong(e.pulse_check().comment(), "pulse_check.comment");
    case v1::Event::kStrategyVersion:
      return ValidateStrategyVersion(e.strategy_version());
    case v1::Event::kIndicatorReport:
      return ValidateIndicatorReport(e.indicator_report());
    case v1::Event::kActionTeam:
      return ValidateActionTeam(e.action_team());
    case v1::Event::BODY_NOT_SET:
      return absl::InvalidArgumentError("event has no body");
    default:
      return absl::OkStatus();
  }
}

}  // namespace constellation::core
