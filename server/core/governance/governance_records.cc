// server/core/governance/governance_records.cc
//
// Stateless validation of the governance records (docs/PROTOCOL.md §5.1-§5.7):
// GovernanceLedger::Validate, which the fold registry (server/core/fold/registry.cc) routes this
// domain's bodies to (and the charter: the genesis record, which the roster folds). Every error is
// kInvalidArgument naming the field path and what to fix. Pure; thread-safe.
#include <algorithm>
#include <string>
#include <vector>

#include <absl/strings/str_format.h>

#include "server/base/check.h"
#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/core/fundraising/fundraising_ledger.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/pooled/pooled_ledger.h"
#include "server/core/records.h"
#include "server/core/teams/teams_ledger.h"

namespace constellation::core {
namespace {

absl::Status ValidateAdmit(const v1::AdmitPayload& a, std::string_view field) {
  CONSTELLATION_RETURN_IF_ERROR(CheckId(a.card().key(), FieldPath(field, "card.key"), true));
  CONSTELLATION_RETURN_IF_ERROR(CheckName(a.card().name(), FieldPath(field, "card.name")));
  CONSTELLATION_RETURN_IF_ERROR(
      CheckEndpoints(a.card().endpoints(), FieldPath(field, "card.endpoints")));
  if (!v1::Role_IsValid(a.role())) return InvalidField(FieldPath(field, "role"), "unknown role");
  if (!v1::Segment_IsValid(a.segment()))
    return InvalidField(FieldPath(field, "segment"), "unknown segment");
  return CheckWeight(a.voting_weight(), FieldPath(field, "voting_weight"));
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
      {v1::DECISION_TYPE_TEAM_LEADS, v1::Proposal::kTeamLeads},
  };
  for (const auto& [decision, payload] : kPayloads) {
    if (decision == type) return payload;
  }
  return v1::Proposal::PAYLOAD_NOT_SET;
}

absl::Status ValidateStanceBody(const v1::Stance& s) {
  CONSTELLATION_RETURN_IF_ERROR(CheckId(s.proposal_id(), "stance.proposal_id", true));
  if (!v1::StanceChoice_IsValid(s.choice()) || s.choice() == v1::STANCE_CHOICE_UNSPECIFIED) {
    return InvalidField("stance.choice", "must be agree, abstain, disagree or block");
  }
  if ((s.choice() == v1::STANCE_CHOICE_DISAGREE || s.choice() == v1::STANCE_CHOICE_BLOCK) &&
      s.reason().empty()) {
    return InvalidField("stance.reason",
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
    return InvalidField(FieldPath(field, "benefit_share_basis"), "unknown basis");
  }
  const std::string f = FieldPath(field, "standard_rates");
  if (static_cast<size_t>(c.standard_rates_size()) > limits::kListFieldCountMax) {
    return InvalidField(f, absl::StrFormat("has %d entries; the limit kListFieldCountMax is %d",
                                           c.standard_rates_size(), limits::kListFieldCountMax));
  }
  for (int i = 0; i < c.standard_rates_size(); ++i) {
    const v1::StandardRate& r = c.standard_rates(i);
    if (!v1::ContributionKind_IsValid(r.kind()) || r.kind() == v1::CONTRIBUTION_KIND_UNSPECIFIED) {
      return InvalidField(f, "kind is required");
    }
    CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(r.unit(), limits::kNameSizeBytesMax,
                                                    FieldPath(f, "unit"), "kNameSizeBytesMax"));
    CONSTELLATION_RETURN_IF_ERROR(ValidatePositiveMoney(r.rate(), FieldPath(f, "rate")));
    for (int j = 0; j < i; ++j) {
      if (c.standard_rates(j).kind() == r.kind() && c.standard_rates(j).unit() == r.unit()) {
        return InvalidField(
            f, absl::StrFormat("has two rates for one kind and unit '%s'; keep one", r.unit()));
      }
    }
  }
  return absl::OkStatus();
}

absl::Status ValidateAcknowledgement(const v1::Acknowledgement& a) {
  const std::string field = "acknowledgement.proposal_ids";
  if (a.proposal_ids_size() == 0) return InvalidField(field, "needs at least one proposal id");
  if (static_cast<size_t>(a.proposal_ids_size()) > limits::kListFieldCountMax) {
    return InvalidField(field, absl::StrFormat("has %d entries; the limit kListFieldCountMax is %d",
                                               a.proposal_ids_size(), limits::kListFieldCountMax));
  }
  std::vector<std::string> ids(a.proposal_ids().begin(), a.proposal_ids().end());
  for (const std::string& id : ids) CONSTELLATION_RETURN_IF_ERROR(CheckId(id, field, true));
  std::sort(ids.begin(), ids.end());
  if (std::adjacent_find(ids.begin(), ids.end()) != ids.end()) {
    return InvalidField(field, "names a proposal twice");
  }
  return absl::OkStatus();
}

}  // namespace

