// sdk/include/constellation/types.h
//
// Plain value types of the client API: what a node returns (views) and what a caller sends
// (inputs). They mirror proto/constellation/v1/client.proto and event.proto without exposing
// generated types, so that member organisations can build against the SDK with std and abseil
// only. Conventions:
// - Ids and keys (group, campaign, pledge and event ids, org keys, hashes) are 64 lowercase hex
//   characters; an empty string means "not set".
// - Enums are lowercase strings named after the proto value without its prefix:
//   GROUP_KIND_PARTNERSHIP -> "partnership", PLEDGE_STATUS_IN_PROGRESS -> "in_progress";
//   "" means unspecified.
// - Money is int64 minor units plus an ISO-4217 code (see money.h); times are milliseconds
//   since the Unix epoch (UTC), named *_ms, 0 meaning "not set".
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

namespace constellation {

// An amount: integer minor units (cents for EUR) and a currency code.
struct Money {
  int64_t amount_minor = 0;
  std::string currency;
};

// Hybrid logical clock reading (DESIGN §2): for people and "as of" queries, not for ordering.
struct Hlc {
  uint64_t wall_ms = 0;
  uint32_t logical = 0;
};

// ---------------------------------------------------------------------------------------------
// Node and tokens

struct NodeInfo {
  std::string org_key;  // hex
  std::string org_name;
  std::vector<std::string> endpoints;  // host:port
  std::string version;
  uint32_t group_count = 0;
  uint64_t event_count = 0;
  std::string caller_role;  // "admin" | "member" | "auditor": the role of the token used
};

struct TokenInfo {
  std::string token_id;
  std::string role;  // "admin" | "member" | "auditor"
  std::string label;
  std::vector<std::string> group_ids;  // hex; auditor scope, empty = every group
  uint64_t created_ms = 0;
  bool revoked = false;
};

// A freshly issued token. `token` is the secret: the node shows it once and keeps a hash.
struct CreatedToken {
  std::string token;
  std::string token_id;
};

// ---------------------------------------------------------------------------------------------
// Events

// The event a write created (or, when the write was a retry, created earlier).
struct EventRef {
  std::string event_id;  // hex
  std::string group_id;  // hex
  std::string author;    // hex org key
  uint64_t seq = 0;
  Hlc hlc;
};

// One event of a group in canonical order, exactly as signed (GroupService.StreamEvents).
// `event_bytes` and `signature` are raw bytes: event id = SHA-256(event_bytes), and the
// signature is Ed25519 by `author` (DESIGN §2), so an auditor can re-verify offline.
struct GroupEventEntry {
  uint64_t position = 0;  // 1-based position in canonical order
  std::string event_id;   // hex
  std::string author;     // hex, decoded from event_bytes
  uint64_t seq = 0;
  Hlc hlc;
  std::string kind;        // the body's field name in event.proto: "charter", "pledge", ...
  std::string request_id;  // the client idempotency key, if any
  std::string event_bytes;
  std::string signature;
};

// What this node knows of one peer endpoint (a member's node). Hints only (DESIGN §4): every
// anti-entropy round is stateless.
struct PeerStatus {
  std::string org;  // hex org key
  std::string name;
  std::string endpoint;                // host:port
  std::vector<std::string> group_ids;  // hex: groups this node replicates with it
  // "ok" (last call succeeded), "failing" (backing off until next_attempt_ms), "unknown" (not
  // contacted yet).
  std::string status;
  uint64_t last_success_ms = 0;
  uint64_t last_attempt_ms = 0;
  std::string last_error;
  uint32_t consecutive_failures = 0;
  uint64_t next_attempt_ms = 0;
  uint64_t events_sent = 0;
  uint64_t events_received = 0;
};

// The outcome of pulling a group from a peer node (Client::SyncGroup), or of an anti-entropy
// round with every member (Client::SyncGroupWithMembers).
struct SyncResult {
  uint64_t received = 0;   // events the peer(s) sent
  uint64_t inserted = 0;   // new here: verified, chain-checked, stored
  uint64_t duplicate = 0;  // already held
  uint64_t waiting = 0;    // held back until their dependencies arrive
  uint32_t rounds = 0;     // pull rounds
  std::string state_hash;  // hex: this node's state hash of the group afterwards
  uint64_t sent = 0;       // events sent to peers (rounds with every member only)
  // Rounds with every member: one entry per member endpoint tried.
  std::vector<PeerStatus> peers;
};

// ---------------------------------------------------------------------------------------------
// Groups

// What a member says about itself inside a group.
struct MemberProfile {
  std::string name;
  std::string role;            // "lead" | "partner" | "affiliate" | "coordinator" | "observer" | ""
  std::string segment;         // "strategic" | "funder" | "advisor" | "contractor" | ""
  uint32_t voting_weight = 0;  // 0 means 1
  std::vector<std::string> endpoints;
};

// How one decision type is decided (integer basis points, never floating point).
struct DecisionRule {
  std::string decision_type;  // "admit", "expel", "adopt_strategy", "allocate_funds",
                              // "open_campaign", "amend_charter", "write_off", "dissolve"
  std::string process;        // "consent", "consensus", "majority", "supermajority",
                              // "unanimity", "lead_decides"
  uint32_t threshold_bps = 0;
  uint32_t quorum_bps = 0;
  uint64_t voting_window_ms = 0;
  bool coordinators_vote = false;
};

// A group's charter (DESIGN §1). As an input (CharterInput) only `name` is required; the
// founder profile defaults to this node's organisation.
struct Charter {
  std::string name;
  std::string common_agenda;
  std::string discovery_hypothesis;
  std::string kind;  // "partnership" | "collaboration" | ""
  uint64_t term_start_ms = 0;
  uint64_t term_end_ms = 0;
  uint64_t review_ms = 0;
  std::vector<DecisionRule> decision_rules;
  uint32_t withdrawal_notice_days = 0;
  std::string dissolution_rule;
  std::string inkind_valuation_rules;
  std::string fx_rate_source;
  MemberProfile founder;
  std::string base_currency;  // e.g. "EUR"
};
using CharterInput = Charter;

// What an organisation exports so that a group's member can propose admitting it (DESIGN §4).
// As text it is a JSON object {"key", "name", "endpoints"}: see OrgCardToJson in org_card.h.
struct OrgCard {
  std::string key;  // hex Ed25519 public key: the org's identity
  std::string name;
  std::vector<std::string> endpoints;  // host:port of its node
};

struct Member {
  std::string key;  // hex org key
  MemberProfile profile;
  // "active" | "notice_given" | "withdrawn" | "expelled", as of the query time (a notice whose
  // effective time has come shows "withdrawn").
  std::string status;
  uint64_t last_seq = 0;
  uint64_t notice_effective_ms = 0;  // notice given: when the withdrawal takes effect
  // The member forked its chain (DESIGN §2): its events from the fork on have no effect until
  // it is readmitted.
  bool frozen = false;
};

struct Group {
  std::string group_id;  // hex
  Charter charter;
  std::string founder;  // hex org key
  std::vector<Member> members;
  uint64_t event_count = 0;
  // SHA-256 over the group's derived state (hex): equal on every node with the same events.
  std::string state_hash;
  Hlc last_hlc;
};

// ---------------------------------------------------------------------------------------------
// Joint fundraising

// A donor restriction; kind "" means unrestricted.
struct Restriction {
  std::string kind;  // "purpose" | "time" | "perpetual" | ""
  std::string text;
  uint64_t until_ms = 0;  // "time" only
};

// What a campaign is; the input of OpenCampaign.
struct CampaignInput {
  std::string name;
  Money goal;
  uint64_t deadline_ms = 0;
  std::string fiscal_host;  // hex org key of the member holding the money; "" = the author
  Restriction restriction;
  // Assurance contract: pledges bind only if the total reaches this by the deadline.
  std::optional<Money> assurance_threshold;
  uint64_t assurance_deadline_ms = 0;
  std::string action_team_id;  // hex, optional
};

// A campaign as the node derives it. Totals are over pledges that are not cancelled, in the
// campaign currency.
struct Campaign {
  std::string campaign_id;  // hex
  std::string group_id;     // hex
  std::string opened_by;    // hex org key
  CampaignInput definition;
  std::string fiscal_host;  // hex org key, resolved (never empty)
  uint32_t pledge_count = 0;
  int64_t pledged_minor = 0;
  int64_t received_minor = 0;
  int64_t outstanding_minor = 0;  // pledged - received - written off
  int64_t conditional_minor = 0;  // part of pledged that is conditional
  Hlc opened_hlc;
};

// One scheduled installment; installments of a pledge sum to its amount.
struct Installment {
  uint64_t due_ms = 0;
  int64_t amount_minor = 0;
};

// A condition: both a barrier and a right of release (ASC 958-605).
struct PledgeCondition {
  std::string barrier;
  std::string right_of_release;
};

// The terms of a pledge, as in its first version or an amendment.
struct PledgeTerms {
  Money amount;
  std::vector<Installment> installments;  // empty = one installment due at campaign deadline
  std::optional<PledgeCondition> condition;
  Restriction restriction;
  std::string note;
  std::string donor_name;       // an external donor the author represents; "" = the author
  std::string evidence_sha256;  // hex, optional
};

// A pledge as the node derives it (as of the query time).
struct Pledge {
  std::string pledge_id;    // hex
  std::string group_id;     // hex
  std::string campaign_id;  // hex
  std::string pledger;      // hex org key
  PledgeTerms terms;        // the current version's terms
  uint32_t version = 0;     // 1 + number of amendments
  // "pending" | "in_progress" | "overdue" | "completed" | "cancelled" | "conditional"
  std::string status;
  int64_t received_minor = 0;
  int64_t written_off_minor = 0;
  int64_t outstanding_minor = 0;
  Hlc created_hlc;
  Hlc updated_hlc;
  std::string cancel_reason;
};

// One entry of a pledge's history, with who signed it.
struct PledgeVersion {
  uint32_t version = 0;  // 1 = the pledge itself, 2.. = amendments
  std::string event_id;  // hex
  std::string author;    // hex org key: who signed this entry
  Hlc hlc;
  std::string kind;  // "pledge" | "amendment" | "cancellation" | "payment" | "write_off"
  std::optional<PledgeTerms> terms;  // pledge and amendment
  std::string reason;                // amendment and cancellation
  std::optional<Money> amount;       // payment and write-off
  std::string external_ref;
  uint64_t received_ms = 0;
};

struct PledgeVersionEntry {
  std::string pledge_id;  // hex
  PledgeVersion version;
};

// ---------------------------------------------------------------------------------------------
// Decisions (DESIGN §3) and membership (DESIGN §1, §4)

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
  // "write_off", "dissolve".
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

// ---------------------------------------------------------------------------------------------
// Write results: the event created plus the resulting view.

struct GroupWrite {
  EventRef event;
  Group group;
};

struct CampaignWrite {
  EventRef event;
  Campaign campaign;
};

struct PledgeWrite {
  EventRef event;
  Pledge pledge;
};

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
