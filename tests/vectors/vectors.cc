#include "tests/vectors/vectors.h"

#include <cstdint>
#include <limits>
#include <map>
#include <optional>
#include <utility>

#include "server/core/convenings/convenings_ledger.h"
#include "server/core/fold/group_state.h"
#include "server/core/fundraising/fundraising_ledger.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/group.h"
#include "server/core/health/health_ledger.h"
#include "server/core/measurement/measurement_ledger.h"
#include "server/core/pooled/pooled_ledger.h"
#include "server/core/roster/roster.h"
#include "server/core/strategy/strategy_ledger.h"
#include "server/core/teams/teams_ledger.h"
#include "tests/testing/convening_events.h"
#include "tests/testing/event_factory.h"
#include "tests/testing/pooled_events.h"
#include "tests/testing/team_events.h"

namespace constellation::vectors {
namespace {

using core::EventId;
using core::GroupState;
using core::OrgKey;
using core::SigningKey;
using core::VerifiedEvent;
using nlohmann::json;
using namespace ::constellation::testing;  // NOLINT: the record-body helpers

constexpr v1::StanceChoice kAgree = v1::STANCE_CHOICE_AGREE;

std::string ToHex(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(bytes.size() * 2);
  for (unsigned char c : bytes) {
    out.push_back(kDigits[c >> 4]);
    out.push_back(kDigits[c & 0xF]);
  }
  return out;
}

absl::StatusOr<std::string> FromHex(const json& value, std::string_view what) {
  if (!value.is_string() || value.get<std::string>().size() % 2 != 0) {
    return absl::InvalidArgumentError(std::string(what) + " is not a hex string");
  }
  const std::string hex = value.get<std::string>();
  auto digit = [](char c) {
    if (c >= '0' && c <= '9') return c - '0';
    if (c >= 'a' && c <= 'f') return c - 'a' + 10;
    return -1;
  };
  std::string out;
  for (size_t i = 0; i < hex.size(); i += 2) {
    const int hi = digit(hex[i]), lo = digit(hex[i + 1]);
    if (hi < 0 || lo < 0) {
      return absl::InvalidArgumentError(std::string(what) + " is not lowercase hex");
    }
    out.push_back(static_cast<char>(hi * 16 + lo));
  }
  return out;
}

template <typename Tag>
json OptionalHex(const std::optional<core::Id32<Tag>>& id) {
  return id.has_value() ? json(id->Hex()) : json(nullptr);
}

// A 128-bit sum as a JSON integer (every vector total fits int64; CONSTELLATION_CHECK-like
// guard: a total beyond it is written as a decimal string, which the spec's i128 allows).
json I128(__int128 v) {
  if (v >= std::numeric_limits<int64_t>::min() && v <= std::numeric_limits<int64_t>::max()) {
    return json(static_cast<int64_t>(v));
  }
  std::string digits;
  const bool negative = v < 0;
  unsigned __int128 u = negative ? -static_cast<unsigned __int128>(v) : v;
  do {
    digits.insert(digits.begin(), static_cast<char>('0' + static_cast<int>(u % 10)));
    u /= 10;
  } while (u != 0);
  return json((negative ? "-" : "") + digits);
}

json Totals(const core::TotalSums& t) {
  return json{{"pledge_count", t.pledge_count},
              {"pledged", I128(t.pledged)},
              {"received", I128(t.received)},
              {"written_off", I128(t.written_off)},
              {"outstanding", I128(t.outstanding)},
              {"conditional", I128(t.conditional)},
              {"closed_received", I128(t.closed_received)},
              {"closed_written_off", I128(t.closed_written_off)},
              {"cancelled", I128(t.cancelled)},
              {"lapsed", I128(t.lapsed)},
              {"unapplied", I128(t.unapplied)}};
}

// ---------------------------------------------------------------------------------------------
// The derived state, in the order and terms of docs/PROTOCOL.md §4.1, §5.8, §5.10, §5.12.

json RosterPart(const core::Roster& roster) {
  json members = json::array();
  for (const auto& [key, m] : roster.members()) {
    members.push_back({{"key", key.Hex()},
                       {"profile_event", m.profile_event.Hex()},
                       {"status", static_cast<int>(m.status)},
                       {"joined_event", m.joined_event.Hex()},
                       {"joined_seq", m.joined_seq},
                       {"admitted_by", OptionalHex(m.admitted_by)},
                       {"notice_event", OptionalHex(m.notice_event)},
                       {"notice_effective_ms", m.notice_effective_ms},
                       {"removal_event", OptionalHex(m.removal_event)},
                       {"expelled_by", OptionalHex(m.expelled_by)}});
  }
  return {{"charter_event", OptionalHex(roster.charter_event())}, {"members", members}};
}

json GovernancePart(const core::GovernanceLedger& governance) {
  json proposals = json::array();
  for (const auto& [id, p] : governance.proposals()) {
    json electorate = json::array();
    for (const auto& [key, voter] : p.electorate) {
      electorate.push_back(
          {{"key", key.Hex()}, {"weight", voter.weight}, {"decides", voter.decides}});
    }
    json stances = json::array();
    for (const core::CastStance& s : p.stances) stances.push_back(s.event.Hex());
    const core::ProposalOutcome& o = p.outcome;
    proposals.push_back(
        {{"id", id.Hex()},
         {"process", static_cast<int>(p.rule.process())},
         {"deadline_ms", p.deadline_ms},
         {"electorate", electorate},
         {"stances", stances},
         {"close_event", OptionalHex(p.close_event)},
         {"outcome", static_cast<int>(o.outcome)},
         {"closed", o.closed},
         {"final", o.final},
         {"close_hlc", {{"wall_ms", o.close.hlc.wall_ms}, {"logical", o.close.hlc.logical}}},
         {"close_reason", static_cast<int>(o.close.reason)},
         {"cast_weight", o.tally.stance_weight},
         {"agree_weight", o.tally.agree_weight},
         {"disagree_weight", o.tally.disagree_weight},
         {"block_weight", o.tally.block_weight},
         {"final_at", OptionalHex(o.final_at)},
         {"effect_applied", p.effect_applied},
         {"acceptance", OptionalHex(p.acceptance)}});
  }
  json cuts = json::array();
  for (const auto& [id, cut] : governance.removal_cuts()) {
    cuts.push_back(
        {{"proposal", id.Hex()}, {"member", cut.member.Hex()}, {"kept_seq", cut.kept_seq_max}});
  }
  return {{"proposals", proposals}, {"removal_cuts", cuts}};
}

json FundraisingPart(const core::FundraisingLedger& fundraising) {
  json campaigns = json::array();
  for (const auto& [id, c] : fundraising.campaigns()) {
    json accepted = json::array();
    for (const core::CurrencyCode& code : c.accepted_currencies)
      accepted.push_back(code.ToString());
    json assurance = json::array();
    for (const OrgKey& key : c.assurance_set) assurance.push_back(key.Hex());
    json totals = json::array();
    for (const auto& [code, sums] : c.totals) {
      json t = Totals(sums);
      t["currency"] = code.ToString();
      totals.push_back(t);
    }
    json member_totals = json::array();
    for (const auto& [key, sums] : c.member_totals) {
      json t = Totals(sums);
      t["member"] = key.first.Hex();
      t["currency"] = key.second.ToString();
      member_totals.push_back(t);
    }
    campaigns.push_back({{"id", id.Hex()},
                         {"opened_by", c.opened_by.Hex()},
                         {"fiscal_host", c.fiscal_host.Hex()},
                         {"proposal", OptionalHex(c.proposal)},
                         {"goal_currency", c.goal.currency.ToString()},
                         {"goal_minor", c.goal.amount_minor},
                         {"deadline_ms", c.deadline_ms},
                         {"accepted_currencies", accepted},
                         {"threshold_minor", c.threshold_minor},
                         {"threshold_member_count", c.threshold_member_count},
                         {"assurance_deadline_ms", c.assurance_deadline_ms},
                         {"threshold_state", static_cast<int>(c.threshold)},
                         {"counted_minor", I128(c.counted_minor)},
                         {"counted_pledgers", c.counted_pledgers},
                         {"assurance_set", assurance},
                         {"pledge_count", c.pledges.size()},
                         {"totals", totals},
                         {"member_totals", member_totals}});
  }
  json pledges = json::array();
  for (const auto& [id, p] : fundraising.pledges()) {
    std::map<EventId, const core::PledgeEntry*> by_event;
    for (const core::PledgeEntry& entry : p.history) by_event.emplace(entry.event, &entry);
    json records = json::array();
    for (const auto& [event, entry] : by_event) {
      records.push_back({{"event", event.Hex()},
                         {"kind", static_cast<int>(entry->kind)},
                         {"amount_minor", entry->amount_minor},
                         {"applied_minor", entry->applied_minor}});
    }
    pledges.push_back({{"id", id.Hex()},
                       {"campaign", p.campaign.Hex()},
                       {"pledger", p.pledger.Hex()},
                       {"terms_event", p.terms_event.Hex()},
                       {"version", p.version},
                       {"currency", p.terms.amount.currency.ToString()},
                       {"amount_minor", p.terms.amount.amount_minor},
                       {"conditional_terms", p.terms.conditional},
                       {"received_minor", p.received_minor},
                       {"written_off_minor", p.written_off_minor},
                       {"unapplied_minor", p.unapplied_minor},
                       {"cancelled", p.cancelled},
                       {"lapse", static_cast<int>(p.lapse)},
                       {"condition", static_cast<int>(p.condition)},
                       {"threshold_pending", p.threshold_pending},
                       {"records", records}});
  }
  return {{"campaigns", campaigns}, {"pledges", pledges}};
}

json PooledPart(const core::PooledLedger& pooled) {
  if (pooled.contributions().empty() && pooled.funds().empty() && pooled.disbursements().empty()) {
    return nullptr;  // an empty pooled part writes nothing (docs/PROTOCOL.md §5.10)
  }
  json entries = json::array();
  for (const core::PooledEntry& e : pooled.entries()) {
    entries.push_back({{"kind", static_cast<int>(e.kind)}, {"event", e.event.Hex()}});
  }
  json contributions = json::array();
  for (const auto& [id, c] : pooled.contributions()) {
    contributions.push_back({{"id", id.Hex()},
                             {"contributor", c.contributor.Hex()},
                             {"kind", static_cast<int>(c.kind)},
                             {"value_minor", c.value.amount_minor},
                             {"currency", c.value.currency.ToString()},
                             {"fund", OptionalHex(c.fund)},
                             {"reverses", OptionalHex(c.reverses)},
                             {"reversed_by", OptionalHex(c.reversed_by)},
                             {"receipt", OptionalHex(c.receipt)},
                             {"reversed_after_receipt", c.reversed_after_receipt}});
  }
  json funds = json::array();
  for (const auto& [id, f] : pooled.funds()) {
    funds.push_back({{"id", id.Hex()},
                     {"proposal", f.proposal.Hex()},
                     {"fiscal_host", f.fiscal_host.Hex()},
                     {"currency", f.currency.ToString()},
                     {"restriction", static_cast<int>(f.restriction)},
                     {"until_ms", f.until_ms},
                     {"received_minor", f.received_minor},
                     {"disbursed_minor", f.disbursed_minor}});
  }
  json disbursements = json::array();
  for (const auto& [proposal, d] : pooled.disbursements()) {
    disbursements.push_back({{"proposal", proposal.Hex()},
                             {"event", d.id.Hex()},
                             {"fund", d.fund.Hex()},
                             {"amount_minor", d.amount_minor}});
  }
  json net = json::array();
  for (const auto& [key, value] : pooled.net_contributed()) {
    net.push_back({{"org", key.first.Hex()}, {"currency", key.second}, {"net_minor", value}});
  }
  return {{"entries", entries},
          {"contributions", contributions},
          {"funds", funds},
          {"disbursements", disbursements},
          {"net_contributed", net}};
}

json IdList(const std::vector<EventId>& ids) {
  json out = json::array();
  for (const EventId& id : ids) out.push_back(id.Hex());
  return out;
}

json ConveningsPart(const core::ConveningsLedger& ledger) {
  if (ledger.convenings().empty()) {
    return nullptr;  // no convening: the convenings part writes nothing (docs/PROTOCOL.md §5.13)
  }
  json convenings = json::array();
  for (const auto& [id, c] : ledger.convenings()) {
    json invitees = json::array();
    for (const core::OrgKey& k : c.invitees) invitees.push_back(k.Hex());
    json attendance = json::array();
    for (const auto& [org, event] : c.attendance) {
      attendance.push_back({{"attendee", org.Hex()}, {"event", event.Hex()}});
    }
    convenings.push_back({{"id", id.Hex()},
                          {"convener", c.convener.Hex()},
                          {"scheduled_ms", c.scheduled_ms},
                          {"invitees", invitees},
                          {"agenda_proposals", IdList(c.agenda_proposals)},
                          {"attendance", attendance},
                          {"minutes", IdList(c.minutes)}});
  }
  json actions = json::array();
  for (const auto& [id, a] : ledger.actions()) {
    actions.push_back({{"id", id.Hex()},
                       {"convening", a.convening.Hex()},
                       {"recorded_by", a.recorded_by.Hex()},
                       {"owner", a.owner.Hex()},
                       {"due_ms", a.due_ms},
                       {"completions", IdList(a.completions)}});
  }
  return {{"convenings", convenings}, {"actions", actions}};
}

json HealthPart(const core::HealthLedger& ledger) {
  if (ledger.pulses().empty()) {
    return nullptr;  // no pulse check: the health part writes nothing (docs/PROTOCOL.md §5.14)
  }
  json pulses = json::array();
  for (const core::PulseState& p : ledger.pulses()) {
    pulses.push_back(
        {{"event", p.id.Hex()}, {"member", p.member.Hex()}, {"alignment", p.alignment}});
  }
  return {{"pulses", pulses}};
}

json StrategyPart(const core::StrategyLedger& ledger) {
  if (ledger.versions().empty()) {
    return nullptr;  // no strategy version: the strategy part writes nothing (PROTOCOL.md §5.15)
  }
  json versions = json::array();
  for (const auto& [id, v] : ledger.versions()) {
    versions.push_back({{"id", id.Hex()},
                        {"author", v.author.Hex()},
                        {"document", static_cast<int>(v.document)},
                        {"parent", v.parent.has_value() ? json(v.parent->Hex()) : json(nullptr)}});
  }
  json adoptions = json::array();
  for (const auto& [proposal, a] : ledger.adoptions()) {
    adoptions.push_back({{"proposal", proposal.Hex()}, {"version", a.version.Hex()}});
  }
  return {{"versions", versions}, {"adoptions", adoptions}};
}

json MeasurementPart(const core::MeasurementLedger& ledger) {
  if (ledger.reports().empty()) {
    return nullptr;  // no report: the measurement part writes nothing (PROTOCOL.md §5.16)
  }
  json reports = json::array();
  for (const auto& [id, r] : ledger.reports()) {
    reports.push_back(
        {{"id", id.Hex()},
         {"author", r.author.Hex()},
         {"version", r.version.Hex()},
         {"value", r.value},
         {"revises", r.revises.has_value() ? json(r.revises->Hex()) : json(nullptr)}});
  }
  return {{"reports", reports}};
}

json TeamsPart(const core::TeamsLedger& ledger) {
  if (ledger.teams().empty()) {
    return nullptr;  // no action team: the teams part writes nothing (PROTOCOL.md §5.17)
  }
  auto keys = [](const std::vector<core::OrgKey>& orgs) {
    json out = json::array();
    for (const core::OrgKey& k : orgs) out.push_back(k.Hex());
    return out;
  };
  json teams = json::array();
  for (const auto& [id, t] : ledger.teams()) {
    json versions = json::array();
    for (const core::TeamVersion& v : t.versions) {
      versions.push_back(
          {{"id", v.id.Hex()},
           {"author", v.author.Hex()},
           {"status", static_cast<int>(v.status)},
           {"leads", keys(v.leads)},
           {"participants", keys(v.participants)},
           {"fiscal_host", v.fiscal_host.has_value() ? json(v.fiscal_host->Hex()) : json(nullptr)},
           {"review_ms", v.review_ms}});
    }
    teams.push_back({{"id", id.Hex()},
                     {"created_by", t.created_by.Hex()},
                     {"status", static_cast<int>(t.status())},
                     {"versions", versions}});
  }
  return {{"teams", teams}};
}

json DerivedState(const core::Group& group) {
  const GroupState& state = group.state();
  json rejected = json::array();
  for (const auto& [id, reason] : state.rejected_events()) rejected.push_back(id.Hex());
  return {{"group_id", state.group().Hex()},
          {"event_count", state.event_count()},
          {"roster", RosterPart(state.roster())},
          {"governance", GovernancePart(core::Governance(state))},
          {"fundraising", FundraisingPart(core::Fundraising(state))},
          {"pooled", PooledPart(core::Pooled(state))},
          {"convenings", ConveningsPart(core::Convenings(state))},
          {"health", HealthPart(core::Health(state))},
          {"strategy", StrategyPart(core::Strategy(state))},
          {"measurement", MeasurementPart(core::Measurement(state))},
          {"teams", TeamsPart(core::Teams(state))},
          {"rejected_events", rejected}};
}

// What views show: statuses as of `as_of_ms` and totals as the client API reads them.
json Statuses(const core::Group& group, uint64_t as_of_ms) {
  const GroupState& state = group.state();
  json members = json::array();
  for (const auto& [key, m] : state.roster().members()) {
    members.push_back({{"key", key.Hex()},
                       {"status", core::MemberStatusName(core::DeriveMemberStatus(m, as_of_ms))}});
  }
  json proposals = json::array();
  for (const auto& [id, p] : core::Governance(state).proposals()) {
    proposals.push_back({{"id", id.Hex()},
                         {"outcome", core::DecisionOutcomeName(p.outcome.outcome)},
                         {"final", p.outcome.final}});
  }
  const core::FundraisingLedger& fundraising = core::Fundraising(state);
  json pledges = json::array();
  for (const auto& [id, p] : fundraising.pledges()) {
    const uint64_t deadline = fundraising.campaigns().at(p.campaign).deadline_ms;
    pledges.push_back(
        {{"id", id.Hex()},
         {"status", core::PledgeStatusName(core::DerivePledgeStatus(p, deadline, as_of_ms))}});
  }
  json drawdowns = json::array();
  for (const core::DrawdownView& d : core::Drawdowns(state)) {
    drawdowns.push_back(
        {{"proposal", d.proposal.Hex()}, {"status", core::DrawdownStatusName(d.status)}});
  }
  json current_strategy = json::array();
  const core::StrategyLedger& strategy = core::Strategy(state);
  for (int d = v1::StrategyDocument_MIN; d <= v1::StrategyDocument_MAX; ++d) {
    const core::AdoptionState* a = strategy.Current(static_cast<v1::StrategyDocument>(d));
    if (a == nullptr) continue;
    current_strategy.push_back(
        {{"document", d}, {"version", a->version.Hex()}, {"proposal", a->proposal.Hex()}});
  }
  return {{"members", members},
          {"proposals", proposals},
          {"pledges", pledges},
          {"drawdowns", drawdowns},
          {"current_strategy", current_strategy}};
}

absl::StatusOr<json> ViewTotals(const core::Group& group) {
  const GroupState& state = group.state();
  const core::FundraisingLedger& fundraising = core::Fundraising(state);
  json campaigns = json::array();
  for (const auto& [id, c] : fundraising.campaigns()) {
    absl::StatusOr<core::CampaignTotals> t = fundraising.Totals(c);
    if (!t.ok()) return t.status();
    campaigns.push_back({{"id", id.Hex()},
                         {"currency", c.goal.currency.ToString()},
                         {"pledge_count", t->pledge_count},
                         {"pledged_minor", t->pledged_minor},
                         {"received_minor", t->received_minor},
                         {"written_off_minor", t->written_off_minor},
                         {"outstanding_minor", t->outstanding_minor},
                         {"conditional_minor", t->conditional_minor},
                         {"cancelled_minor", t->cancelled_minor},
                         {"lapsed_minor", t->lapsed_minor},
                         {"unapplied_minor", t->unapplied_minor}});
  }
  json funds = json::array();
  for (const auto& [id, f] : core::Pooled(state).funds()) {
    funds.push_back({{"id", id.Hex()}, {"balance_minor", f.balance_minor()}});
  }
  return json{{"campaigns", campaigns}, {"funds", funds}};
}

absl::StatusOr<json> PointDocument(const core::Group& group, const VectorPoint& point) {
  json order = json::array();
  group.ForEachInOrder(0, [&](uint64_t, const VerifiedEvent& e) {
    order.push_back(e.id.Hex());
    return true;
  });
  json frozen = json::array();
  for (const auto& [author, record] : group.forks()) {
    frozen.push_back({{"author", author.Hex()}, {"fork_seq", record.seq}});
  }
  const uint64_t as_of_ms = group.state().last_hlc().wall_ms;
  absl::StatusOr<json> totals = ViewTotals(group);
  if (!totals.ok()) return totals.status();
  return json{{"label", point.label},
              {"after", point.after},
              {"canonical_order", order},
              {"frozen_authors", frozen},
              {"state", DerivedState(group)},
              {"fold_hash", HashHex(group.state().Hash())},
              {"state_hash", HashHex(group.StateHash())},
              {"as_of_ms", as_of_ms},
              {"statuses", Statuses(group, as_of_ms)},
              {"totals", *totals}};
}

// ---------------------------------------------------------------------------------------------
// Scenarios

// Writes a group's history: every event is appended to the builder and to the arrival order.
class Writer {
 public:
  Writer(const SigningKey& founder, const v1::Charter& charter) : history_(founder, charter) {
    events_.push_back(history_.genesis());
    writers_.push_back(&founder);
  }
  EventId Put(const SigningKey& author, const v1::Event& body) {
    events_.push_back(history_.Append(author, body));
    return events_.back().id;
  }
  // An ADMIT of `invitee` proposed by `proposer`, agreed and acknowledged by every writer,
  // then accepted: the outcome is final and passed under the default (supermajority) rule.
  void Admit(const SigningKey& proposer, const SigningKey& invitee) {
    const EventId p = Put(proposer, AdmitBody(invitee.public_key()));
    for (const SigningKey* w : writers_) Put(*w, StanceBody(p, kAgree));
    for (const SigningKey* w : writers_) Put(*w, AcknowledgementBody({p}));
    Put(invitee, AcceptanceBody(p));
    writers_.push_back(&invitee);
  }
  // `body` proposed by `proposer`, agreed by every writer (which closes it: all voted) and
  // acknowledged by every writer: the outcome is final and passed.
  EventId Decide(const SigningKey& proposer, const v1::Event& body) {
    const EventId p = Put(proposer, body);
    for (const SigningKey* w : writers_) Put(*w, StanceBody(p, kAgree));
    for (const SigningKey* w : writers_) Put(*w, AcknowledgementBody({p}));
    return p;
  }
  HistoryBuilder& history() { return history_; }
  std::vector<VerifiedEvent>& events() { return events_; }
  size_t size() const { return events_.size(); }

