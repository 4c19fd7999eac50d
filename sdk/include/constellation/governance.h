// sdk/include/constellation/governance.h
//
// Governance domain of the client API (GovernanceService, MembershipService; DESIGN §1, §3, §4):
// proposals with their payloads, stances, tallies and outcomes, what waits on whom, and the
// membership writes an org makes for itself (join after admission, notice, withdrawal).
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <constellation/common.h>
#include <constellation/fundraising.h>
#include <constellation/group.h>
#include <constellation/node.h>
#include <constellation/org_card.h>
#include <constellation/pooled.h>
#include <constellation/teams.h>

namespace constellation {

// ADMIT: the org to admit (its card) and what it becomes in the group.
struct AdmitPayload {
  OrgCard card;
  std::string role;            // "lead" | "partner" | "affiliate" | "coordinator" | "observer"
  std::string segment;         // "strategic" | "funder" | "advisor" | "contractor" | ""
  uint32_t voting_weight = 0;  // 0 means 1
};

// EXPEL: the member to remove and why.
struct ExpelPayload {
  std::string member;  // hex org key
  std::string reason;
};

// ALLOCATE_FUNDS: a drawdown from a fund.
struct AllocatePayload {
  std::string fund_id;  // hex
  Money amount;
  std::string recipient;  // hex org key
  std::string purpose;
  std::string drawdown_id;  // hex, optional
  std::string budget_line;
};

// WRITE_OFF: part of a pledge that will not be collected.
struct WriteOffPayload {
  std::string pledge_id;  // hex
  Money amount;
  std::string reason_code;
};

// What a proposal proposes: the input of Client::Propose, and the `spec` of a Proposal view.
// At most one payload is set, the one of `decision_type`; ADMIT and EXPEL require theirs.
struct ProposalSpec {
  // "admit", "expel", "adopt_strategy", "allocate_funds", "open_campaign", "amend_charter",
  // "write_off", "dissolve", "create_fund", "team_leads".
  std::string decision_type;
  std::string title;
  std::string text;
  // Closes at this time at the latest; 0 = the rule's voting window from the proposal's time.
  uint64_t deadline_ms = 0;
  std::optional<AdmitPayload> admit;
  std::optional<ExpelPayload> expel;
  std::string strategy_version_id;  // ADOPT_STRATEGY: hex; "" = not set
  std::optional<AllocatePayload> allocate;
  std::optional<CampaignInput> campaign;  // OPEN_CAMPAIGN
  std::optional<Charter> charter;         // AMEND_CHARTER: the new charter
  std::optional<WriteOffPayload> write_off;
  std::string dissolution_plan;  // DISSOLVE; "" = not set
  std::optional<FundInput> fund;  // CREATE_FUND
  std::optional<TeamLeadsPayload> team_leads;  // TEAM_LEADS: decided by the team's orgs
};

// One member of a proposal's electorate, fixed when the proposal was made.
struct Voter {
  std::string key;  // hex org key
  std::string name;
  uint64_t weight = 0;
  bool decides = false;  // false: the stance is advice only (e.g. lead_decides non-leads)
  std::string stance;    // "agree" | "abstain" | "disagree" | "block" | "" (none yet)
  std::string reason;
  Hlc stance_hlc;
};

// The stances that count at the close (so far, while open), by weight and by count.
struct Tally {
  uint64_t eligible_weight = 0;
  uint64_t stance_weight = 0;
  uint64_t agree_weight = 0;
  uint64_t abstain_weight = 0;
  uint64_t disagree_weight = 0;
  uint64_t block_weight = 0;
  uint32_t eligible_count = 0;
  uint32_t stance_count = 0;
  bool quorum_met = false;
};

// A proposal as the node derives it (as of the query time). `outcome` is provisional until
// `final`: a provisional outcome can still change as events arrive, a final one never does.
struct Proposal {
  std::string proposal_id;  // hex
  std::string group_id;     // hex
  std::string proposer;     // hex org key
  ProposalSpec spec;
  Hlc hlc;
  DecisionRule rule;  // the rule that decides it (the charter's or the default)
  bool rule_from_charter = false;
  uint64_t deadline_ms = 0;  // resolved (never 0)
  std::string outcome;       // "open" | "passed" | "rejected" | "no_quorum" | "blocked"
  bool closed = false;
  bool final = false;
  // Not closed by any event yet, but the query time is past the deadline: `outcome` is the
  // result at the deadline (still provisional).
  bool past_deadline = false;
  std::string close_reason;  // "deadline" | "proposer" | "all_voted"; "" while open
  Hlc close_hlc;
  Tally tally;
  std::vector<Voter> electorate;
  std::vector<std::string> missing_stances;  // hex keys of deciding members without a stance
  std::string final_at;                      // hex: the event at which the outcome became final
  bool effect_applied = false;  // ADMIT: the invitee may accept; EXPEL: the member is expelled
  std::string acceptance;       // hex: ADMIT: the invitee's acceptance event, once it joined
};

// What is waiting on whom (Client::WaitingOn).
struct WaitingOnResult {
  // Open proposals in whose electorate this node's org decides and has taken no stance yet.
  std::vector<Proposal> needs_my_stance;
  // Every other proposal that is not final, with `missing_stances` naming who it waits for
  // (closed ones wait only for acknowledgements: missing_stances empty).
  std::vector<Proposal> waiting_on_others;
};

// A proposal write (propose, stance, close) and the proposal as it is afterwards.
struct ProposalWrite {
  EventRef event;
  Proposal proposal;
};

// A membership write (notice, withdrawal) and the member as it is afterwards.
struct MembershipWrite {
  EventRef event;
  Member member;
};

// Client::JoinGroup: this org's acceptance, the group as this node now holds it, and the pull
// that fetched it.
struct JoinResult {
  EventRef event;
  Group group;
  SyncResult sync;
};

}  // namespace constellation
