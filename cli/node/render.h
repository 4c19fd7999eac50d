// cli/node/render.h
//
// How the node domain's values print (conventions in cli/render.h): the node, its org card,
// tokens, peers and sync rounds.
// Thread safety: pure functions and constant data.
#pragma once

#include <string>
#include <vector>

#include <constellation/org_card.h>
#include <constellation/types.h>

#include "cli/output.h"
#include "cli/render.h"

namespace constellation::cli {

// `node info`.
extern const RecordFormat<NodeInfo> kNodeInfoFormat;

// {"key", "name", "endpoints"}: with DumpJson, the same text as the SDK's OrgCardToJson.
Json ToJson(const OrgCard& card);
// `org card -o ...`; `org show` prints the node's org as a card too.
extern const RecordFormat<OrgCard> kOrgCardFormat;
// After `org card --out FILE`: card_file, then the card.
Output CardFileOutput(const OrgCard& card, const std::string& path);

extern const RecordFormat<TokenInfo> kTokenFormat;
// The new token with its secret (shown once), and a note saying so.
Output CreatedTokenOutput(const CreatedToken& token, const std::string& role,
                          const std::string& label, const std::vector<std::string>& group_ids);
Output RevokedTokenOutput(const std::string& token_id);

extern const RecordFormat<PeerStatus> kPeerFormat;
Table PeersTable(const std::vector<PeerStatus>& peers);
// The counts, state_hash, sent and peers.
Json ToJson(const SyncResult& result);
// group_id, peer (null / "(every member)" for a round with every member), the counts and the
// Peers table; a note on stderr when some member endpoints failed.
Output SyncOutput(const std::string& group_id, const std::string& from, const SyncResult& result);

}  // namespace constellation::cli