absl::Status ValidateCharter(const v1::Charter& c, std::string_view field) {
  if (c.name().empty()) return InvalidField(FieldPath(field, "name"), "is required");
  CONSTELLATION_RETURN_IF_ERROR(CheckName(c.name(), FieldPath(field, "name")));
  CONSTELLATION_RETURN_IF_ERROR(CheckLong(c.common_agenda(), FieldPath(field, "common_agenda")));
  CONSTELLATION_RETURN_IF_ERROR(
      CheckLong(c.discovery_hypothesis(), FieldPath(field, "discovery_hypothesis")));
  CONSTELLATION_RETURN_IF_ERROR(
      CheckLong(c.dissolution_rule(), FieldPath(field, "dissolution_rule")));
  CONSTELLATION_RETURN_IF_ERROR(
      CheckLong(c.inkind_valuation_rules(), FieldPath(field, "inkind_valuation_rules")));
  CONSTELLATION_RETURN_IF_ERROR(CheckShort(c.fx_rate_source(), FieldPath(field, "fx_rate_source")));
  if (!v1::GroupKind_IsValid(c.kind()) || c.kind() == v1::GROUP_KIND_UNSPECIFIED) {
    return InvalidField(FieldPath(field, "kind"), "must be partnership or collaboration");
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckTime(c.term_start_ms(), FieldPath(field, "term_start_ms")));
  CONSTELLATION_RETURN_IF_ERROR(CheckTime(c.term_end_ms(), FieldPath(field, "term_end_ms")));
  CONSTELLATION_RETURN_IF_ERROR(CheckTime(c.review_ms(), FieldPath(field, "review_ms")));
  if (c.term_end_ms() != 0 && c.term_end_ms() < c.term_start_ms()) {
    return InvalidField(FieldPath(field, "term_end_ms"), "is before term_start_ms");
  }
  if (c.review_cadence_days() > limits::kReviewCadenceDaysMax) {
    return InvalidField(FieldPath(field, "review_cadence_days"),
                        absl::StrFormat("is %d; the limit kReviewCadenceDaysMax is %d",
                                        c.review_cadence_days(), limits::kReviewCadenceDaysMax));
  }
  if (static_cast<size_t>(c.decision_rules_size()) > limits::kDecisionRuleCountMax) {
    return InvalidField(FieldPath(field, "decision_rules"),
                        absl::StrFormat("has %d rules; the limit kDecisionRuleCountMax is %d",
                                        c.decision_rules_size(), limits::kDecisionRuleCountMax));
  }
  for (const v1::DecisionRule& r : c.decision_rules()) {
    std::string f = FieldPath(field, "decision_rules");
    if (!v1::DecisionType_IsValid(r.decision_type()) ||
        r.decision_type() == v1::DECISION_TYPE_UNSPECIFIED) {
      return InvalidField(f, "decision_type is required");
    }
    if (!v1::DecisionProcess_IsValid(r.process()) ||
        r.process() == v1::DECISION_PROCESS_UNSPECIFIED) {
      return InvalidField(f, "process is required");
    }
    if (r.threshold_bps() > 10000 || r.quorum_bps() > 10000) {
      return InvalidField(f, "threshold_bps and quorum_bps are basis points in [0, 10000]");
    }
    if (r.voting_window_ms() > limits::kVotingWindowMsMax) {
      return InvalidField(
          f, absl::StrFormat("voting_window_ms is %d; the limit kVotingWindowMsMax is %d",
                             r.voting_window_ms(), limits::kVotingWindowMsMax));
    }
  }
  for (int i = 0; i < c.decision_rules_size(); ++i) {
    for (int j = 0; j < i; ++j) {
      if (c.decision_rules(i).decision_type() == c.decision_rules(j).decision_type()) {
        return InvalidField(
            FieldPath(field, "decision_rules"),
            absl::StrFormat("has two rules for %s; keep one",
                            std::string(DecisionTypeName(c.decision_rules(i).decision_type()))));
      }
    }
  }
  if (!c.base_currency().empty()) {
    CONSTELLATION_RETURN_IF_ERROR(
        CheckCurrency(c.base_currency(), FieldPath(field, "base_currency")));
  }
  CONSTELLATION_RETURN_IF_ERROR(ValidateStandardRates(c, field));
  if (c.founder().role() == v1::ROLE_OBSERVER) {
    return InvalidField(FieldPath(field, "founder.role"),
                        "the founder cannot be an observer: nobody could write to the group");
  }
  return CheckProfile(c.founder(), FieldPath(field, "founder"));
}

