// tests/testing/event_factory.h
//
// Signed events for tests (DESIGN §2): keys from fixed seeds, record bodies with valid
// defaults, and HistoryBuilder, which writes correct chains (seq, prev, deps, hlc) for one
// group so that tests can feed the same events to GroupDag, Group, GroupState or NodeState.
// Everything here is deterministic: the same calls give the same event ids on every run.
// Helpers that cannot fail for well-formed input abort with the status when they do (a bug in
// the test, not in the code under test).
// Thread safety: not thread-safe.
#pragma once

#include <cstdint>
#include <deque>
#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <utility>
#include <vector>

#include "constellation/v1/event.pb.h"
#include "server/core/codec.h"
#include "server/core/crypto.h"
#include "server/core/dag.h"
#include "server/core/hlc.h"
#include "server/core/ids.h"

namespace constellation::core {

// GoogleTest printers, so that failures show ids, stamps and admissions readably.
template <typename Tag>
void PrintTo(const Id32<Tag>& id, std::ostream* os) {
  *os << id.Hex();
}
inline void PrintTo(const Hlc& hlc, std::ostream* os) {
  *os << "(" << hlc.wall_ms << ", " << hlc.logical << ")";
}
inline void PrintTo(const OrderKey& key, std::ostream* os) {
  *os << "(depth " << key.depth << ", " << key.id.ShortHex() << ")";
}
inline void PrintTo(Admission admission, std::ostream* os) {
  switch (admission) {
    case Admission::kReady:
      *os << "kReady";
      return;
    case Admission::kDuplicate:
      *os << "kDuplicate";
      return;
    case Admission::kMissingDeps:
      *os << "kMissingDeps";
      return;
    case Admission::kFork:
      *os << "kFork";
      return;
  }
  *os << "Admission(" << static_cast<int>(admission) << ")";
}

}  // namespace constellation::core

