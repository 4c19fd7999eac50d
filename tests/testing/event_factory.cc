#include "tests/testing/event_factory.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>

#include "server/base/check.h"
#include "server/base/limits.h"

namespace constellation::testing {
namespace {

template <typename T>
T ValueOrDie(absl::StatusOr<T> value, const char* what) {
  if (!value.ok()) {
    std::fprintf(stderr, "event_factory: %s failed: %s\n", what, value.status().ToString().c_str());
    std::abort();
  }
  return std::move(value).value();
}

}  // namespace

core::SigningKey TestKey(char fill) {
  return ValueOrDie(core::SigningKey::FromSeed(std::string(core::kSeedSizeBytes, fill)),
                    "SigningKey::FromSeed");
}

v1::Money MakeMoney(int64_t amount_minor, const std::string& currency) {
  v1::Money m;
  m.set_amount_minor(amount_minor);
  m.set_currency(currency);
  return m;
}

v1::Charter TestCharter(const std::string& name, const std::string& founder_name) {
  v1::Charter c;
  c.set_name(name);
  c.set_common_agenda("Restore the estuary together.");
  c.set_kind(v1::GROUP_KIND_PARTNERSHIP);
  c.set_base_currency("EUR");
  c.mutable_founder()->set_name(founder_name);
  // Members open campaigns alone in tests (docs/PROTOCOL.md §5.11.1); a charter without this
  // rule requires an OPEN_CAMPAIGN decision.
  v1::DecisionRule* open_campaign = c.add_decision_rules();
  open_campaign->set_decision_type(v1::DECISION_TYPE_OPEN_CAMPAIGN);
  open_campaign->set_process(v1::DECISION_PROCESS_CONSENT);
  open_campaign->set_member_acts_alone(true);
  return c;
}

v1::Campaign TestCampaign(int64_t goal_minor, const std::string& currency, uint64_t deadline_ms) {
  v1::Campaign c;
  c.set_name("Dune replanting 2026");
  *c.mutable_goal() = MakeMoney(goal_minor, currency);
  c.set_deadline_ms(deadline_ms);
  return c;
}

v1::PledgeTerms TestTerms(int64_t amount_minor, const std::string& currency) {
  v1::PledgeTerms t;
  *t.mutable_amount() = MakeMoney(amount_minor, currency);
  return t;
}

v1::PledgeTerms TestTermsWithInstallments(
    const std::vector<std::pair<uint64_t, int64_t>>& installments, const std::string& currency) {
  int64_t sum = 0;
  v1::PledgeTerms t;
  for (const auto& [due_ms, amount_minor] : installments) {
    v1::Installment* in = t.add_installments();
    in->set_due_ms(due_ms);
    in->set_amount_minor(amount_minor);
    sum += amount_minor;
  }
  *t.mutable_amount() = MakeMoney(sum, currency);
  return t;
}

v1::Event CharterBody(const v1::Charter& charter) {
  v1::Event e;
  *e.mutable_charter() = charter;
  return e;
}

v1::Event CampaignBody(const v1::Campaign& campaign) {
  v1::Event e;
  *e.mutable_campaign() = campaign;
  return e;
}

v1::Event PledgeBody(const core::EventId& campaign, const v1::PledgeTerms& terms) {
  v1::Event e;
  e.mutable_pledge()->set_campaign_id(campaign.Bytes());
  *e.mutable_pledge()->mutable_terms() = terms;
  return e;
}

v1::Event AmendmentBody(const core::EventId& pledge, const v1::PledgeTerms& terms,
                        const std::string& reason) {
  v1::Event e;
  e.mutable_pledge_amendment()->set_pledge_id(pledge.Bytes());
  *e.mutable_pledge_amendment()->mutable_terms() = terms;
  e.mutable_pledge_amendment()->set_reason(reason);
  return e;
}

v1::Event CancellationBody(const core::EventId& pledge, const std::string& reason) {
  v1::Event e;
  e.mutable_pledge_cancellation()->set_pledge_id(pledge.Bytes());
  e.mutable_pledge_cancellation()->set_reason(reason);
  return e;
}

v1::Event PaymentBody(const core::EventId& pledge, int64_t amount_minor,
                      const std::string& currency, uint64_t received_ms) {
  v1::Event e;
  v1::PaymentReceipt* r = e.mutable_payment_receipt();
  r->set_pledge_id(pledge.Bytes());
  *r->mutable_amount() = MakeMoney(amount_minor, currency);
  r->set_received_ms(received_ms);
  r->set_external_ref("bank-ref-0001");
  return e;
}

v1::Event UnappliedPaymentBody(const core::EventId& pledge, int64_t amount_minor,
                               const std::string& currency) {
  v1::Event e = PaymentBody(pledge, amount_minor, currency);
  e.mutable_payment_receipt()->set_unapplied(true);
  return e;
}

v1::Event WriteOffBody(const core::EventId& pledge, const core::EventId& proposal,
                       int64_t amount_minor, const std::string& currency) {
  v1::Event e;
  v1::WriteOff* w = e.mutable_write_off();
  w->set_pledge_id(pledge.Bytes());
  w->set_proposal_id(proposal.Bytes());
  *w->mutable_amount() = MakeMoney(amount_minor, currency);
  w->set_reason_code("uncollectible");
  return e;
}

v1::Event WriteOffProposalBody(const core::EventId& pledge, int64_t amount_minor,
                               const std::string& currency) {
  v1::Event e = ProposalBody(v1::DECISION_TYPE_WRITE_OFF);
  e.mutable_proposal()->mutable_write_off()->set_pledge_id(pledge.Bytes());
  *e.mutable_proposal()->mutable_write_off()->mutable_amount() =
      MakeMoney(amount_minor, currency);
  return e;
}

v1::Event OpenCampaignProposalBody(const v1::Campaign& campaign) {
  v1::Event e = ProposalBody(v1::DECISION_TYPE_OPEN_CAMPAIGN);
  *e.mutable_proposal()->mutable_campaign() = campaign;
  return e;
}

v1::Event ConditionBody(const core::EventId& pledge, v1::ConditionOutcome outcome) {
  v1::Event e;
  e.mutable_pledge_condition()->set_pledge_id(pledge.Bytes());
  e.mutable_pledge_condition()->set_outcome(outcome);
  e.mutable_pledge_condition()->set_note("board decided");
  return e;
}

v1::Event PulseCheckBody(uint32_t alignment) {
  v1::Event e;
  e.mutable_pulse_check()->set_alignment(alignment);
  e.mutable_pulse_check()->set_comment("steady");
  return e;
}

v1::Event NotFoldedBody() {
  v1::Event e;
  e.mutable_drawdown_request()->set_fund_id(std::string(32, '\x0f'));
  e.mutable_drawdown_request()->set_purpose("kept as history only");
  return e;
}

v1::Indicator TestIndicator(const std::string& key) {
  v1::Indicator i;
  i.set_key(key);
  i.set_name("Households reached");
  i.set_definition("Households that took part in a restoration day.");
  i.set_unit("households");
  i.set_level(v1::INDICATOR_LEVEL_EARLY);
  i.set_baseline(0);
  i.set_target(100);
  i.set_frequency(v1::REPORTING_FREQUENCY_QUARTERLY);
  return i;
}

v1::StrategyVersion TestStrategyVersion(v1::StrategyDocument document,
                                        const std::optional<core::EventId>& parent,
                                        const std::string& title) {
  v1::StrategyVersion v;
  v.set_document(document);
  v.set_title(title);
  v.set_content("We restore the estuary together.\nEvery member reports quarterly.");
  if (parent.has_value()) v.set_parent_version_id(parent->Bytes());
  *v.add_indicators() = TestIndicator("households-reached");
  v1::StrategyGoal* goal = v.add_goals();
  goal->set_key("engage-households");
  goal->set_text("Engage the households of the estuary.");
  goal->add_indicator_keys("households-reached");
  return v;
}

v1::Event StrategyVersionBody(const v1::StrategyVersion& version) {
  v1::Event e;
  *e.mutable_strategy_version() = version;
  return e;
}

v1::Event AdoptStrategyBody(const core::EventId& version, uint64_t deadline_ms) {
  v1::Event e = ProposalBody(v1::DECISION_TYPE_ADOPT_STRATEGY, deadline_ms);
  e.mutable_proposal()->set_strategy_version_id(version.Bytes());
  e.mutable_proposal()->set_title("Adopt " + version.ShortHex());
  return e;
}

v1::Event IndicatorReportBody(const core::EventId& version, const std::string& period,
                              int64_t value, const std::optional<core::EventId>& revises,
                              const std::string& indicator_key) {
  v1::Event e;
  v1::IndicatorReport* r = e.mutable_indicator_report();
  r->set_strategy_version_id(version.Bytes());
  r->set_indicator_key(indicator_key);
  r->set_period(period);
  r->set_value(value);
  r->set_note("Counted at the restoration days.");
  if (revises.has_value()) r->set_revises(revises->Bytes());
  return e;
}

v1::DecisionRule MakeDecisionRule(v1::DecisionType type, v1::DecisionProcess process,
                                  uint32_t quorum_bps, uint32_t threshold_bps,
                                  uint64_t voting_window_ms, bool coordinators_vote) {
  v1::DecisionRule r;
  r.set_decision_type(type);
  r.set_process(process);
  r.set_quorum_bps(quorum_bps);
  r.set_threshold_bps(threshold_bps);
  r.set_voting_window_ms(voting_window_ms);
  r.set_coordinators_vote(coordinators_vote);
  return r;
}

v1::Event ProposalBody(v1::DecisionType type, uint64_t deadline_ms) {
  static const std::string kSomeId(32, '\x42');
  v1::Event e;
  v1::Proposal* p = e.mutable_proposal();
  p->set_decision_type(type);
  p->set_title("Proposal");
  p->set_text("Details for the members.");
  p->set_deadline_ms(deadline_ms);
  switch (type) {
    case v1::DECISION_TYPE_ADMIT:
      p->mutable_admit()->mutable_card()->set_key(kSomeId);
      p->mutable_admit()->mutable_card()->set_name("Invitee");
      break;
    case v1::DECISION_TYPE_EXPEL:
      p->mutable_expel()->set_member(kSomeId);
      p->mutable_expel()->set_reason("default on obligations");
      break;
    case v1::DECISION_TYPE_ADOPT_STRATEGY:
      p->set_strategy_version_id(kSomeId);
      break;
    case v1::DECISION_TYPE_ALLOCATE_FUNDS:
      p->mutable_allocate()->set_fund_id(kSomeId);
      *p->mutable_allocate()->mutable_amount() = MakeMoney(10'000);
      p->mutable_allocate()->set_recipient(kSomeId);
      break;
    case v1::DECISION_TYPE_OPEN_CAMPAIGN:
      *p->mutable_campaign() = TestCampaign(100'000);
      break;
    case v1::DECISION_TYPE_AMEND_CHARTER:
      *p->mutable_charter() = TestCharter("Amended Partnership");
      break;
    case v1::DECISION_TYPE_WRITE_OFF:
      p->mutable_write_off()->set_pledge_id(kSomeId);
      *p->mutable_write_off()->mutable_amount() = MakeMoney(500);
      p->mutable_write_off()->set_reason_code("uncollectible");
      break;
    case v1::DECISION_TYPE_DISSOLVE:
      p->set_dissolution_plan("Distribute remaining assets pro rata.");
      break;
    case v1::DECISION_TYPE_TEAM_LEADS:
      p->mutable_team_leads()->set_team_id(kSomeId);
      p->mutable_team_leads()->add_leads(kSomeId);
      p->mutable_team_leads()->add_team_orgs(kSomeId);
      break;
    default:
      break;
  }
  return e;
}

v1::Event AdmitBody(const core::OrgKey& invitee, v1::Role role, uint32_t voting_weight,
                    uint64_t deadline_ms) {
  v1::Event e = ProposalBody(v1::DECISION_TYPE_ADMIT, deadline_ms);
  v1::AdmitPayload* a = e.mutable_proposal()->mutable_admit();
  a->mutable_card()->set_key(invitee.Bytes());
  a->set_role(role);
  a->set_voting_weight(voting_weight);
  e.mutable_proposal()->set_title("Admit " + invitee.ShortHex());
  return e;
}

v1::Event ExpelBody(const core::OrgKey& member, uint64_t deadline_ms) {
  v1::Event e = ProposalBody(v1::DECISION_TYPE_EXPEL, deadline_ms);
  e.mutable_proposal()->mutable_expel()->set_member(member.Bytes());
  e.mutable_proposal()->set_title("Expel " + member.ShortHex());
  return e;
}

v1::Event StanceBody(const core::EventId& proposal, v1::StanceChoice choice,
                     const std::string& reason) {
  v1::Event e;
  e.mutable_stance()->set_proposal_id(proposal.Bytes());
  e.mutable_stance()->set_choice(choice);
  e.mutable_stance()->set_reason(reason);
  return e;
}

v1::Event ProposalCloseBody(const core::EventId& proposal) {
  v1::Event e;
  e.mutable_proposal_close()->set_proposal_id(proposal.Bytes());
  return e;
}

v1::Event AcknowledgementBody(const std::vector<core::EventId>& proposals) {
  v1::Event e;
  v1::Acknowledgement* ack = e.mutable_acknowledgement();
  for (const core::EventId& id : proposals) ack->add_proposal_ids(id.Bytes());
  return e;
}

v1::Event AcceptanceBody(const core::EventId& proposal, const std::string& name) {
  v1::Event e;
  e.mutable_membership_acceptance()->set_proposal_id(proposal.Bytes());
  e.mutable_membership_acceptance()->mutable_profile()->set_name(name);
  e.mutable_membership_acceptance()->mutable_profile()->add_endpoints("node.example:7400");
  return e;
}

v1::Event NoticeBody(uint64_t effective_ms, const std::string& reason) {
  v1::Event e;
  e.mutable_membership_notice()->set_effective_ms(effective_ms);
  e.mutable_membership_notice()->set_reason(reason);
  return e;
}

v1::Event WithdrawalBody(const std::string& reason) {
  v1::Event e;
  e.mutable_membership_withdrawal()->set_reason(reason);
  return e;
}

v1::SignedEvent SignUnchecked(const v1::Event& event, const core::SigningKey& key) {
  v1::SignedEvent s;
  s.set_event(event.SerializeAsString());
  core::EventId id = core::EventId::FromArray(core::Sha256(s.event()));
  s.set_signature(key.Sign(core::kEventSignatureContext, id.Bytes()));
  return s;
}

core::VerifiedEvent SealOrDie(const v1::Event& event, const core::SigningKey& key) {
  return ValueOrDie(core::SealEvent(event, key), "SealEvent");
}

std::vector<core::EventId> ParentsOf(const core::VerifiedEvent& e) {
  std::vector<core::EventId> parents;
  if (!e.event.prev().empty()) {
    parents.push_back(ValueOrDie(core::EventId::FromBytes(e.event.prev()), "prev"));
  }
  for (const std::string& dep : e.event.deps()) {
    parents.push_back(ValueOrDie(core::EventId::FromBytes(dep), "dep"));
  }
  return parents;
}

HistoryBuilder::HistoryBuilder(const core::SigningKey& founder, const v1::Charter& charter,
                               uint64_t genesis_wall_ms) {
  v1::Event e = CharterBody(charter);
  e.set_format_version(limits::kEventFormatVersion);
  e.set_author(founder.public_key().Bytes());
  e.set_seq(1);
  *e.mutable_hlc() = core::Hlc{genesis_wall_ms, 0}.ToProto();
  core::VerifiedEvent genesis = SealOrDie(e, founder);
  group_ = genesis.group;
  chains_[genesis.author].push_back(genesis.id);
  index_.emplace(genesis.id, 0);
  events_.push_back(std::move(genesis));
}

v1::Event HistoryBuilder::Draft(const core::OrgKey& author, std::vector<core::EventId> deps,
                                std::optional<core::Hlc> hlc) const {
  v1::Event e;
  e.set_format_version(limits::kEventFormatVersion);
  e.set_group_id(group_.Bytes());
  e.set_author(author.Bytes());
  core::Hlc floor;
  auto chain = chains_.find(author);
  const uint64_t length = chain == chains_.end() ? 0 : chain->second.size();
  e.set_seq(length + 1);
  if (length > 0) {
    e.set_prev(chain->second.back().Bytes());
    floor = Get(chain->second.back()).hlc;
  }
  std::sort(deps.begin(), deps.end());
  for (const core::EventId& dep : deps) {
    e.add_deps(dep.Bytes());
    floor = std::max(floor, Get(dep).hlc);
  }
  *e.mutable_hlc() = hlc.value_or(core::Hlc{floor.wall_ms + 1, 0}).ToProto();
  return e;
}

core::VerifiedEvent HistoryBuilder::Append(const core::SigningKey& author, const v1::Event& body) {
  std::vector<core::EventId> deps;
  for (const auto& [other, chain] : chains_) {
    if (other != author.public_key()) deps.push_back(chain.back());
  }
  return AppendWithDeps(author, body, std::move(deps));
}

core::VerifiedEvent HistoryBuilder::AppendAt(const core::SigningKey& author, const v1::Event& body,
                                             core::Hlc hlc) {
  std::vector<core::EventId> deps;
  for (const auto& [other, chain] : chains_) {
    if (other != author.public_key()) deps.push_back(chain.back());
  }
  return AppendWithDeps(author, body, std::move(deps), hlc);
}

core::VerifiedEvent HistoryBuilder::AppendWithDeps(const core::SigningKey& author,
                                                   const v1::Event& body,
                                                   std::vector<core::EventId> deps,
                                                   std::optional<core::Hlc> hlc) {
  v1::Event e = Draft(author.public_key(), std::move(deps), hlc);
  e.MergeFrom(body);
  core::VerifiedEvent sealed = SealOrDie(e, author);
  chains_[sealed.author].push_back(sealed.id);
  index_.emplace(sealed.id, events_.size());
  events_.push_back(sealed);
  return sealed;
}

const std::vector<core::EventId>& HistoryBuilder::Chain(const core::OrgKey& author) const {
  static const std::vector<core::EventId> kEmpty;
  auto it = chains_.find(author);
  return it == chains_.end() ? kEmpty : it->second;
}

std::vector<core::EventId> HistoryBuilder::Heads() const {
  std::vector<core::EventId> heads;
  for (const auto& [author, chain] : chains_) heads.push_back(chain.back());
  return heads;
}

const core::VerifiedEvent& HistoryBuilder::Get(const core::EventId& id) const {
  auto it = index_.find(id);
  if (it == index_.end()) {
    auto branch = branch_index_.find(id);
    CONSTELLATION_CHECK(branch != branch_index_.end());
    return branch_events_[branch->second];
  }
  return events_[it->second];
}

core::VerifiedEvent HistoryBuilder::AppendBranch(const core::SigningKey& author,
                                                 std::optional<core::EventId> after,
                                                 const v1::Event& body,
                                                 std::vector<core::EventId> deps,
                                                 std::optional<core::Hlc> hlc) {
  v1::Event e;
  e.set_format_version(limits::kEventFormatVersion);
  e.set_group_id(group_.Bytes());
  e.set_author(author.public_key().Bytes());
  core::Hlc floor;
  if (after.has_value()) {
    const core::VerifiedEvent& prev = Get(*after);
    CONSTELLATION_CHECK(prev.author == author.public_key());
    e.set_seq(prev.seq + 1);
    e.set_prev(after->Bytes());
    floor = prev.hlc;
  } else {
    e.set_seq(1);
  }
  std::sort(deps.begin(), deps.end());
  for (const core::EventId& dep : deps) {
    e.add_deps(dep.Bytes());
    floor = std::max(floor, Get(dep).hlc);
  }
  *e.mutable_hlc() = hlc.value_or(core::Hlc{floor.wall_ms + 1, 0}).ToProto();
  e.MergeFrom(body);
  core::VerifiedEvent sealed = SealOrDie(e, author);
  branch_index_.emplace(sealed.id, branch_events_.size());
  branch_events_.push_back(sealed);
  return sealed;
}

}  // namespace constellation::testing
