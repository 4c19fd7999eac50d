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

Table TokensTable(const std::vector<TokenInfo>& tokens);
Table GroupsTable(const std::vector<Group>& groups);
Table MembersTable(const std::vector<Member>& members);
Table GroupEventsTable(const std::vector<GroupEventEntry>& entries);
Table CampaignsTable(const std::vector<Campaign>& campaigns);
Table PledgesTable(const std::vector<Pledge>& pledges);
Table InstallmentsTable(const std::vector<Installment>& installments, const std::string& currency);
Table PledgeHistoryTable(const std::vector<PledgeVersionEntry>& entries);

KeyValues NodeDetails(const NodeInfo& node);
KeyValues GroupDetails(const Group& group);
KeyValues CampaignDetails(const Campaign& campaign);
KeyValues PledgeDetails(const Pledge& pledge);

}  // namespace constellation::cli
