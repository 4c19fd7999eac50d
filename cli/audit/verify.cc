// cli/audit/verify.cc
#include "cli/audit/verify.h"

#include <array>
#include <utility>

#include <absl/strings/escaping.h>
#include <absl/strings/str_format.h>

#include "cli/exit_code.h"
#include "server/core/codec.h"
#include "server/core/fundraising/fundraising_ledger.h"
#include "server/core/group.h"
#include "server/core/pooled/pooled_ledger.h"

namespace constellation::cli {
namespace {

// A value read from the bundle, for an error message: at most 80 characters (a hostile bundle
// may hold a huge "id").
std::string Clip(std::string_view text) {
  constexpr size_t kShownMax = 80;
  if (text.size() <= kShownMax) return std::string(text);
  return absl::StrFormat("%s... (%d bytes)", text.substr(0, kShownMax), text.size());
}

std::string HashHex(const std::array<uint8_t, 32>& hash) {
  return absl::BytesToHexString(
      absl::string_view(reinterpret_cast<const char*>(hash.data()), hash.size()));
}

v1::SignedEvent ToSigned(const BundleEvent& e) {
  v1::SignedEvent s;
  s.set_event(e.event_bytes);
  s.set_signature(e.signature);
  return s;
}

absl::StatusOr<CampaignTotals> ToTotals(const core::TotalSums& sums, const std::string& currency,
                                        const std::string& member) {
  absl::StatusOr<core::CampaignTotals> t = core::TotalsOf(sums);
  if (!t.ok()) return t.status();
  CampaignTotals out;
  out.currency = currency;
  out.member = member;
  out.pledge_count = t->pledge_count;
  out.pledged_minor = t->pledged_minor;
  out.received_minor = t->received_minor;
  out.written_off_minor = t->written_off_minor;
  out.outstanding_minor = t->outstanding_minor;
  out.conditional_minor = t->conditional_minor;
  out.closed_received_minor = t->closed_received_minor;
  out.closed_written_off_minor = t->closed_written_off_minor;
  out.cancelled_minor = t->cancelled_minor;
  out.lapsed_minor = t->lapsed_minor;
  out.unapplied_minor = t->unapplied_minor;
  return out;
}

// The first field in which `stated` and `derived` differ, or "".
std::string TotalsDifference(const CampaignTotals& stated, const CampaignTotals& derived) {
  if (stated.member != derived.member || stated.currency != derived.currency) {
    return absl::StrFormat("the entry for %s%s %s, where the events give %s%s %s",
                           Clip(stated.member), stated.member.empty() ? "" : " in",
                           Clip(stated.currency), derived.member,
                           derived.member.empty() ? "" : " in", derived.currency);
  }
  const std::pair<std::string_view, std::pair<int64_t, int64_t>> fields[] = {
      {"pledge_count", {stated.pledge_count, derived.pledge_count}},
      {"pledged_minor", {stated.pledged_minor, derived.pledged_minor}},
      {"received_minor", {stated.received_minor, derived.received_minor}},
      {"written_off_minor", {stated.written_off_minor, derived.written_off_minor}},
      {"outstanding_minor", {stated.outstanding_minor, derived.outstanding_minor}},
      {"conditional_minor", {stated.conditional_minor, derived.conditional_minor}},
      {"closed_received_minor", {stated.closed_received_minor, derived.closed_received_minor}},
      {"closed_written_off_minor",
       {stated.closed_written_off_minor, derived.closed_written_off_minor}},
      {"cancelled_minor", {stated.cancelled_minor, derived.cancelled_minor}},
      {"lapsed_minor", {stated.lapsed_minor, derived.lapsed_minor}},
      {"unapplied_minor", {stated.unapplied_minor, derived.unapplied_minor}},
  };
  for (const auto& [name, values] : fields) {
    if (values.first != values.second) {
      return absl::StrFormat("%s %d in %s, where the events give %d", name, values.first,
                             derived.currency, values.second);
    }
  }
  return "";
}

// Compares two lists of totals entry by entry; "" when equal.
std::string ListDifference(const std::vector<CampaignTotals>& stated,
                           const std::vector<CampaignTotals>& derived, std::string_view what) {
  if (stated.size() != derived.size()) {
    return absl::StrFormat("states %d %s, where the events give %d", stated.size(), what,
                           derived.size());
  }
  for (size_t i = 0; i < stated.size(); ++i) {
    std::string difference = TotalsDifference(stated[i], derived[i]);
    if (!difference.empty()) return absl::StrFormat("states in %s[%d] %s", what, i, difference);
  }
  return "";
}

}  // namespace

BundleVerifier::BundleVerifier() = default;
BundleVerifier::~BundleVerifier() = default;

absl::Status BundleVerifier::Fail(std::string_view what) {
  status_ = NotVerifiedError(absl::StrFormat("line %d: %s", line_number_, what));
  return status_;
}

absl::Status BundleVerifier::AddLine(std::string_view line) {
  if (!status_.ok()) return status_;
  ++line_number_;
  if (report_.has_value()) return Fail("a line after the statement (the statement ends a bundle)");
  absl::StatusOr<BundleLine> parsed = ParseBundleLine(line);
  if (!parsed.ok()) return Fail(std::string(parsed.status().message()));
  if (line_number_ == 1) {
    const BundleHeader* header = std::get_if<BundleHeader>(&*parsed);
    if (header == nullptr) {
      return Fail(absl::StrFormat("the bundle does not start with a header (format \"%s\")",
                                  kBundleFormat));
    }
    absl::StatusOr<core::GroupId> group = core::GroupId::FromHex(header->group_id);
    if (!group.ok()) return Fail(absl::StrFormat("the header's %s", group.status().message()));
    header_ = *header;
    group_ = std::make_unique<core::Group>(*group);
    return absl::OkStatus();
  }
  if (std::holds_alternative<BundleHeader>(*parsed)) {
    return Fail("a second header (a bundle holds one group)");
  }
  if (const BundleEvent* e = std::get_if<BundleEvent>(&*parsed)) return AddEvent(*e);
  if (const BundleForkProof* p = std::get_if<BundleForkProof>(&*parsed)) return AddForkProof(*p);
  return Check(std::get<BundleStatement>(*parsed));
}

absl::Status BundleVerifier::AddEvent(const BundleEvent& e) {
  if (fork_proofs_started_) return Fail("an event after the fork proofs");
  if (e.position != events_ + 1) {
    return Fail(absl::StrFormat("event at position %d, where position %d comes next", e.position,
                                events_ + 1));
  }
  absl::StatusOr<core::VerifiedEvent> verified = core::VerifySignedEvent(ToSigned(e));
  if (!verified.ok()) {
    return Fail(absl::StrFormat("the event at position %d does not verify: %s", e.position,
                                verified.status().message()));
  }
  const std::string id = verified->id.Hex();
  if (id != e.event_id) {
    return Fail(
        absl::StrFormat("the event at position %d has id %s (SHA-256 of its bytes), "
                        "not the %s the line states",
                        e.position, id, Clip(e.event_id)));
  }
  if (e.position == 1 &&
      !(verified->is_genesis() && verified->id.Bytes() == group_->id().Bytes())) {
    return Fail(
        absl::StrFormat("the first event is not the genesis of group %s", header_->group_id));
  }
  if (verified->group != group_->id()) {
    return Fail(absl::StrFormat("the event at position %d belongs to group %s, not %s", e.position,
                                verified->group.Hex(), header_->group_id));
  }
  const std::string author = verified->author.Hex();
  const uint64_t seq = verified->seq;
  absl::StatusOr<core::InsertResult> inserted = group_->Insert(std::move(*verified));
  if (!inserted.ok()) {
    return Fail(absl::StrFormat("the event at position %d (author %s, seq %d) breaks its chain: %s",
                                e.position, author, seq, inserted.status().message()));
  }
  switch (inserted->admission) {
    case core::Admission::kReady:
      break;
    case core::Admission::kDuplicate:
      return Fail(
          absl::StrFormat("the event at position %d (%s) is in the bundle twice", e.position, id));
    case core::Admission::kMissingDeps:
      return Fail(absl::StrFormat(
          "the event at position %d (author %s, seq %d) names a prev or dep that no earlier "
          "line holds: an event is missing or the order is not canonical",
          e.position, author, seq));
    case core::Admission::kFork:
      return Fail(absl::StrFormat(
          "the event at position %d is a second event by %s for seq %d: a fork belongs in a "
          "fork_proof line, not in the events",
          e.position, author, seq));
  }
  std::pair<uint64_t, std::string> key(inserted->key.depth, inserted->key.id.Bytes());
  if (last_key_.has_value() && !(*last_key_ < key)) {
    return Fail(absl::StrFormat(
        "the event at position %d (depth %d) comes before position %d's in canonical order "
        "(depth, then id): the events are not in canonical order",
        e.position, inserted->key.depth, e.position - 1));
  }
  last_key_ = std::move(key);
  ++events_;
  last_event_id_ = id;
  return absl::OkStatus();
}

absl::Status BundleVerifier::AddForkProof(const BundleForkProof& p) {
  if (events_ == 0) return Fail("a fork proof before any event");
  fork_proofs_started_ = true;
  v1::ForkProof proof;
  *proof.mutable_first() = ToSigned(p.first);
  *proof.mutable_second() = ToSigned(p.second);
  absl::StatusOr<bool> added = group_->AddForkProof(proof);
  if (!added.ok()) {
    return Fail(absl::StrFormat("the fork proof does not verify: %s", added.status().message()));
  }
  return absl::OkStatus();
}

absl::Status BundleVerifier::Check(const BundleStatement& s) {
  if (events_ == 0) return Fail("the statement before any event");
  if (s.event_count != events_) {
    return Fail(absl::StrFormat("the statement counts %d events; the bundle holds %d",
                                s.event_count, events_));
  }
  if (s.last_event_id != last_event_id_) {
    return Fail(absl::StrFormat("the statement's last event is %s; the bundle's is %s",
                                Clip(s.last_event_id), last_event_id_));
  }
  VerifyReport report;
  report.header = *header_;
  report.event_count = events_;
  report.state_hash = HashHex(group_->StateHash());
  if (s.state_hash != report.state_hash) {
    return Fail(
        absl::StrFormat("the statement gives the state hash %s; the events and fork proofs "
                        "give %s",
                        Clip(s.state_hash), report.state_hash));
  }
  const core::GroupState& state = group_->state();
  report.author_count = static_cast<uint64_t>(group_->Frontier().heads_size());
  report.rejected_count = state.rejected_events().size();
  for (const auto& [author, fork] : group_->forks()) report.frozen_authors.push_back(author.Hex());

  const core::FundraisingLedger& fundraising = core::Fundraising(state);
  for (const auto& [id, c] : fundraising.campaigns()) {
    VerifiedCampaign campaign;
    campaign.campaign_id = id.Hex();
    if (const core::VerifiedEvent* event = group_->Find(id); event != nullptr) {
      campaign.name = event->event.campaign().name();
    }
    const std::string goal = c.goal.currency.ToString();
    auto goal_sums = c.totals.find(c.goal.currency);
    absl::StatusOr<CampaignTotals> t =
        ToTotals(goal_sums == c.totals.end() ? core::TotalSums{} : goal_sums->second, goal, "");
    if (!t.ok()) return Fail(absl::StrFormat("campaign %s: %s", id.Hex(), t.status().message()));
    campaign.totals.push_back(*t);
    for (const auto& [currency, sums] : c.totals) {
      if (currency == c.goal.currency) continue;
      t = ToTotals(sums, currency.ToString(), "");
      if (!t.ok()) return Fail(absl::StrFormat("campaign %s: %s", id.Hex(), t.status().message()));
      campaign.totals.push_back(*t);
    }
    for (const auto& [key, sums] : c.member_totals) {
      t = ToTotals(sums, key.second.ToString(), key.first.Hex());
      if (!t.ok()) return Fail(absl::StrFormat("campaign %s: %s", id.Hex(), t.status().message()));
      campaign.member_totals.push_back(*t);
    }
    report.campaigns.push_back(std::move(campaign));
  }
  for (const auto& [id, f] : core::Pooled(state).funds()) {
    VerifiedFund fund;
    fund.fund_id = id.Hex();
    if (const core::VerifiedEvent* event = group_->Find(id); event != nullptr) {
      fund.name = event->event.fund().name();
    }
    fund.balances.fund_id = fund.fund_id;
    fund.balances.currency = f.currency.ToString();
    fund.balances.received_minor = f.received_minor;
    fund.balances.disbursed_minor = f.disbursed_minor;
    fund.balances.balance_minor = f.balance_minor();
    report.funds.push_back(std::move(fund));
  }
  report_ = std::move(report);
  if (s.totals.has_value()) {
    if (absl::Status totals = CheckTotals(*s.totals); !totals.ok()) return totals;
    report_->totals_stated = true;
  }
  return absl::OkStatus();
}

absl::Status BundleVerifier::CheckTotals(const BundleTotals& stated) {
  const std::vector<VerifiedCampaign>& campaigns = report_->campaigns;
  if (stated.campaigns.size() != campaigns.size()) {
    return Fail(absl::StrFormat("the statement lists %d campaigns; the events give %d",
                                stated.campaigns.size(), campaigns.size()));
  }
  for (size_t i = 0; i < campaigns.size(); ++i) {
    const BundleCampaign& s = stated.campaigns[i];
    const VerifiedCampaign& d = campaigns[i];
    if (s.campaign_id != d.campaign_id) {
      return Fail(absl::StrFormat("the statement's campaign %d is %s; the events give %s", i + 1,
                                  Clip(s.campaign_id), d.campaign_id));
    }
    std::string difference = ListDifference(s.totals, d.totals, "totals");
    if (difference.empty())
      difference = ListDifference(s.member_totals, d.member_totals, "member_totals");
    if (!difference.empty()) {
      return Fail(
          absl::StrFormat("campaign %s (%s): the node %s", d.campaign_id, d.name, difference));
    }
  }
  const std::vector<VerifiedFund>& funds = report_->funds;
  if (stated.funds.size() != funds.size()) {
    return Fail(absl::StrFormat("the statement lists %d funds; the events give %d",
                                stated.funds.size(), funds.size()));
  }
  for (size_t i = 0; i < funds.size(); ++i) {
    const BundleFund& s = stated.funds[i];
    const BundleFund& d = funds[i].balances;
    if (s.fund_id != d.fund_id || s.currency != d.currency ||
        s.received_minor != d.received_minor || s.disbursed_minor != d.disbursed_minor ||
        s.balance_minor != d.balance_minor) {
      return Fail(absl::StrFormat(
          "fund %s (%s): the statement gives received %d, disbursed %d, balance %d %s; the "
          "events give received %d, disbursed %d, balance %d %s",
          d.fund_id, funds[i].name, s.received_minor, s.disbursed_minor, s.balance_minor,
          Clip(s.currency), d.received_minor, d.disbursed_minor, d.balance_minor, d.currency));
    }
  }
  return absl::OkStatus();
}

absl::StatusOr<VerifyReport> BundleVerifier::Finish() {
  if (!status_.ok()) return status_;
  if (!header_.has_value()) return NotVerifiedError("the bundle is empty");
  if (!report_.has_value()) {
    return NotVerifiedError(absl::StrFormat(
        "the bundle ends after line %d without its statement: it is truncated", line_number_));
  }
  return *report_;
}

}  // namespace constellation::cli