absl::Status ValidateProposal(const v1::Proposal& p, std::string_view field) {
  if (!v1::DecisionType_IsValid(p.decision_type()) ||
      p.decision_type() == v1::DECISION_TYPE_UNSPECIFIED) {
    return InvalidField(FieldPath(field, "decision_type"), "is required");
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckRequiredText(p.title(), limits::kProposalTitleSizeBytesMax,
                                                  FieldPath(field, "title"),
                                                  "kProposalTitleSizeBytesMax"));
  CONSTELLATION_RETURN_IF_ERROR(CheckLong(p.text(), FieldPath(field, "text")));
  CONSTELLATION_RETURN_IF_ERROR(CheckTime(p.deadline_ms(), FieldPath(field, "deadline_ms")));
  if (p.payload_case() != PayloadOf(p.decision_type())) {
    return InvalidField(field,
                        absl::StrFormat("a proposal of type %s needs its payload (field number %d)",
                                        std::string(DecisionTypeName(p.decision_type())),
                                        static_cast<int>(PayloadOf(p.decision_type()))));
  }
  switch (p.payload_case()) {
    case v1::Proposal::kAdmit:
      return ValidateAdmit(p.admit(), FieldPath(field, "admit"));
    case v1::Proposal::kExpel:
      CONSTELLATION_RETURN_IF_ERROR(
          CheckId(p.expel().member(), FieldPath(field, "expel.member"), true));
      return CheckRequiredText(p.expel().reason(), limits::kShortTextSizeBytesMax,
                               FieldPath(field, "expel.reason"), "kShortTextSizeBytesMax");
    case v1::Proposal::kStrategyVersionId:
      return CheckId(p.strategy_version_id(), FieldPath(field, "strategy_version_id"), true);
    case v1::Proposal::kAllocate: {
      const v1::AllocatePayload& a = p.allocate();
      CONSTELLATION_RETURN_IF_ERROR(
          CheckId(a.fund_id(), FieldPath(field, "allocate.fund_id"), true));
      CONSTELLATION_RETURN_IF_ERROR(
          ValidatePositiveMoney(a.amount(), FieldPath(field, "allocate.amount")));
      CONSTELLATION_RETURN_IF_ERROR(
          CheckId(a.recipient(), FieldPath(field, "allocate.recipient"), true));
      CONSTELLATION_RETURN_IF_ERROR(CheckShort(a.purpose(), FieldPath(field, "allocate.purpose")));
      CONSTELLATION_RETURN_IF_ERROR(
          CheckName(a.budget_line(), FieldPath(field, "allocate.budget_line")));
      return CheckId(a.drawdown_id(), FieldPath(field, "allocate.drawdown_id"), false);
    }
    case v1::Proposal::kCampaign:
      if (!p.campaign().proposal_id().empty()) {
        return InvalidField(
            FieldPath(field, "campaign.proposal_id"),
            "must be empty in a proposal: the campaign names its proposal when opened");
      }
      return ValidateCampaign(p.campaign(), FieldPath(field, "campaign"));
    case v1::Proposal::kCharter:
      return ValidateCharter(p.charter(), FieldPath(field, "charter"));
    case v1::Proposal::kWriteOff: {
      const v1::WriteOffPayload& w = p.write_off();
      CONSTELLATION_RETURN_IF_ERROR(
          CheckId(w.pledge_id(), FieldPath(field, "write_off.pledge_id"), true));
      CONSTELLATION_RETURN_IF_ERROR(
          ValidatePositiveMoney(w.amount(), FieldPath(field, "write_off.amount")));
      return CheckRequiredText(w.reason_code(), limits::kNameSizeBytesMax,
                               FieldPath(field, "write_off.reason_code"), "kNameSizeBytesMax");
    }
    case v1::Proposal::kDissolutionPlan:
      return CheckRequiredText(p.dissolution_plan(), limits::kTextSizeBytesMax,
                               FieldPath(field, "dissolution_plan"), "kTextSizeBytesMax",
                               TextKind::kMultiline);
    case v1::Proposal::kFund:
      if (!p.fund().proposal_id().empty()) {
        return InvalidField(
            FieldPath(field, "fund.proposal_id"),
            "must be empty in a proposal: the fund names its proposal when created");
      }
      return ValidateFund(p.fund(), FieldPath(field, "fund"));
    case v1::Proposal::kTeamLeads:
      return ValidateTeamLeads(p.team_leads(), FieldPath(field, "team_leads"));
    case v1::Proposal::PAYLOAD_NOT_SET:
      break;
  }
  return InvalidField(field, "has no payload");
}

absl::Status GovernanceLedger::Validate(const v1::Event& e) {
  switch (e.body_case()) {
    case v1::Event::kCharter:
      return ValidateCharter(e.charter(), "charter");
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
    default:
      CONSTELLATION_CHECK(false);  // the registry routes only this domain's records here
      return absl::OkStatus();
  }
}

}  // namespace constellation::core
