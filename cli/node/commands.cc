// cli/node/commands.cc: node, peer, org and token commands.
#include "cli/node/commands.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>
#include <functional>

#include <absl/strings/str_format.h>

#include "cli/node/render.h"
#include "cli/progress.h"

namespace constellation::cli {
namespace {

// How often `peer sync` asks the node how many events it holds, on a terminal. Each ask is a
// GetGroup on the node's apply loop (after new events, the state hash is computed again), so
// the progress line is redrawn once a second rather than as often as a terminal could show.
constexpr absl::Duration kSyncProgressInterval = absl::Seconds(1);

absl::StatusOr<Output> NodeInfoCommand(const Invocation&, CommandContext& context) {
  return context.ReadCall(&Client::GetNodeInfo, kNodeInfoFormat);
}

absl::StatusOr<Output> PeerSyncCommand(const Invocation& inv, CommandContext& context) {
  const std::string group_id = inv.Get("group");
  const std::string from = inv.Get("from");
  if (inv.Has("from") && from.empty()) {
    return absl::InvalidArgumentError(
        "--from is empty: give the peer's HOST:PORT, or leave --from out to sync with every "
        "member");
  }
  return context.Read(
      [&](Client& client) -> absl::StatusOr<SyncResult> {
        const std::function<absl::StatusOr<SyncResult>()> sync = [&] {
          return from.empty() ? client.SyncGroupWithMembers(group_id)
                              : client.SyncGroup(from, group_id);
        };
        if (!context.show_progress()) return sync();
        // A sync is one call that reports only at its end: on a terminal, the events this
        // node holds of the group are polled meanwhile (0 while the group is not here yet).
        const auto held = [&]() -> uint64_t {
          absl::StatusOr<Group> group = client.GetGroup(group_id);
          return group.ok() ? group->event_count : 0;
        };
        const uint64_t before = held();
        Progress progress(context.err(), /*enabled=*/true, "events new here", /*total=*/0);
        return RunWithProgress<SyncResult>(
            progress, sync,
            [&] {
              const uint64_t now = held();
              return now > before ? now - before : 0;
            },
            kSyncProgressInterval);
      },
      [&](const SyncResult& result) { return SyncOutput(group_id, from, result); });
}

std::string PeerSyncHint(const absl::Status& status, const CommandContext& context) {
  if (status.code() != absl::StatusCode::kUnavailable || !context.invocation().Has("from")) {
    return "";
  }
  return absl::StrFormat(
      "the peer %s (or this node) cannot be reached: check the address and that the peer "
      "runs; without --from, a round with every member skips members that are down",
      context.invocation().Get("from"));
}

absl::StatusOr<Output> PeerListCommand(const Invocation& inv, CommandContext& context) {
  const std::string group_id = inv.Get("group");
  return context.ReadCall(&Client::ListPeers, kPeerFormat, group_id);
}

absl::StatusOr<Output> OrgShowCommand(const Invocation&, CommandContext& context) {
  return context.Read([](Client& client) { return client.GetNodeInfo(); },
                      [](const NodeInfo& node) {
                        return kOrgCardFormat(OrgCard{node.org_key, node.org_name, node.endpoints});
                      });
}

// Writes `text` to `path` through a temporary file and a rename, so that a reader never sees
// half a card.
absl::Status WriteTextFile(const std::string& path, const std::string& text) {
  const std::string temporary = path + ".tmp";
  {
    std::ofstream file(temporary, std::ios::binary | std::ios::trunc);
    if (!file) {
      return absl::InvalidArgumentError(
          absl::StrFormat("--out '%s' cannot be written: %s", path, std::strerror(errno)));
    }
    file << text;
    file.flush();
    if (!file) {
      return absl::InternalError(
          absl::StrFormat("writing '%s' failed: %s", temporary, std::strerror(errno)));
    }
  }
  if (std::rename(temporary.c_str(), path.c_str()) != 0) {
    const std::string reason = std::strerror(errno);
    std::remove(temporary.c_str());
    return absl::InvalidArgumentError(
        absl::StrFormat("--out '%s' cannot be written: %s", path, reason));
  }
  return absl::OkStatus();
}

absl::StatusOr<Output> OrgCardCommand(const Invocation& inv, CommandContext& context) {
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<OrgCard> card = (*client)->GetOrgCard();
  if (!card.ok()) return card.status();
  if (card->endpoints.empty()) {
    context.err() << "note: the card lists no endpoints: other members' nodes will not be able "
                     "to reach this node; set the node's advertised endpoints\n";
  }
  if (inv.Has("out")) {
    absl::Status status = WriteTextFile(inv.Get("out"), OrgCardToJson(*card) + "\n");
    if (!status.ok()) return status;
    return CardFileOutput(*card, inv.Get("out"));
  }
  // The card is for another org's tools: JSON unless a format was asked for.
  if (!inv.global.output_given) return Output::Text(OrgCardToJson(*card) + "\n");
  return kOrgCardFormat(*card);
}

absl::StatusOr<Output> TokenCreateCommand(const Invocation& inv, CommandContext& context) {
  const std::string role = inv.Get("role");
  const std::string label = inv.Get("label");
  const std::vector<std::string> group_ids = inv.GetAll("group");
  return context.Read(
      [&](Client& client) { return client.CreateToken(role, label, group_ids); },
      [&](const CreatedToken& token) { return CreatedTokenOutput(token, role, label, group_ids); });
}

absl::StatusOr<Output> TokenListCommand(const Invocation&, CommandContext& context) {
  return context.ReadCall(&Client::ListTokens, kTokenFormat);
}

absl::StatusOr<Output> TokenRevokeCommand(const Invocation& inv, CommandContext& context) {
  const std::string token_id = inv.Positional(0);
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::Status status = (*client)->RevokeToken(token_id);
  if (!status.ok()) return status;
  return RevokedTokenOutput(token_id);
}

}  // namespace

std::vector<Command> NodeCommands() {
  return {
      Command("node info", NodeInfoCommand)
          .Summary("Show the node: its org, endpoints, version, counts and your role")
          .Details("JSON keys: org_key, org_name, endpoints, version, group_count, event_count, "
                   "caller_role, restored_read_only (true while the node, restored from a "
                   "backup, refuses its own writes until its peers return its latest events), "
                   "restored_waiting_for (the member nodes it waits for).")
          .Example("constellation node info --endpoint 127.0.0.1:7400 --token $TOKEN"),
      Command("peer sync", PeerSyncCommand)
          .Summary(
              "Sync a group now (admin only): pull from one peer, or a round with every member")
          .Flag(GroupFlag())
          .Optional("--from HOST:PORT",
                    "pull from this peer node only (default: an anti-entropy round with every "
                    "member, both directions)")
          .Details("With --from, the peer must count this node's org as a member of the group (or "
                   "be another node of the same org, e.g. after a restore). Without it, every "
                   "member's node is tried; one that cannot be reached shows as failing in the "
                   "Peers table and does not fail the command. Every event is verified. JSON keys: "
                   "group_id, peer (null for a round with every member), received, inserted, "
                   "duplicate, dropped, waiting, rounds, sent, state_hash, peers.")
          .Example("constellation peer sync --group $GROUP --from 10.0.0.7:7400")
          .Hint(PeerSyncHint),
      Command("peer list", PeerListCommand)
          .Summary("List the member nodes this node replicates with, and how replication goes")
          .Optional("--group GROUP", "only peers of this group (default: every group)")
          .Details(
              "Status is ok, failing (backing off until next_attempt) or unknown (not contacted "
              "yet); it is a hint, every round is stateless. sent: events this node sent it; "
              "received: events this node's pulls from it brought; pushed_in: events its org "
              "pushed to this node (new here; per org). CSV columns: org, name, endpoint, "
              "status, last_success, failures, next_attempt, sent, received, pushed_in, "
              "last_error.")
          .Example("constellation peer list --group $GROUP"),
      Command("org show", OrgShowCommand)
          .Summary("Show this node's organisation: key, name, endpoints")
          .Details("JSON keys: key, name, endpoints.")
          .Example("constellation org show"),
      Command("org card", OrgCardCommand)
          .Summary(
              "Print this org's card (JSON by default), for another org to propose admitting it")
          .Optional("--out FILE", "write the card to FILE instead of printing it")
          .Details("The card is {\"key\", \"name\", \"endpoints\"}; send it to a member of the "
                   "group that will propose the admission ('constellation proposal admit --card "
                   "FILE'). -o table shows it as key/value lines. With --out, prints card_file, "
                   "key, name, endpoints.")
          .Example("constellation org card --out my-org.card.json"),
      Command("token create", TokenCreateCommand)
          .Summary("Issue a token (admin only); the secret is shown once")
          .Required("--role ROLE", "admin | member | auditor")
          .Optional("--label LABEL", "who holds it, for people")
          .Repeated("--group GROUP", "auditor only: limit reads to this group id")
          .Details("JSON keys: token_id, token (the secret), role, label, group_ids.")
          .Example("constellation token create --role auditor --label 'external audit 2026' "
                   "--group $GROUP"),
      Command("token list", TokenListCommand)
          .Summary("List tokens (never their secrets; admin only)")
          .Details("CSV/JSON keys: token_id, role, label, group_ids, created_ms, revoked.")
          .Example("constellation token list -o csv"),
      Command("token revoke", TokenRevokeCommand)
          .Summary("Revoke a token; later calls with it fail")
          .Argument("TOKEN_ID", "the token id or a unique prefix of it (from 'token list')")
          .Example("constellation token revoke 7f3c2a"),
  };
}

}  // namespace constellation::cli
