// cli/node/render.cc
#include "cli/node/render.h"

#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>

#include "cli/values.h"

namespace constellation::cli {
namespace {

Json NodeInfoJson(const NodeInfo& node) {
  return JsonObject({{"org_key", node.org_key},
                     {"org_name", node.org_name},
                     {"endpoints", node.endpoints},
                     {"version", node.version},
                     {"group_count", node.group_count},
                     {"event_count", node.event_count},
                     {"caller_role", node.caller_role}});
}

KeyValues NodeInfoDetails(const NodeInfo& node) {
  return {{"org_key", node.org_key},
          {"org_name", node.org_name},
          {"endpoints", absl::StrJoin(node.endpoints, " ")},
          {"version", node.version},
          {"groups", Count(node.group_count)},
          {"events", Count(node.event_count)},
          {"caller_role", node.caller_role}};
}

KeyValues OrgCardDetails(const OrgCard& card) {
  return {
      {"key", card.key}, {"name", card.name}, {"endpoints", absl::StrJoin(card.endpoints, " ")}};
}

Json TokenJson(const TokenInfo& token) {
  return JsonObject({{"token_id", token.token_id},
                     {"role", token.role},
                     {"label", token.label},
                     {"group_ids", token.group_ids},
                     TimeMembers("created", token.created_ms),
                     {"revoked", token.revoked}});
}

std::string GroupsText(const TokenInfo& token) {
  std::vector<std::string> groups;
  for (const std::string& group_id : token.group_ids) groups.push_back(ShortId(group_id));
  return groups.empty() ? "all" : absl::StrJoin(groups, " ");
}

constexpr Field<TokenInfo> kTokenColumns[] = {
    {"token_id", [](const TokenInfo& token) { return token.token_id; }},
    {"role", [](const TokenInfo& token) { return token.role; }},
    {"label", [](const TokenInfo& token) { return token.label; }},
    {"groups", GroupsText},
    {"created", [](const TokenInfo& token) { return FormatTimeMs(token.created_ms); }},
    {"revoked", [](const TokenInfo& token) { return YesNo(token.revoked); }},
};

Json PeerJson(const PeerStatus& peer) {
  return JsonObject({{"org", peer.org},
                     {"name", peer.name},
                     {"endpoint", peer.endpoint},
                     {"group_ids", peer.group_ids},
                     {"status", peer.status},
                     TimeMembers("last_success", peer.last_success_ms),
                     TimeMembers("last_attempt", peer.last_attempt_ms),
                     {"last_error", peer.last_error},
                     {"consecutive_failures", peer.consecutive_failures},
                     TimeMembers("next_attempt", peer.next_attempt_ms),
                     {"events_sent", peer.events_sent},
                     {"events_received", peer.events_received}});
}

constexpr Field<PeerStatus> kPeerColumns[] = {
    {"org", [](const PeerStatus& peer) { return ShortId(peer.org); }},
    {"name", [](const PeerStatus& peer) { return peer.name; }},
    {"endpoint", [](const PeerStatus& peer) { return peer.endpoint; }},
    {"status", [](const PeerStatus& peer) { return peer.status; }},
    {"last_success", [](const PeerStatus& peer) { return FormatTimeMs(peer.last_success_ms); }},
    {"failures", [](const PeerStatus& peer) { return Count(peer.consecutive_failures); },
     kRightAligned},
    {"next_attempt", [](const PeerStatus& peer) { return FormatTimeMs(peer.next_attempt_ms); }},
    {"sent", [](const PeerStatus& peer) { return Count(peer.events_sent); }, kRightAligned},
    {"received", [](const PeerStatus& peer) { return Count(peer.events_received); }, kRightAligned},
    {"last_error", [](const PeerStatus& peer) { return peer.last_error; }},
};

}  // namespace

const RecordFormat<NodeInfo> kNodeInfoFormat = {NodeInfoJson, {}, NodeInfoDetails};

Json ToJson(const OrgCard& card) {
  return JsonObject({{"key", card.key}, {"name", card.name}, {"endpoints", card.endpoints}});
}

const RecordFormat<OrgCard> kOrgCardFormat = {ToJson, {}, OrgCardDetails};

Output CardFileOutput(const OrgCard& card, const std::string& path) {
  Output output = kOrgCardFormat(card);
  output.json = JsonObject({{"card_file", path}});
  output.json.update(ToJson(card));
  output.values.insert(output.values.begin(), {"card_file", path});
  return output;
}

const RecordFormat<TokenInfo> kTokenFormat = {TokenJson, kTokenColumns};

Output CreatedTokenOutput(const CreatedToken& token, const std::string& role,
                          const std::string& label, const std::vector<std::string>& group_ids) {
  Output output =
      Output::Object(JsonObject({{"token_id", token.token_id},
                                 {"token", token.token},
                                 {"role", role},
                                 {"label", label},
                                 {"group_ids", group_ids}}),
                     {{"token_id", token.token_id}, {"token", token.token}, {"role", role}});
  output.notes.push_back(
      "store the token now; the node keeps only its hash and cannot show it again");
  return output;
}

Output RevokedTokenOutput(const std::string& token_id) {
  return Output::Object(JsonObject({{"token_id", token_id}, {"revoked", true}}),
                        {{"token_id", token_id}, {"revoked", "yes"}});
}

const RecordFormat<PeerStatus> kPeerFormat = {PeerJson, kPeerColumns};

Table PeersTable(const std::vector<PeerStatus>& peers) { return kPeerFormat.TableOf(peers); }

Json ToJson(const SyncResult& result) {
  return JsonObject({{"received", result.received},
                     {"inserted", result.inserted},
                     {"duplicate", result.duplicate},
                     {"waiting", result.waiting},
                     {"rounds", result.rounds},
                     {"sent", result.sent},
                     {"state_hash", result.state_hash},
                     {"peers", JsonArray(result.peers, PeerJson)}});
}

Output SyncOutput(const std::string& group_id, const std::string& from, const SyncResult& result) {
  Json json =
      JsonObject({{"group_id", group_id}, {"peer", from.empty() ? Json(nullptr) : Json(from)}});
  json.update(ToJson(result));
  Output output = Output::Object(json,
                                 {{"group_id", group_id},
                                  {"peer", from.empty() ? "(every member)" : from},
                                  {"received", Count(result.received)},
                                  {"inserted", Count(result.inserted)},
                                  {"duplicate", Count(result.duplicate)},
                                  {"waiting", Count(result.waiting)},
                                  {"rounds", Count(result.rounds)},
                                  {"sent", Count(result.sent)},
                                  {"state_hash", result.state_hash}},
                                 {{"Peers", PeersTable(result.peers)}});
  size_t failing = 0;
  for (const PeerStatus& peer : result.peers) failing += peer.status == "failing" ? 1 : 0;
  if (failing > 0) {
    output.notes.push_back(absl::StrFormat(
        "%d of %d member endpoints could not be synced (see last_error); the next round "
        "retries them",
        failing, result.peers.size()));
  }
  return output;
}

}  // namespace constellation::cli
