// server/core/fundraising/fundraising_records.cc
//
// Stateless validation of the joint fundraising records (docs/PROTOCOL.md §5.11):
// FundraisingLedger::Validate, which the fold registry (server/core/fold/registry.cc) routes this
// domain's bodies to. Every error is kInvalidArgument naming the field path and what to fix. Pure;
// thread-safe.
#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/core/fundraising/fundraising_ledger.h"
#include "server/core/records.h"

namespace constellation::core {

absl::Status ValidateCampaign(const v1::Campaign& c, std::string_view field) {
  if (c.name().empty()) return InvalidField(FieldPath(field, "name"), "is required");
  CONSTELLATION_RETURN_IF_ERROR(CheckName(c.name(), FieldPath(field, "name")));
  CONSTELLATION_RETURN_IF_ERROR(ValidatePositiveMoney(c.goal(), FieldPath(field, "goal")));
  CONSTELLATION_RETURN_IF_ERROR(CheckTime(c.deadline_ms(), FieldPath(field, "deadline_ms")));
  CONSTELLATION_RETURN_IF_ERROR(
      CheckTime(c.assurance_deadline_ms(), FieldPath(field, "assurance_deadline_ms")));
  CONSTELLATION_RETURN_IF_ERROR(CheckId(c.fiscal_host(), FieldPath(field, "fiscal_host"), false));
  CONSTELLATION_RETURN_IF_ERROR(CheckRestriction(c.restriction(), FieldPath(field, "restriction")));
  CONSTELLATION_RETURN_IF_ERROR(
      CheckId(c.action_team_id(), FieldPath(field, "action_team_id"), false));
  if (c.has_assurance_threshold()) {
    CONSTELLATION_RETURN_IF_ERROR(
        ValidatePositiveMoney(c.assurance_threshold(), FieldPath(field, "assurance_threshold")));
    if (c.assurance_threshold().currency() != c.goal().currency()) {
      return InvalidField(FieldPath(field, "assurance_threshold"),
                          "must be in the goal's currency");
    }
  }
  if ((c.has_assurance_threshold() || c.assurance_member_count() > 0) &&
      c.assurance_deadline_ms() == 0) {
    return InvalidField(FieldPath(field, "assurance_deadline_ms"),
                        "is required with an assurance threshold");
  }
  if (static_cast<size_t>(c.accepted_currencies_size()) > limits::kAcceptedCurrencyCountMax) {
    return InvalidField(
        FieldPath(field, "accepted_currencies"),
        absl::StrFormat("has %d entries; the limit kAcceptedCurrencyCountMax is %d",
                        c.accepted_currencies_size(), limits::kAcceptedCurrencyCountMax));
  }
  for (int i = 0; i < c.accepted_currencies_size(); ++i) {
    const std::string& code = c.accepted_currencies(i);
    const std::string f = absl::StrFormat("%s.accepted_currencies[%d]", std::string(field), i);
    CONSTELLATION_RETURN_IF_ERROR(CheckCurrency(code, f));
    if (code == c.goal().currency()) {
      return InvalidField(f,
                          "is the goal's currency; list only the other currencies pledges may use");
    }
    for (int j = 0; j < i; ++j) {
      if (c.accepted_currencies(j) == code) return InvalidField(f, "is listed twice");
    }
  }
  return CheckId(c.proposal_id(), FieldPath(field, "proposal_id"), false);
}

absl::Status ValidatePledgeTerms(const v1::PledgeTerms& t, std::string_view field) {
  CONSTELLATION_RETURN_IF_ERROR(ValidatePositiveMoney(t.amount(), FieldPath(field, "amount")));
  if (static_cast<size_t>(t.installments_size()) > limits::kInstallmentCountMax) {
    return InvalidField(FieldPath(field, "installments"),
                        absl::StrFormat("has %d entries; the limit kInstallmentCountMax is %d",
                                        t.installments_size(), limits::kInstallmentCountMax));
  }
  int64_t sum = 0;  // cannot overflow: count and each amount are bounded (limits.h)
  uint64_t previous_due_ms = 0;
  for (int i = 0; i < t.installments_size(); ++i) {
    const v1::Installment& in = t.installments(i);
    std::string f = absl::StrFormat("%s.installments[%d]", std::string(field), i);
    if (in.amount_minor() <= 0 || in.amount_minor() > limits::kMoneyAmountMinorMax) {
      return InvalidField(f, absl::StrFormat("amount_minor must be in [1, %d], got %d",
                                             limits::kMoneyAmountMinorMax, in.amount_minor()));
    }
    if (in.due_ms() == 0) return InvalidField(f, "due_ms is required");
    CONSTELLATION_RETURN_IF_ERROR(CheckTime(in.due_ms(), FieldPath(f, "due_ms")));
    if (in.due_ms() < previous_due_ms)
      return InvalidField(f, "installments must be in due-date order");
    previous_due_ms = in.due_ms();
    sum += in.amount_minor();
  }
  if (t.installments_size() > 0 && sum != t.amount().amount_minor()) {
    return InvalidField(FieldPath(field, "installments"),
                        absl::StrFormat("sum to %d but the amount is %d; they must be equal", sum,
                                        t.amount().amount_minor()));
  }
  if (t.has_condition() &&
      (t.condition().barrier().empty() || t.condition().right_of_release().empty())) {
    return InvalidField(FieldPath(field, "condition"),
                        "a conditional pledge needs both a barrier and a right of release");
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckShort(t.condition().barrier(), FieldPath(field, "condition")));
  CONSTELLATION_RETURN_IF_ERROR(
      CheckShort(t.condition().right_of_release(), FieldPath(field, "condition")));
  CONSTELLATION_RETURN_IF_ERROR(CheckRestriction(t.restriction(), FieldPath(field, "restriction")));
  CONSTELLATION_RETURN_IF_ERROR(
      CheckId(t.evidence_sha256(), FieldPath(field, "evidence_sha256"), false));
  CONSTELLATION_RETURN_IF_ERROR(CheckLong(t.note(), FieldPath(field, "note")));
  return CheckName(t.donor_name(), FieldPath(field, "donor_name"));
}

absl::Status FundraisingLedger::Validate(const v1::Event& e) {
  switch (e.body_case()) {
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
        return InvalidField("pledge_condition.outcome", "must be MET, WAIVED or RELEASED");
      }
      return CheckShort(r.note(), "pledge_condition.note");
    }
    default:
      CONSTELLATION_CHECK(false);  // the registry routes only this domain's records here
      return absl::OkStatus();
  }
}

}  // namespace constellation::core
