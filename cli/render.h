// cli/render.h
//
// How SDK values appear in CLI output: JSON objects (nlohmann::ordered_json, stable key order;
// every amount appears twice: `<name>_minor` as an integer and `<name>` as a decimal string in
// the currency's exponent; times as `<name>_ms` plus a date string), table rows (ids of the
// listed objects in full, other keys shortened to 12 hex characters) and key/value blocks.
// Thread safety: pure functions.
#pragma once

#include <string>
#include <vector>

#include <constellation/types.h>
#include <nlohmann/json.hpp>

#include "cli/output.h"

namespace constellation::cli {

using Json = nlohmann::ordered_json;

// First 12 characters of a hex id, for tables; "" stays "".
std::string ShortId(const std::string& hex);

// "250.50 EUR".
std::string MoneyText(int64_t minor, const std::string& currency);

// Adds `<name>_minor` and `<name>` (decimal) to `json`.
void AddAmount(Json* json, const std::string& name, int64_t minor, const std::string& currency);

Json ToJson(const NodeInfo& node);
Json ToJson(const TokenInfo& token);
Json ToJson(const EventRef& event);
Json ToJson(const GroupEventEntry& entry);
Json ToJson(const Group& group);
Json ToJson(const Campaign& campaign);
Json ToJson(const PledgeTerms& terms);
Json ToJson(const Pledge& pledge);
Json ToJson(const PledgeVersionEntry& entry);
Json ToJson(const OrgCard& card);
Json ToJson(const Member& member);
// Every field of the view, plus `outcome_text` (OutcomeText) and `provisional` (!final).
Json ToJson(const Proposal& proposal);
// {"needs_my_stance": [...], "waiting_on_others": [...]}, each proposal with `waiting_on`
// (the names of the members whose stances are missing).
Json ToJson(const WaitingOnResult& waiting);
Json ToJson(const PeerStatus& peer);
// The counts, state_hash, sent and peers.
Json ToJson(const SyncResult& result);

// How people read an outcome: "open", "passed (provisional)", "passed (final)",
// "rejected (provisional: past deadline)". An outcome is provisional until final (DESIGN §3).
std::string OutcomeText(const Proposal& proposal);
// Who a proposal waits for, for people: "you" when `mine`; else the names (or short keys) of
// the members with missing stances; "acknowledgements" once closed; "" when final.
std::string WaitingOnText(const Proposal& proposal, bool mine);
// A member's status for people: "active", "notice_given (effective 2027-01-31)", plus
// ", frozen (forked)" when frozen.
std::string MemberStatusText(const Member& member);

Table TokensTable(const std::vector<TokenInfo>& tokens);
Table GroupsTable(const std::vector<Group>& groups);
Table MembersTable(const std::vector<Member>& members);
Table GroupEventsTable(const std::vector<GroupEventEntry>& entries);
Table CampaignsTable(const std::vector<Campaign>& campaigns);
Table PledgesTable(const std::vector<Pledge>& pledges);
Table InstallmentsTable(const std::vector<Installment>& installments, const std::string& currency);
Table PledgeHistoryTable(const std::vector<PledgeVersionEntry>& entries);
Table ProposalsTable(const std::vector<Proposal>& proposals);
// One row per member of the electorate with its stance.
Table ElectorateTable(const Proposal& proposal);
// needs_my_stance first (waiting_on "you"), then waiting_on_others.
Table WaitingTable(const WaitingOnResult& waiting);
Table PeersTable(const std::vector<PeerStatus>& peers);

KeyValues NodeDetails(const NodeInfo& node);
KeyValues GroupDetails(const Group& group);
KeyValues CampaignDetails(const Campaign& campaign);
KeyValues PledgeDetails(const Pledge& pledge);
KeyValues OrgCardDetails(const OrgCard& card);
KeyValues ProposalDetails(const Proposal& proposal);
KeyValues MemberDetails(const Member& member);
KeyValues SyncDetails(const SyncResult& result);

}  // namespace constellation::cli