namespace constellation::testing {

// A state hash (GroupState::Hash) as 64 hex characters, for readable comparisons.
inline std::string HashHex(const std::array<uint8_t, 32>& hash) {
  return core::EventId::FromArray(hash).Hex();
}

// The key derived from the seed of 32 copies of `fill` (SigningKey::FromSeed).
core::SigningKey TestKey(char fill);

v1::Money MakeMoney(int64_t amount_minor, const std::string& currency = "EUR");

// A valid charter: name, kind partnership, founder profile named `founder_name`, and an
// OPEN_CAMPAIGN rule with member_acts_alone (members open campaigns without a decision).
v1::Charter TestCharter(const std::string& name = "Coastal Resilience Partnership",
                        const std::string& founder_name = "Harbour Trust");

// A valid campaign with `goal_minor` in `currency`; the fiscal host is left empty (= author).
v1::Campaign TestCampaign(int64_t goal_minor, const std::string& currency = "EUR",
                          uint64_t deadline_ms = 0);

// Pledge terms for `amount_minor` in `currency`, without installments.
v1::PledgeTerms TestTerms(int64_t amount_minor, const std::string& currency = "EUR");

// Pledge terms whose amount is the sum of `installments` ((due_ms, amount_minor) pairs).
v1::PledgeTerms TestTermsWithInstallments(
    const std::vector<std::pair<uint64_t, int64_t>>& installments,
    const std::string& currency = "EUR");

// Events with only the body (oneof) set; the chain fields are the writer's job.
v1::Event CharterBody(const v1::Charter& charter);
v1::Event CampaignBody(const v1::Campaign& campaign);
v1::Event PledgeBody(const core::EventId& campaign, const v1::PledgeTerms& terms);
v1::Event AmendmentBody(const core::EventId& pledge, const v1::PledgeTerms& terms,
                        const std::string& reason = "revised budget");
v1::Event CancellationBody(const core::EventId& pledge, const std::string& reason = "board veto");
v1::Event PaymentBody(const core::EventId& pledge, int64_t amount_minor,
                      const std::string& currency = "EUR", uint64_t received_ms = 1'000);
// (received_ms defaults to HistoryBuilder's genesis time: never after the payment's own time.)
// A payment kept as an unapplied receipt (payment_receipt.unapplied).
v1::Event UnappliedPaymentBody(const core::EventId& pledge, int64_t amount_minor,
                               const std::string& currency = "EUR");
// A write-off of `amount_minor` of `pledge` executing WRITE_OFF proposal `proposal`.
v1::Event WriteOffBody(const core::EventId& pledge, const core::EventId& proposal,
                       int64_t amount_minor, const std::string& currency = "EUR");
// A WRITE_OFF proposal naming `pledge` and `amount_minor`.
v1::Event WriteOffProposalBody(const core::EventId& pledge, int64_t amount_minor,
                               const std::string& currency = "EUR");
// An OPEN_CAMPAIGN proposal whose payload is `campaign`.
v1::Event OpenCampaignProposalBody(const v1::Campaign& campaign);
// The resolution of a conditional pledge's condition.
v1::Event ConditionBody(const core::EventId& pledge, v1::ConditionOutcome outcome);
// A member's pulse check (docs/PROTOCOL.md §5.14); many tests use it as a record of any kind.
v1::Event PulseCheckBody(uint32_t alignment = 4);
// A record type this version keeps as history only (a drawdown_request: v1 drawdowns are
// ALLOCATE_FUNDS proposals, docs/PROTOCOL.md §5.10).
v1::Event NotFoldedBody();

// Decisions and membership (docs/PROTOCOL.md §5).
v1::DecisionRule MakeDecisionRule(v1::DecisionType type, v1::DecisionProcess process,
                                  uint32_t quorum_bps = 0, uint32_t threshold_bps = 0,
                                  uint64_t voting_window_ms = 0, bool coordinators_vote = false);
// A proposal of `type` with a valid payload for it (ADMIT and EXPEL name a fixed org key; use
// AdmitBody / ExpelBody to choose one).
v1::Event ProposalBody(v1::DecisionType type, uint64_t deadline_ms = 0);
v1::Event AdmitBody(const core::OrgKey& invitee, v1::Role role = v1::ROLE_PARTNER,
                    uint32_t voting_weight = 1, uint64_t deadline_ms = 0);
v1::Event ExpelBody(const core::OrgKey& member, uint64_t deadline_ms = 0);
v1::Event StanceBody(const core::EventId& proposal, v1::StanceChoice choice,
                     const std::string& reason = "");
v1::Event ProposalCloseBody(const core::EventId& proposal);
v1::Event AcknowledgementBody(const std::vector<core::EventId>& proposals);
v1::Event AcceptanceBody(const core::EventId& proposal, const std::string& name = "Tide Lab");
v1::Event NoticeBody(uint64_t effective_ms = 0, const std::string& reason = "refocusing");
v1::Event WithdrawalBody(const std::string& reason = "leaving");

// Shared strategy (docs/PROTOCOL.md §5.15).
// A valid indicator `key`: early level, quarterly, baseline 0, target 100, no owner.
v1::Indicator TestIndicator(const std::string& key);
// A valid version of `document` based on `parent` (none: a first version), titled `title`,
// with indicator "households-reached" and one goal measured by it.
v1::StrategyVersion TestStrategyVersion(
    v1::StrategyDocument document = v1::STRATEGY_DOCUMENT_COMMON_AGENDA,
    const std::optional<core::EventId>& parent = std::nullopt,
    const std::string& title = "Common agenda");
v1::Event StrategyVersionBody(const v1::StrategyVersion& version);
// An ADOPT_STRATEGY proposal naming `version`.
v1::Event AdoptStrategyBody(const core::EventId& version, uint64_t deadline_ms = 0);

// Shared measurement (docs/PROTOCOL.md §5.16).
// A report of `value` for `indicator_key` of strategy `version` for `period`, revising
// `revises` when given, with a one-line note.
v1::Event IndicatorReportBody(const core::EventId& version, const std::string& period,
                              int64_t value,
                              const std::optional<core::EventId>& revises = std::nullopt,
                              const std::string& indicator_key = "households-reached");

// Serializes `event` and signs its id with `key` without any check, so codec tests can build
// malformed or wrongly signed events.
v1::SignedEvent SignUnchecked(const v1::Event& event, const core::SigningKey& key);

// SealEvent, aborting with the status if `event` is malformed.
core::VerifiedEvent SealOrDie(const v1::Event& event, const core::SigningKey& key);

// The parents of `e` in the causal graph: its prev (if any) and its deps.
std::vector<core::EventId> ParentsOf(const core::VerifiedEvent& e);

// Writes the events of one group as correct chains. Events are returned in the order they
// were written, which is a valid causal (topological) order.
class HistoryBuilder {
 public:
  // Founds the group: a genesis charter by `founder` with hlc (genesis_wall_ms, 0).
  HistoryBuilder(const core::SigningKey& founder, const v1::Charter& charter,
                 uint64_t genesis_wall_ms = 1'000);

  const core::GroupId& group() const { return group_; }
  const core::VerifiedEvent& genesis() const { return events_.front(); }
  // References stay valid while more events are appended.
  const std::deque<core::VerifiedEvent>& events() const { return events_; }

  // The unsigned next event of `author`: group id, seq, prev, `deps` (sorted here) and an hlc
  // 1 ms after the latest of its parents, unless `hlc` is given. The caller may tamper with it
  // before signing (chain-rule tests).
  v1::Event Draft(const core::OrgKey& author, std::vector<core::EventId> deps,
                  std::optional<core::Hlc> hlc = std::nullopt) const;

  // Appends `author`'s next event with the body (and request_id) of `body`; deps are the
  // latest events of every other author, as a node's own writes (Group::Draft).
  core::VerifiedEvent Append(const core::SigningKey& author, const v1::Event& body);

  // Same with explicit deps (other authors' events held here) and optionally the hlc.
  core::VerifiedEvent AppendWithDeps(const core::SigningKey& author, const v1::Event& body,
                                     std::vector<core::EventId> deps,
                                     std::optional<core::Hlc> hlc = std::nullopt);

  // As Append, with the given hlc (which must be >= the parents').
  core::VerifiedEvent AppendAt(const core::SigningKey& author, const v1::Event& body,
                               core::Hlc hlc);

  // `author`'s events, by seq (index seq - 1).
  const std::vector<core::EventId>& Chain(const core::OrgKey& author) const;
  // The latest event of every author, ordered by author key.
  std::vector<core::EventId> Heads() const;
  const core::VerifiedEvent& Get(const core::EventId& id) const;

  // Fork helpers (DESIGN §2). Appends an event of `author` right after its event `after`
  // (seq = after's seq + 1, prev = after; nullopt: seq 1, no prev), whatever the author's
  // chain already holds there, so that it can compete with the chain's event at that seq. The
  // chain (Chain, Heads, Append's deps) and events() are unchanged; the event is listed in
  // branch_events() and found by Get, so later branch events can follow it. Deps and hlc as
  // for AppendWithDeps.
  core::VerifiedEvent AppendBranch(const core::SigningKey& author,
                                   std::optional<core::EventId> after, const v1::Event& body,
                                   std::vector<core::EventId> deps = {},
                                   std::optional<core::Hlc> hlc = std::nullopt);
  // Events written by AppendBranch, in the order they were written.
  const std::deque<core::VerifiedEvent>& branch_events() const { return branch_events_; }

 private:
  core::GroupId group_;
  std::deque<core::VerifiedEvent> events_;
  std::map<core::EventId, size_t> index_;
  std::map<core::OrgKey, std::vector<core::EventId>> chains_;
  std::deque<core::VerifiedEvent> branch_events_;
  std::map<core::EventId, size_t> branch_index_;
};

}  // namespace constellation::testing
