// cli/node/render.cc
#include "cli/node/render.h"

#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>

#include "cli/values.h"

namespace constellation::cli {
namespace {

constexpr Property<NodeInfo> kNodeInfoProperties[] = {
    {"org_key", Of<&NodeInfo::org_key>},
    {"org_name", Of<&NodeInfo::org_name>},
    {"endpoints", Of<&NodeInfo::endpoints>},
    {"version", Of<&NodeInfo::version>},
    {"group_count", Of<&NodeInfo::group_count>, Shown::kBoth, "groups"},
    {"event_count", Of<&NodeInfo::event_count>, Shown::kBoth, "events"},
    {"caller_role", Of<&NodeInfo::caller_role>},
    {"metrics_address", Of<&NodeInfo::metrics_address>},
    {"restored_read_only", Of<&NodeInfo::restored_read_only>},
    {"restored_waiting_for", Of<&NodeInfo::restored_waiting_for>, Shown::kBothTextWhenSet},
};

constexpr Property<OrgCard> kOrgCardProperties[] = {
    {"key", Of<&OrgCard::key>},
    {"name", Of<&OrgCard::name>},
    {"endpoints", Of<&OrgCard::endpoints>},
};

constexpr Property<TokenInfo> kTokenProperties[] = {
    {"token_id", Of<&TokenInfo::token_id>},
    {"role", Of<&TokenInfo::role>},
    {"label", Of<&TokenInfo::label>},
    {"group_ids",
     [](const TokenInfo& token) {
       return token.group_ids.empty() ? Value(token.group_ids, "all") : Value::Ids(token.group_ids);
     },
     Shown::kBoth, "groups"},
    {"created", TimeOf<&TokenInfo::created_ms>},
    {"revoked", Of<&TokenInfo::revoked>},
};

constexpr Property<PeerStatus> kPeerProperties[] = {
    {"org", Of<&PeerStatus::org>},
    {"name", Of<&PeerStatus::name>},
    {"endpoint", Of<&PeerStatus::endpoint>},
    {"group_ids", Of<&PeerStatus::group_ids>},
    {"status", Of<&PeerStatus::status>},
    {"last_success", TimeOf<&PeerStatus::last_success_ms>},
    {"last_attempt", TimeOf<&PeerStatus::last_attempt_ms>},
    {"last_error", Of<&PeerStatus::last_error>},
    {"consecutive_failures", Of<&PeerStatus::consecutive_failures>},
    {"next_attempt", TimeOf<&PeerStatus::next_attempt_ms>},
    {"events_sent", Of<&PeerStatus::events_sent>},
    {"events_received", Of<&PeerStatus::events_received>},
    {"events_pushed_received", Of<&PeerStatus::events_pushed_received>},
};

constexpr Field<PeerStatus> kPeerColumns[] = {
    {"org", [](const PeerStatus& peer) { return peer.org; }, false, CellKind::kId},
    {"name", [](const PeerStatus& peer) { return peer.name; }},
    {"endpoint", [](const PeerStatus& peer) { return peer.endpoint; }},
    {"status", [](const PeerStatus& peer) { return peer.status; }},
    {"last_success", [](const PeerStatus& peer) { return FormatTimeMs(peer.last_success_ms); }},
    {"failures", [](const PeerStatus& peer) { return Count(peer.consecutive_failures); },
     kRightAligned},
    {"next_attempt", [](const PeerStatus& peer) { return FormatTimeMs(peer.next_attempt_ms); }},
    {"sent", [](const PeerStatus& peer) { return Count(peer.events_sent); }, kRightAligned},
    {"received", [](const PeerStatus& peer) { return Count(peer.events_received); }, kRightAligned},
    {"pushed_in", [](const PeerStatus& peer) { return Count(peer.events_pushed_received); },
     kRightAligned},
    {"last_error", [](const PeerStatus& peer) { return peer.last_error; }},
};

// The counts and state hash of a round (in JSON and as lines), then its peers (in JSON).
constexpr Property<SyncResult> kSyncProperties[] = {
    {"received", Of<&SyncResult::received>},
    {"inserted", Of<&SyncResult::inserted>},
    {"duplicate", Of<&SyncResult::duplicate>},
    {"dropped", Of<&SyncResult::dropped>},
    {"waiting", Of<&SyncResult::waiting>},
    {"rounds", Of<&SyncResult::rounds>},
    {"sent", Of<&SyncResult::sent>},
    {"state_hash", Of<&SyncResult::state_hash>},
    {"peers",
     [](const SyncResult& result) {
       return Value(JsonArray(result.peers, JsonOf<kPeerProperties>), "");
     },
     Shown::kJsonOnly},
};

}  // namespace

const RecordFormat<NodeInfo> kNodeInfoFormat = {kNodeInfoProperties};

Json ToJson(const OrgCard& card) { return kOrgCardFormat.ToJson(card); }

const RecordFormat<OrgCard> kOrgCardFormat = {kOrgCardProperties};

Output CardFileOutput(const OrgCard& card, const std::string& path) {
  Output output = kOrgCardFormat(card);
  output.json = JsonObject({{"card_file", path}});
  output.json.update(ToJson(card));
  output.values.insert(output.values.begin(), {"card_file", path});
  return output;
}

const RecordFormat<TokenInfo> kTokenFormat = {kTokenProperties};

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

const RecordFormat<PeerStatus> kPeerFormat = {.properties = kPeerProperties,
                                              .columns = kPeerColumns};

Table PeersTable(const std::vector<PeerStatus>& peers) { return kPeerFormat.TableOf(peers); }

Json ToJson(const SyncResult& result) { return JsonOf<kSyncProperties>(result); }

Output SyncOutput(const std::string& group_id, const std::string& from, const SyncResult& result) {
  Json json =
      JsonObject({{"group_id", group_id}, {"peer", from.empty() ? Json(nullptr) : Json(from)}});
  json.update(ToJson(result));
  KeyValues values = {{"group_id", group_id}, {"peer", from.empty() ? "(every member)" : from}};
  for (auto& line : DetailsOf<kSyncProperties>(result)) values.push_back(std::move(line));
  Output output = Output::Object(json, std::move(values), {{"Peers", PeersTable(result.peers)}});
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