 private:
  HistoryBuilder history_;
  std::vector<VerifiedEvent> events_;
  std::vector<const SigningKey*> writers_;
};

VectorScenario Named(std::string name, std::string description) {
  VectorScenario s;
  s.name = std::move(name);
  s.description = std::move(description);
  return s;
}

VectorScenario MembershipAndFundraising() {
  const SigningKey a = TestKey('a'), b = TestKey('b'), c = TestKey('c');
  VectorScenario s =
      Named("membership_fundraising",
            "Founder a admits b, then c (ADMIT final and passed); a opens a campaign; b "
            "pledges, amends and is paid; c pledges and cancels, and a records money for c's "
            "pledge as unapplied; c's expulsion becomes final, c's pledge concurrent with the "
            "EXPEL proposal is cut, and c's campaign after it is rejected.");
  Writer w(a, TestCharter());
  s.points.push_back({"genesis", w.size()});
  w.Admit(a, b);
  s.points.push_back({"b admitted: ADMIT final and passed, accepted", w.size()});
  w.Admit(a, c);
  const EventId campaign = w.Put(a, CampaignBody(TestCampaign(1'000'000)));
  const EventId pb = w.Put(b, PledgeBody(campaign, TestTerms(40'000)));
  const EventId pc = w.Put(c, PledgeBody(campaign, TestTerms(25'000)));
  w.Put(b, AmendmentBody(pb, TestTerms(45'000)));
  w.Put(a, PaymentBody(pb, 10'000));
  w.Put(c, CancellationBody(pc));
  w.Put(a, UnappliedPaymentBody(pc, 5'000));
  s.points.push_back(
      {"pledges, an amendment, a payment, a cancellation, an unapplied receipt", w.size()});
  const EventId x = w.Put(a, ExpelBody(c.public_key()));
  // c has not seen the EXPEL proposal: this pledge is concurrent with it.
  w.events().push_back(
      w.history().AppendWithDeps(c, PledgeBody(campaign, TestTerms(700)), {campaign}));
  w.Put(a, StanceBody(x, kAgree));
  w.Put(b, StanceBody(x, kAgree));
  s.points.push_back({"EXPEL closed (all voted) but not final yet", w.size()});
  w.Put(a, AcknowledgementBody({x}));
  w.Put(b, AcknowledgementBody({x}));
  s.points.push_back({"EXPEL final and passed: c expelled, its concurrent pledge cut", w.size()});
  w.Put(c, CampaignBody(TestCampaign(5'000)));
  s.points.push_back({"c's campaign after its expulsion: rejected", w.size()});
  s.events = std::move(w.events());
  return s;
}

VectorScenario Fork() {
  const SigningKey a = TestKey('a'), b = TestKey('b');
  VectorScenario s =
      Named("fork",
            "Founder a admits b and opens a campaign; b pledges twice. A second event of b "
            "at the seq of its second pledge arrives: a fork, b is frozen from that seq, "
            "and the state hash takes the fork wrapper. a's later payment still counts.");
  Writer w(a, TestCharter());
  w.Admit(a, b);
  const EventId campaign = w.Put(a, CampaignBody(TestCampaign(500'000)));
  const EventId first = w.Put(b, PledgeBody(campaign, TestTerms(30'000)));
  w.Put(b, PledgeBody(campaign, TestTerms(12'000)));
  s.points.push_back({"before the fork is known", w.size()});
  // b signs another event after its first pledge: the same seq as its second pledge.
  w.events().push_back(
      w.history().AppendBranch(b, first, PledgeBody(campaign, TestTerms(99'000)), {campaign}));
  s.points.push_back({"fork known: b frozen from the seq of its second pledge", w.size()});
  w.Put(a, PaymentBody(first, 30'000));
  s.points.push_back({"a's payment of b's first pledge after the freeze", w.size()});
  s.events = std::move(w.events());
  return s;
}

v1::Charter PooledCharter() {
  v1::Charter charter = TestCharter();
  *charter.add_decision_rules() =
      MakeDecisionRule(v1::DECISION_TYPE_ALLOCATE_FUNDS, v1::DECISION_PROCESS_CONSENT);
  return charter;
}

VectorScenario Pooled() {
  const SigningKey a = TestKey('a'), b = TestKey('b');
  VectorScenario s =
      Named("pooled",
            "Founder a admits b; a fund held by a is created by a CREATE_FUND decision; b "
            "pays cash into it (receipted by a) and records staff time, then reverses a "
            "second cash contribution; an ALLOCATE_FUNDS drawdown is decided and disbursed. A "
            "second fund, restricted to a purpose, receives cash; a drawdown stating another "
            "purpose is decided but refused, and its disbursement is rejected; one stating the "
            "restriction's purpose is disbursed.");
  Writer w(a, PooledCharter());
  w.Admit(a, b);
  s.points.push_back({"no pooled record yet: the pooled part writes nothing", w.size()});
  const v1::Fund fund_body = TestFund(a.public_key());
  const EventId create = w.Decide(a, CreateFundProposalBody(fund_body));
  const EventId fund = w.Put(a, FundBody(fund_body, create));
  s.points.push_back({"fund created by a final CREATE_FUND decision", w.size()});
  const EventId cash = w.Put(b, CashContributionBody(60'000, "EUR", &fund));
  w.Put(a, ReceiptBody(cash, 60'000));
  w.Put(b, StaffTimeBody(12'500, 8'500));  // 12.5 h at 85.00 = 1062.50
  const v1::Event second = CashContributionBody(7'000);
  const EventId second_id = w.Put(b, second);
  w.Put(b, ReversalBody(second, second_id));
  s.points.push_back({"contributions, a receipt and a reversal", w.size()});
  const EventId drawdown = w.Decide(a, DrawdownBody(fund, 25'000, b.public_key()));
  s.points.push_back({"drawdown approved, not disbursed", w.size()});
  w.Put(a, DisbursementBody(drawdown, 25'000));
  s.points.push_back({"drawdown disbursed", w.size()});
  v1::Fund relief_body = TestFund(a.public_key(), "EUR", "Relief fund");
  relief_body.mutable_restriction()->set_kind(v1::RESTRICTION_KIND_PURPOSE);
  relief_body.mutable_restriction()->set_text("Flood relief");
  const EventId relief =
      w.Put(a, FundBody(relief_body, w.Decide(a, CreateFundProposalBody(relief_body))));
  w.Put(a, ReceiptBody(w.Put(b, CashContributionBody(10'000, "EUR", &relief)), 10'000));
  const EventId off_purpose = w.Decide(a, DrawdownBody(relief, 4'000, b.public_key()));
  w.Put(a, DisbursementBody(off_purpose, 4'000));  // rejected: not the fund's purpose
  s.points.push_back(
      {"a purpose-restricted fund: a drawdown for another purpose is refused", w.size()});
  v1::Event on_purpose = DrawdownBody(relief, 10'000, b.public_key());
  on_purpose.mutable_proposal()->mutable_allocate()->set_purpose("Flood relief");
  w.Put(a, DisbursementBody(w.Decide(a, on_purpose), 10'000));
  s.points.push_back({"the drawdown that states the restriction's purpose is disbursed", w.size()});
  s.events = std::move(w.events());
  return s;
}

VectorScenario Convenings() {
  const SigningKey a = TestKey('a'), b = TestKey('b'), c = TestKey('c');
  VectorScenario s = Named(
      "convenings",
      "Founder a admits b and c and proposes a campaign; a convenes b by name with the proposal "
      "on the agenda; b attends (c, not invited, is refused; b's second attendance too); a "
      "records minutes twice; b adds an action item it owns; a (the convener) and b complete "
      "it without seeing each other: both stand, the first in canonical order counts.");
  Writer w(a, TestCharter());
  w.Admit(a, b);
  w.Admit(a, c);
  const EventId proposal = w.Put(a, ProposalBody(v1::DECISION_TYPE_OPEN_CAMPAIGN));
  s.points.push_back({"no convening yet: the convenings part writes nothing", w.size()});
  const EventId convening =
      w.Put(a, ConveningBody(1'800'000'000'000, {proposal}, {b.public_key()}));
  w.Put(b, AttendanceBody(convening));
  w.Put(c, AttendanceBody(convening));  // not invited: rejected
  w.Put(b, AttendanceBody(convening));  // again: rejected
  s.points.push_back({"a convening with one attendee and two refused attendances", w.size()});
  w.Put(a, MinutesBody(convening, "Draft"));
  w.Put(a, MinutesBody(convening, "Agreed: open the appeal"));
  const EventId action = w.Put(b, ActionBody(convening, b.public_key(), 1'800'100'000'000));
  s.points.push_back({"minutes twice; an action item recorded by the attendee", w.size()});
  // a completes it having seen it; b, the owner, without having seen a's completion.
  w.Put(a, CompletionBody(action, "done, says the convener"));
  w.events().push_back(w.history().AppendWithDeps(b, CompletionBody(action, "done"), {}));
  s.points.push_back({"two concurrent completions: both stand", w.size()});
  s.events = std::move(w.events());
  return s;
}

VectorScenario HealthScenario() {
  const SigningKey a = TestKey('a'), b = TestKey('b');
  VectorScenario s =
      Named("health", "Founder a admits b; b and a check the pulse (4, then 2, then b's 5).");
  Writer w(a, TestCharter());
  w.Admit(a, b);
  s.points.push_back({"no pulse check yet: the health part writes nothing", w.size()});
  w.Put(b, PulseCheckBody(4));
  w.Put(a, PulseCheckBody(2));
  w.Put(b, PulseCheckBody(5));
  s.points.push_back({"three pulse checks", w.size()});
  s.events = std::move(w.events());
  return s;
}

v1::Event StrategyVersionBody(const std::string& title, const EventId* parent,
                              const OrgKey* owner) {
  v1::Event e;
  v1::StrategyVersion* v = e.mutable_strategy_version();
  v->set_document(v1::STRATEGY_DOCUMENT_STRATEGIC_PLAN);
  v->set_title(title);
  v->set_content("Restore the estuary.\n");
  if (parent != nullptr) v->set_parent_version_id(parent->Bytes());
  v1::Indicator* i = v->add_indicators();
  i->set_key("volunteers");
  i->set_name("Volunteers trained");
  i->set_unit("people");
  i->set_level(v1::INDICATOR_LEVEL_EARLY);
  i->set_target(40);
  i->set_frequency(v1::REPORTING_FREQUENCY_QUARTERLY);
  if (owner != nullptr) i->set_owner(owner->Bytes());
  v1::StrategyGoal* g = v->add_goals();
  g->set_key("restore");
  g->set_text("Restore the estuary");
  g->add_indicator_keys("volunteers");
  return e;
}

v1::Event AdoptBody(const std::string& version_bytes) {
  v1::Event e = ProposalBody(v1::DECISION_TYPE_ADOPT_STRATEGY);
  e.mutable_proposal()->set_strategy_version_id(version_bytes);
  return e;
}

VectorScenario StrategyScenario() {
  const SigningKey a = TestKey('a'), b = TestKey('b');
  VectorScenario s = Named(
      "strategy",
      "Founder a admits b; a drafts a strategic plan with an indicator b owns; b and a draft two "
      "revisions of it without seeing each other (alternatives); a version based on an unknown "
      "one is rejected; an adoption of b's revision turns final (current), then a later-proposed "
      "adoption of a's (current in its place); an adoption naming no version passes and adopts "
      "nothing.");
  Writer w(a, TestCharter());
  w.Admit(a, b);
  s.points.push_back({"no strategy version yet: the strategy part writes nothing", w.size()});
  const OrgKey owner = b.public_key();
  const EventId v1 = w.Put(a, StrategyVersionBody("Plan 2027", nullptr, &owner));
  const EventId v2 = w.Put(b, StrategyVersionBody("Plan 2027, more", &v1, nullptr));
  w.events().push_back(
      w.history().AppendWithDeps(a, StrategyVersionBody("Plan 2027, lean", &v1, nullptr), {}));
  const EventId v3 = w.events().back().id;
  const EventId unknown = EventId::FromBytes(std::string(32, '\x5a')).value();
  w.Put(a, StrategyVersionBody("Plan on nothing", &unknown, nullptr));  // rejected: NOT_FOUND
  s.points.push_back({"three versions, two alternatives on one base, one rejected", w.size()});
  w.Decide(a, AdoptBody(v2.Bytes()));
  s.points.push_back({"b's revision adopted: current", w.size()});
  w.Decide(b, AdoptBody(v3.Bytes()));
  w.Decide(a, AdoptBody(unknown.Bytes()));
  s.points.push_back(
      {"a later-proposed adoption makes a's revision current; one naming no version adopts "
       "nothing",
       w.size()});
  s.events = std::move(w.events());
  return s;
}

v1::Event ReportBody(const EventId& version, const std::string& key, const std::string& period,
                     int64_t value, const EventId* revises) {
  v1::Event e;
  v1::IndicatorReport* r = e.mutable_indicator_report();
  r->set_strategy_version_id(version.Bytes());
  r->set_indicator_key(key);
  r->set_period(period);
  r->set_value(value);
  if (revises != nullptr) r->set_revises(revises->Bytes());
  return e;
}

VectorScenario MeasurementScenario() {
  const SigningKey a = TestKey('a'), b = TestKey('b');
  VectorScenario s = Named(
      "measurement",
      "Founder a admits b and drafts a plan with a quarterly indicator; b and a report it for "
      "2026-Q3; b reports again without revising (rejected), then revises its report; a report "
      "with a monthly period (rejected) and one of an unknown indicator (rejected).");
  Writer w(a, TestCharter());
  w.Admit(a, b);
  const EventId version = w.Put(a, StrategyVersionBody("Plan 2027", nullptr, nullptr));
  s.points.push_back({"no report yet: the measurement part writes nothing", w.size()});
  const EventId first = w.Put(b, ReportBody(version, "volunteers", "2026-Q3", 5, nullptr));
  w.Put(a, ReportBody(version, "volunteers", "2026-Q3", 3, nullptr));
  w.Put(b, ReportBody(version, "volunteers", "2026-Q3", 6, nullptr));  // rejected: revise it
  s.points.push_back({"two reports; a second one without revises rejected", w.size()});
  w.Put(b, ReportBody(version, "volunteers", "2026-Q3", 7, &first));
  w.Put(b, ReportBody(version, "volunteers", "2026-07", 1, nullptr));  // rejected: quarterly
  w.Put(b, ReportBody(version, "fish", "2026-Q3", 1, nullptr));        // rejected: no such key
  s.points.push_back({"a revision; a wrong period and an unknown indicator rejected", w.size()});
  s.events = std::move(w.events());
  return s;
}

VectorScenario TeamsScenario() {
  const SigningKey a = TestKey('a'), b = TestKey('b'), c = TestKey('c');
  VectorScenario s = Named(
      "teams",
      "Founder a admits b and c and drafts a plan with the goal 'restore'; a forms an active "
      "team with b linked to that goal (b's version, not a lead's, is rejected); a hands the "
      "lead to b, b adds c as a second lead (a version by a, no longer a lead, is rejected); b "
      "closes the team while c, not having seen that, sets it dormant: both stand, c's sorts "
      "after the close and states the team, which stays closed; a version after the close is "
      "rejected; c withdraws from the group.");
  Writer w(a, TestCharter());
  w.Admit(a, b);
  w.Admit(a, c);
  w.Put(a, StrategyVersionBody("Plan 2027", nullptr, nullptr));  // has the goal 'restore'
  s.points.push_back({"no team yet: the teams part writes nothing", w.size()});
  v1::Event formed = TeamBody({a.public_key()}, {b.public_key()}, v1::TEAM_STATUS_ACTIVE);
  formed.mutable_action_team()->add_goal_keys("restore");
  formed.mutable_action_team()->set_fiscal_host(a.public_key().Bytes());
  formed.mutable_action_team()->set_review_ms(1'800'000'000'000);
  const EventId team = w.Put(a, formed);
  w.Put(b, TeamVersionBody(team, TeamBody({a.public_key()}, {b.public_key()},
                                          v1::TEAM_STATUS_DORMANT)));  // rejected: not a lead
  s.points.push_back({"a team formed; a participant's version rejected", w.size()});
  w.Put(a, TeamVersionBody(team,
                           TeamBody({b.public_key()}, {a.public_key()}, v1::TEAM_STATUS_ACTIVE)));
  const EventId two_leads =
      w.Put(b, TeamVersionBody(team, TeamBody({b.public_key(), c.public_key()}, {a.public_key()},
                                              v1::TEAM_STATUS_ACTIVE)));
  const EventId not_lead =
      w.Put(a, TeamVersionBody(team, TeamBody({a.public_key()}, {},
                                              v1::TEAM_STATUS_ACTIVE)));  // rejected: not a lead
  s.points.push_back({"the lead handed to b, c a second lead; a's version rejected", w.size()});
  // b closes having seen only its own version; c, having seen a's rejected version too (so c's
  // version sorts after the close), sets the team dormant without seeing the close.
  w.events().push_back(w.history().AppendWithDeps(
      b,
      TeamVersionBody(team, TeamBody({b.public_key(), c.public_key()}, {a.public_key()},
                                     v1::TEAM_STATUS_CLOSED)),
      {}));  // b's own previous event is two_leads
  w.events().push_back(w.history().AppendWithDeps(
      c,
      TeamVersionBody(team, TeamBody({b.public_key(), c.public_key()}, {a.public_key()},
                                     v1::TEAM_STATUS_DORMANT)),
      {two_leads, not_lead}));
  s.points.push_back(
      {"a close and a concurrent version: both stand, the team is closed", w.size()});
  w.Put(c, TeamVersionBody(team, TeamBody({b.public_key(), c.public_key()}, {},
                                          v1::TEAM_STATUS_ACTIVE)));  // rejected: closed
  w.Put(c, WithdrawalBody());
  s.points.push_back({"a version after the close rejected; c withdrew", w.size()});
  s.events = std::move(w.events());
  return s;
}

VectorScenario TeamLeadsScenario() {
  const SigningKey a = TestKey('a'), b = TestKey('b'), c = TestKey('c');
  VectorScenario s = Named(
      "team_leads",
      "Founder a admits b and c and forms an active team led by a with b (docs/PROTOCOL.md "
      "§5.17.1); c, not among the team's orgs it names, proposes the team's leads (rejected); b "
      "proposes that b lead it, naming a and b as the team: the electorate is a and b only, c's "
      "stance is rejected, a and b agree and acknowledge, and the team gains a decided version "
      "(b leads, a stays a participant); b then names b and c as the team (forged): c and b "
      "pass it, and it changes nothing; a's version, no longer a lead's, is rejected; b's "
      "version adds c.");
  Writer w(a, TestCharter());
  w.Admit(a, b);
  w.Admit(a, c);
  const EventId team =
      w.Put(a, TeamBody({a.public_key()}, {b.public_key()}, v1::TEAM_STATUS_ACTIVE));
  std::vector<OrgKey> orgs = {a.public_key(), b.public_key()};
  std::sort(orgs.begin(), orgs.end());
  w.Put(c, TeamLeadsBody(team, {b.public_key()}, orgs));  // rejected: c is not among them
  s.points.push_back({"a team of a and b; c's TEAM_LEADS proposal rejected", w.size()});
  const EventId p = w.Put(b, TeamLeadsBody(team, {b.public_key()}, orgs));
  w.Put(c, StanceBody(p, kAgree));  // rejected: not in the electorate
  w.Put(a, StanceBody(p, kAgree));
  w.Put(b, StanceBody(p, kAgree));
  s.points.push_back({"b's TEAM_LEADS proposal closed (all voted), not final yet", w.size()});
  w.Put(a, AcknowledgementBody({p}));
  w.Put(b, AcknowledgementBody({p}));
  s.points.push_back({"final and passed: the team's decided version, b leads", w.size()});
  std::vector<OrgKey> forged = {b.public_key(), c.public_key()};
  std::sort(forged.begin(), forged.end());
  const EventId hijack = w.Put(b, TeamLeadsBody(team, {c.public_key()}, forged));
  w.Put(b, StanceBody(hijack, kAgree));
  w.Put(c, StanceBody(hijack, kAgree));
  w.Put(b, AcknowledgementBody({hijack}));
  w.Put(c, AcknowledgementBody({hijack}));
  s.points.push_back({"a decision naming other orgs than the team's: passed, no effect", w.size()});
  w.Put(a, TeamVersionBody(team, TeamBody({a.public_key()}, {b.public_key()},
                                          v1::TEAM_STATUS_DORMANT)));  // rejected: not a lead
  w.Put(b, TeamVersionBody(team, TeamBody({b.public_key()}, {a.public_key(), c.public_key()},
                                          v1::TEAM_STATUS_ACTIVE)));
  s.points.push_back({"a's version rejected; b's version adds c", w.size()});
  s.events = std::move(w.events());
  return s;
}

VectorScenario ConditionsWriteOffAndLeaving() {
  const SigningKey a = TestKey('a'), b = TestKey('b'), c = TestKey('c');
  VectorScenario s =
      Named("conditions_writeoff_leaving",
            "Founder a admits b and c and opens a campaign; b pledges on a condition that a (the "
            "fiscal host) declares met; c pledges, is paid in part, and the rest is written off "
            "by a final WRITE_OFF decision; c gives notice and b withdraws.");
  v1::Charter charter = TestCharter();
  *charter.add_decision_rules() =
      MakeDecisionRule(v1::DECISION_TYPE_WRITE_OFF, v1::DECISION_PROCESS_CONSENT);
  Writer w(a, charter);
  w.Admit(a, b);
  w.Admit(a, c);
  const EventId campaign = w.Put(a, CampaignBody(TestCampaign(200'000)));
  v1::PledgeTerms conditional = TestTerms(50'000);
  conditional.mutable_condition()->set_barrier("matching grant awarded");
  conditional.mutable_condition()->set_right_of_release("released if no grant by June");
  const EventId pb = w.Put(b, PledgeBody(campaign, conditional));
  const EventId pc = w.Put(c, PledgeBody(campaign, TestTerms(10'000)));
  s.points.push_back({"a conditional pledge (condition unresolved)", w.size()});
  w.Put(a, ConditionBody(pb, v1::CONDITION_OUTCOME_MET));
  w.Put(a, PaymentBody(pc, 4'000));
  const EventId write_off = w.Decide(a, WriteOffProposalBody(pc, 6'000));
  w.Put(a, WriteOffBody(pc, write_off, 6'000));
  s.points.push_back({"condition met; the rest of a partly paid pledge written off", w.size()});
  w.Put(c, NoticeBody());
  // The charter's notice period is 0: effective at once. The fold keeps notice_given; views
  // show withdrawn from the effective time on (docs/PROTOCOL.md §5.7).
  s.points.push_back(
      {"c gave notice, effective at once: notice_given in the state, withdrawn in views",
       w.size()});
  w.Put(b, WithdrawalBody());
  s.points.push_back({"b withdrew", w.size()});
  s.events = std::move(w.events());
  return s;
}

}  // namespace

std::vector<VectorScenario> BuildScenarios() {
  std::vector<VectorScenario> out;
  out.push_back(MembershipAndFundraising());
  out.push_back(Fork());
  out.push_back(Pooled());
  out.push_back(ConditionsWriteOffAndLeaving());
  out.push_back(Convenings());
  out.push_back(HealthScenario());
  out.push_back(StrategyScenario());
  out.push_back(MeasurementScenario());
  out.push_back(TeamsScenario());
  out.push_back(TeamLeadsScenario());
  return out;
}

absl::StatusOr<json> DeriveDocument(const VectorScenario& scenario) {
  if (scenario.events.empty() || !scenario.events.front().is_genesis()) {
    return absl::InvalidArgumentError("a scenario starts with its genesis event");
  }
  core::Group group(scenario.events.front().group);
  json events = json::array();
  json points = json::array();
  size_t next_point = 0;
  auto take_points = [&](size_t inserted) -> absl::Status {
    for (; next_point < scenario.points.size() && scenario.points[next_point].after == inserted;
         ++next_point) {
      absl::StatusOr<json> point = PointDocument(group, scenario.points[next_point]);
      if (!point.ok()) return point.status();
      points.push_back(*std::move(point));
    }
    return absl::OkStatus();
  };
  if (absl::Status s = take_points(0); !s.ok()) return s;
  for (size_t i = 0; i < scenario.events.size(); ++i) {
    const VerifiedEvent& e = scenario.events[i];
    absl::StatusOr<core::InsertResult> result = group.Insert(e);
    if (!result.ok()) return result.status();
    std::string receive;
    if (result->admission == core::Admission::kReady) {
      receive = "inserted";
    } else if (result->admission == core::Admission::kFork) {
      receive = "fork";
    } else {
      return absl::InvalidArgumentError("event " + std::to_string(i) +
                                        " is neither inserted nor a fork where it arrives");
    }
    events.push_back({{"id", e.id.Hex()},
                      {"event", ToHex(e.event_bytes)},
                      {"signature", ToHex(e.signature)},
                      {"author", e.author.Hex()},
                      {"seq", e.seq},
                      {"receive", receive}});
    if (absl::Status s = take_points(i + 1); !s.ok()) return s;
  }
  if (next_point != scenario.points.size()) {
    return absl::InvalidArgumentError("a point lies beyond the events or out of order");
  }
  return json{{"format", "constellation-test-vectors/1"},
              {"name", scenario.name},
              {"description", scenario.description},
              {"group_id", scenario.events.front().id.Hex()},
              {"events", events},
              {"points", points}};
}

absl::StatusOr<VectorScenario> ParseScenario(const json& document) {
  if (!document.is_object() || document.value("format", "") != "constellation-test-vectors/1") {
    return absl::InvalidArgumentError("not a constellation-test-vectors/1 document");
  }
  VectorScenario s;
  s.name = document.value("name", "");
  s.description = document.value("description", "");
  if (!document.contains("events") || !document["events"].is_array() ||
      !document.contains("points") || !document["points"].is_array()) {
    return absl::InvalidArgumentError("a vector document has events and points arrays");
  }
  for (const json& entry : document["events"]) {
    if (!entry.is_object()) return absl::InvalidArgumentError("an event entry is not an object");
    absl::StatusOr<std::string> event = FromHex(entry.value("event", json()), "event");
    if (!event.ok()) return event.status();
    absl::StatusOr<std::string> signature = FromHex(entry.value("signature", json()), "signature");
    if (!signature.ok()) return signature.status();
    v1::SignedEvent signed_event;
    signed_event.set_event(*event);
    signed_event.set_signature(*signature);
    absl::StatusOr<VerifiedEvent> verified = core::VerifySignedEvent(signed_event);
    if (!verified.ok()) return verified.status();
    s.events.push_back(*std::move(verified));
  }
  for (const json& point : document["points"]) {
    if (!point.is_object() || !point.contains("after") || !point["after"].is_number_unsigned()) {
      return absl::InvalidArgumentError("a point has no event count 'after'");
    }
    s.points.push_back({point.value("label", ""), point["after"].get<size_t>()});
  }
  return s;
}

}  // namespace constellation::vectors
