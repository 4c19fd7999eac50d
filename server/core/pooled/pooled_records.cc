// server/core/pooled/pooled_records.cc
//
// Stateless validation of the pooled resources records (docs/PROTOCOL.md §5.10):
// PooledLedger::Validate, which the fold registry (server/core/fold/registry.cc) routes this
// domain's bodies to. Every error is kInvalidArgument naming the field path and what to fix. Pure;
// thread-safe.
#include <cstdint>
#include <optional>
#include <string>

#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/core/pooled/pooled_ledger.h"
#include "server/core/records.h"

namespace constellation::core {
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
  const std::string f = FieldPath(field, "fx");
  CONSTELLATION_RETURN_IF_ERROR(
      ValidatePositiveMoney(c.original_value(), FieldPath(field, "original_value")));
  CONSTELLATION_RETURN_IF_ERROR(CheckCurrency(fx.from_currency(), FieldPath(f, "from_currency")));
  CONSTELLATION_RETURN_IF_ERROR(CheckCurrency(fx.to_currency(), FieldPath(f, "to_currency")));
  if (fx.from_currency() == fx.to_currency()) {
    return InvalidField(f, "from_currency and to_currency are the same; leave fx unset");
  }
  if (c.original_value().currency() != fx.from_currency()) {
    return InvalidField(FieldPath(field, "original_value.currency"),
                        absl::StrFormat("is %s but fx.from_currency is %s",
                                        c.original_value().currency(), fx.from_currency()));
  }
  if (c.value().currency() != fx.to_currency()) {
    return InvalidField(
        FieldPath(field, "value.currency"),
        absl::StrFormat("is %s but fx.to_currency is %s", c.value().currency(), fx.to_currency()));
  }
  if (fx.rate_micros() <= 0 || fx.rate_micros() > limits::kFxRateMicrosMax) {
    return InvalidField(FieldPath(f, "rate_micros"),
                        absl::StrFormat("must be in [1, %d] (the limit kFxRateMicrosMax), got %d",
                                        limits::kFxRateMicrosMax, fx.rate_micros()));
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(fx.source(), limits::kNameSizeBytesMax,
                                                  FieldPath(f, "source"), "kNameSizeBytesMax"));
  if (fx.as_of_ms() == 0)
    return InvalidField(FieldPath(f, "as_of_ms"), "is required: the rate's date");
  CONSTELLATION_RETURN_IF_ERROR(CheckTime(fx.as_of_ms(), FieldPath(f, "as_of_ms")));
  std::optional<int64_t> converted = ConvertedMinor(c.original_value().amount_minor(), fx);
  if (!converted.has_value() || *converted != c.value().amount_minor()) {
    return InvalidField(
        FieldPath(field, "value"),
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

absl::Status ValidateFund(const v1::Fund& f, std::string_view field) {
  if (f.name().empty()) return InvalidField(FieldPath(field, "name"), "is required");
  CONSTELLATION_RETURN_IF_ERROR(CheckName(f.name(), FieldPath(field, "name")));
  CONSTELLATION_RETURN_IF_ERROR(CheckId(f.fiscal_host(), FieldPath(field, "fiscal_host"), true));
  CONSTELLATION_RETURN_IF_ERROR(CheckCurrency(f.currency(), FieldPath(field, "currency")));
  CONSTELLATION_RETURN_IF_ERROR(CheckRestriction(f.restriction(), FieldPath(field, "restriction")));
  CONSTELLATION_RETURN_IF_ERROR(
      CheckId(f.action_team_id(), FieldPath(field, "action_team_id"), false));
  return CheckId(f.proposal_id(), FieldPath(field, "proposal_id"), false);
}

std::optional<int64_t> ValuationMinor(int64_t quantity_milli, int64_t rate_minor) {
  return RoundHalfUp(static_cast<__int128>(quantity_milli) * rate_minor, 1000);
}

std::optional<int64_t> ConvertedMinor(int64_t original_minor, const v1::FxRate& fx) {
  const std::optional<int> from = CurrencyExponent(fx.from_currency());
  const std::optional<int> to = CurrencyExponent(fx.to_currency());
  if (!from.has_value() || !to.has_value()) return std::nullopt;
  return RoundHalfUp(static_cast<__int128>(original_minor) * fx.rate_micros() * Pow10(*to),
                     Pow10(6 + *from));
}

absl::Status ValidateContribution(const v1::Contribution& c, std::string_view field) {
  if (!v1::ContributionKind_IsValid(c.kind()) || c.kind() == v1::CONTRIBUTION_KIND_UNSPECIFIED) {
    return InvalidField(FieldPath(field, "kind"),
                        "is required: cash, goods, services, staff_time or facilities");
  }
  if (!v1::ValuationMethod_IsValid(c.valuation_method())) {
    return InvalidField(FieldPath(field, "valuation_method"), "unknown valuation method");
  }
  CONSTELLATION_RETURN_IF_ERROR(ValidatePositiveMoney(c.value(), FieldPath(field, "value")));
  if (c.quantity_milli() < 0 || c.quantity_milli() > limits::kQuantityMilliMax) {
    return InvalidField(FieldPath(field, "quantity_milli"),
                        absl::StrFormat("must be in [0, %d] (the limit kQuantityMilliMax), got %d",
                                        limits::kQuantityMilliMax, c.quantity_milli()));
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckName(c.unit(), FieldPath(field, "unit")));
  if (c.has_unit_rate()) {
    CONSTELLATION_RETURN_IF_ERROR(
        ValidatePositiveMoney(c.unit_rate(), FieldPath(field, "unit_rate")));
  }
  for (const auto& [id, name] :
       {std::pair{&c.evidence_sha256(), "evidence_sha256"},
        std::pair{&c.action_team_id(), "action_team_id"}, std::pair{&c.pledge_id(), "pledge_id"},
        std::pair{&c.reverses(), "reverses"}, std::pair{&c.fund_id(), "fund_id"}}) {
    CONSTELLATION_RETURN_IF_ERROR(CheckId(*id, FieldPath(field, name), false));
  }
  const bool cash = c.kind() == v1::CONTRIBUTION_KIND_CASH;
  if (cash && c.valuation_method() != v1::VALUATION_METHOD_UNSPECIFIED) {
    return InvalidField(FieldPath(field, "valuation_method"),
                        "is for in-kind contributions; cash has none");
  }
  if (!cash) {
    if (c.quantity_milli() == 0) {
      return InvalidField(FieldPath(field, "quantity_milli"),
                          "is required for an in-kind contribution (quantity × 1000)");
    }
    if (c.unit().empty()) {
      return InvalidField(FieldPath(field, "unit"), "is required for an in-kind contribution");
    }
    if (c.valuation_method() == v1::VALUATION_METHOD_UNSPECIFIED) {
      return InvalidField(FieldPath(field, "valuation_method"),
                          "is required for an in-kind contribution: actual_cost or standard_rate");
    }
    if (!c.fund_id().empty()) {
      return InvalidField(FieldPath(field, "fund_id"), "only cash can be paid into a fund");
    }
    if (c.valuation_method() == v1::VALUATION_METHOD_STANDARD_RATE && !c.has_unit_rate()) {
      return InvalidField(
          FieldPath(field, "unit_rate"),
          "is required with standard_rate: the charter's rate for this kind and unit");
    }
  }
  if (c.has_original_value() && !c.has_fx()) {
    return InvalidField(
        FieldPath(field, "original_value"),
        "converted without rate and source: set fx (rate, source and date) or leave "
        "original_value unset");
  }
  if (c.has_fx()) CONSTELLATION_RETURN_IF_ERROR(CheckFx(c, field));
  // The value before conversion, which the valuation formula gives (§5.10).
  const v1::Money& base = c.has_fx() ? c.original_value() : c.value();
  if (!cash && c.has_unit_rate()) {
    if (c.unit_rate().currency() != base.currency()) {
      return InvalidField(FieldPath(field, "unit_rate.currency"),
                          absl::StrFormat("is %s but the value before conversion is in %s",
                                          c.unit_rate().currency(), base.currency()));
    }
    std::optional<int64_t> valued =
        ValuationMinor(c.quantity_milli(), c.unit_rate().amount_minor());
    if (!valued.has_value() || *valued != base.amount_minor()) {
      return InvalidField(
          FieldPath(field, c.has_fx() ? "original_value" : "value"),
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

absl::Status PooledLedger::Validate(const v1::Event& e) {
  switch (e.body_case()) {
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
        return InvalidField("disbursement.drawdown_id",
                            "must be empty or equal to proposal_id (the drawdown is the proposal)");
      }
      CONSTELLATION_RETURN_IF_ERROR(CheckShort(d.external_ref(), "disbursement.external_ref"));
      CONSTELLATION_RETURN_IF_ERROR(CheckTime(d.paid_ms(), "disbursement.paid_ms"));
      return ValidatePositiveMoney(d.amount(), "disbursement.amount");
    }
    default:
      CONSTELLATION_CHECK(false);  // the registry routes only this domain's records here
      return absl::OkStatus();
  }
}

}  // namespace constellation::core
