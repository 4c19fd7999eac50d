// cli/commands_admin.cc: node, org, token and context commands.
#include <cerrno>
#include <cstdio>
#include <cstring>
#include <fstream>

#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>

#include "cli/commands.h"

namespace constellation::cli {
namespace {

absl::Status NodeInfoCommand(CommandContext& context) {
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<NodeInfo> node = (*client)->GetNodeInfo();
  if (!node.ok()) return node.status();
  context.PrintObject(ToJson(*node), NodeDetails(*node));
  return absl::OkStatus();
}

absl::Status PeerSyncCommand(CommandContext& context) {
  const Invocation& inv = context.invocation();
  const std::string from = inv.Get("from");
  if (inv.Has("from") && from.empty()) {
    return absl::InvalidArgumentError(
        "--from is empty: give the peer's HOST:PORT, or leave --from out to sync with every "
        "member");
  }
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<SyncResult> result = from.empty()
                                          ? (*client)->SyncGroupWithMembers(inv.Get("group"))
                                          : (*client)->SyncGroup(from, inv.Get("group"));
  if (!result.ok()) return result.status();
  Json json = {{"group_id", inv.Get("group")}, {"peer", from.empty() ? Json(nullptr) : Json(from)}};
  const Json counts = ToJson(*result);
  for (auto item = counts.begin(); item != counts.end(); ++item) json[item.key()] = item.value();
  KeyValues values = {{"group_id", inv.Get("group")},
                      {"peer", from.empty() ? "(every member)" : from}};
  for (auto& value : SyncDetails(*result)) values.push_back(std::move(value));
  context.PrintObject(json, values, {{"Peers", PeersTable(result->peers)}});
  size_t failing = 0;
  for (const PeerStatus& peer : result->peers) failing += peer.status == "failing" ? 1 : 0;
  if (failing > 0) {
    context.err() << absl::StrFormat(
        "note: %d of %d member endpoints could not be synced (see last_error); the next round "
        "retries them\n",
        failing, result->peers.size());
  }
  return absl::OkStatus();
}

absl::Status PeerListCommand(CommandContext& context) {
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<std::vector<PeerStatus>> peers =
      (*client)->ListPeers(context.invocation().Get("group"));
  if (!peers.ok()) return peers.status();
  Json json = Json::array();
  for (const PeerStatus& peer : *peers) json.push_back(ToJson(peer));
  context.PrintList(json, PeersTable(*peers));
  return absl::OkStatus();
}

absl::Status OrgShowCommand(CommandContext& context) {
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<NodeInfo> node = (*client)->GetNodeInfo();
  if (!node.ok()) return node.status();
  const Json json = {
      {"key", node->org_key}, {"name", node->org_name}, {"endpoints", node->endpoints}};
  context.PrintObject(json, {{"key", node->org_key},
                             {"name", node->org_name},
                             {"endpoints", absl::StrJoin(node->endpoints, " ")}});
  return absl::OkStatus();
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

absl::Status OrgCardCommand(CommandContext& context) {
  const Invocation& inv = context.invocation();
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
    context.PrintObject({{"card_file", inv.Get("out")},
                         {"key", card->key},
                         {"name", card->name},
                         {"endpoints", card->endpoints}},
                        {{"card_file", inv.Get("out")},
                         {"key", card->key},
                         {"name", card->name},
                         {"endpoints", absl::StrJoin(card->endpoints, " ")}});
    return absl::OkStatus();
  }
  // The card is for another org's tools: JSON unless a format was asked for.
  if (!inv.global.output_given) {
    context.out() << OrgCardToJson(*card) << "\n";
    return absl::OkStatus();
  }
  context.PrintObject(ToJson(*card), OrgCardDetails(*card));
  return absl::OkStatus();
}

absl::Status TokenCreateCommand(CommandContext& context) {
  const Invocation& inv = context.invocation();
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<CreatedToken> token =
      (*client)->CreateToken(inv.Get("role"), inv.Get("label"), inv.GetAll("group"));
  if (!token.ok()) return token.status();
  const Json json = {{"token_id", token->token_id},
                     {"token", token->token},
                     {"role", inv.Get("role")},
                     {"label", inv.Get("label")},
                     {"group_ids", inv.GetAll("group")}};
  context.PrintObject(
      json, {{"token_id", token->token_id}, {"token", token->token}, {"role", inv.Get("role")}});
  context.err() << "note: store the token now; the node keeps only its hash and cannot show it "
                   "again\n";
  return absl::OkStatus();
}

absl::Status TokenListCommand(CommandContext& context) {
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<std::vector<TokenInfo>> tokens = (*client)->ListTokens();
  if (!tokens.ok()) return tokens.status();
  Json json = Json::array();
  for (const TokenInfo& token : *tokens) json.push_back(ToJson(token));
  context.PrintList(json, TokensTable(*tokens));
  return absl::OkStatus();
}

absl::Status TokenRevokeCommand(CommandContext& context) {
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  const std::string token_id = context.invocation().Positional(0);
  absl::Status status = (*client)->RevokeToken(token_id);
  if (!status.ok()) return status;
  context.PrintObject({{"token_id", token_id}, {"revoked", true}},
                      {{"token_id", token_id}, {"revoked", "yes"}});
  return absl::OkStatus();
}

// --- Contexts: local only, never contact a node. ---------------------------------------

std::string MaskToken(const std::string& token) {
  if (token.empty()) return "";
  if (token.size() <= 8) return "****";
  return token.substr(0, 4) + "..." + token.substr(token.size() - 4);
}

absl::Status ContextSetCommand(CommandContext& context) {
  const Invocation& inv = context.invocation();
  const std::string name = inv.Positional(0);
  absl::Status status = ValidateContextName(name);
  if (!status.ok()) return status;
  absl::StatusOr<std::string> path = context.config_path();
  if (!path.ok()) return path.status();
  absl::StatusOr<Config> config = context.config();
  if (!config.ok()) return config.status();
  // The values may also come as global flags placed before the verb.
  std::optional<std::string> endpoint = inv.global.endpoint;
  std::optional<std::string> token = inv.global.token;
  if (inv.Has("endpoint")) endpoint = inv.Get("endpoint");
  if (inv.Has("token")) token = inv.Get("token");
  const bool created = config->contexts.find(name) == config->contexts.end();
  if (created && !endpoint.has_value()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("context '%s' is new: give its --endpoint HOST:PORT", name));
  }
  Context& entry = config->contexts[name];
  if (endpoint.has_value()) entry.endpoint = *endpoint;
  if (token.has_value()) entry.token = *token;
  const bool made_current = config->current.empty();
  if (made_current) config->current = name;
  status = SaveConfig(*path, *config);
  if (!status.ok()) return status;
  context.PrintObject({{"context", name},
                       {"endpoint", entry.endpoint},
                       {"token_set", !entry.token.empty()},
                       {"current", config->current == name},
                       {"config_path", *path}},
                      {{"context", name},
                       {"endpoint", entry.endpoint},
                       {"token", MaskToken(entry.token)},
                       {"current", config->current == name ? "yes" : "no"},
                       {"config", *path}});
  if (made_current) {
    context.err() << absl::StrFormat("note: '%s' is now the current context\n", name);
  }
  return absl::OkStatus();
}

absl::Status ContextUseCommand(CommandContext& context) {
  const std::string name = context.invocation().Positional(0);
  absl::StatusOr<std::string> path = context.config_path();
  if (!path.ok()) return path.status();
  absl::StatusOr<Config> config = context.config();
  if (!config.ok()) return config.status();
  if (config->contexts.find(name) == config->contexts.end()) {
    return absl::NotFoundError(absl::StrFormat(
        "context '%s' is not in %s: create it with 'constellation context set %s --endpoint "
        "HOST:PORT'",
        name, *path, name));
  }
  config->current = name;
  absl::Status status = SaveConfig(*path, *config);
  if (!status.ok()) return status;
  context.PrintObject({{"current", name}}, {{"current", name}});
  return absl::OkStatus();
}

absl::Status ContextDeleteCommand(CommandContext& context) {
  const std::string name = context.invocation().Positional(0);
  absl::StatusOr<std::string> path = context.config_path();
  if (!path.ok()) return path.status();
  absl::StatusOr<Config> config = context.config();
  if (!config.ok()) return config.status();
  if (config->contexts.erase(name) == 0) {
    return absl::NotFoundError(absl::StrFormat("context '%s' is not in %s", name, *path));
  }
  if (config->current == name) config->current.clear();
  absl::Status status = SaveConfig(*path, *config);
  if (!status.ok()) return status;
  context.PrintObject({{"deleted", name}}, {{"deleted", name}});
  return absl::OkStatus();
}

absl::Status ContextListCommand(CommandContext& context) {
  absl::StatusOr<Config> config = context.config();
  if (!config.ok()) return config.status();
  Json json = Json::array();
  Table table{{{"current"}, {"name"}, {"endpoint"}, {"token"}}, {}};
  for (const auto& [name, entry] : config->contexts) {
    const bool current = name == config->current;
    json.push_back(Json{{"name", name},
                        {"endpoint", entry.endpoint},
                        {"token_set", !entry.token.empty()},
                        {"current", current}});
    table.rows.push_back({current ? "*" : "", name, entry.endpoint, MaskToken(entry.token)});
  }
  context.PrintList(json, table);
  return absl::OkStatus();
}

absl::Status ContextShowCommand(CommandContext& context) {
  absl::StatusOr<std::string> path = context.config_path();
  absl::StatusOr<Config> config = context.config();
  if (!config.ok()) return config.status();
  absl::StatusOr<Connection> connection =
      ResolveConnection(context.invocation().global, context.env(), *config);
  if (!connection.ok()) return connection.status();
  const std::string config_path = path.ok() ? *path : "";
  const Json json = {{"context", connection->context},
                     {"context_source", connection->context_source},
                     {"endpoint", connection->endpoint},
                     {"endpoint_source", connection->endpoint_source},
                     {"token_set", !connection->token.empty()},
                     {"token_source", connection->token_source},
                     {"config_path", config_path}};
  context.PrintObject(
      json, {{"context", connection->context.empty()
                             ? "(none)"
                             : absl::StrFormat("%s (from %s)", connection->context,
                                               connection->context_source)},
             {"endpoint",
              absl::StrFormat("%s (from %s)", connection->endpoint, connection->endpoint_source)},
             {"token", connection->token.empty()
                           ? "(none)"
                           : absl::StrFormat("%s (from %s)", MaskToken(connection->token),
                                             connection->token_source)},
             {"config", config_path}});
  return absl::OkStatus();
}

}  // namespace

std::vector<Command> AdminCommands() {
  std::vector<Command> commands;
  commands.push_back(
      {{"node",
        "info",
        "Show the node: its org, endpoints, version, counts and your role",
        {},
        {},
        "JSON keys: org_key, org_name, endpoints, version, group_count, event_count, "
        "caller_role.",
        "constellation node info --endpoint 127.0.0.1:7400 --token $TOKEN"},
       NodeInfoCommand});
  commands.push_back(
      {{"peer",
        "sync",
        "Sync a group now (admin only): pull from one peer, or a round with every member",
        {},
        {{"group", "GROUP", "group id (64 hex characters)", true},
         {"from", "HOST:PORT",
          "pull from this peer node only (default: an anti-entropy round with every member, "
          "both directions)"}},
        "With --from, the peer must count this node's org as a member of the group (or be "
        "another node of the same org, e.g. after a restore). Without it, every member's node "
        "is tried; one that cannot be reached shows as failing in the Peers table and does not "
        "fail the command. Every event is verified. JSON keys: group_id, peer (null for a round "
        "with every member), received, inserted, duplicate, waiting, rounds, sent, state_hash, "
        "peers.",
        "constellation peer sync --group $GROUP --from 10.0.0.7:7400"},
       PeerSyncCommand});
  commands.push_back(
      {{"peer",
        "list",
        "List the member nodes this node replicates with, and how replication goes",
        {},
        {{"group", "GROUP", "only peers of this group (default: every group)"}},
        "Status is ok, failing (backing off until next_attempt) or unknown (not contacted "
        "yet); it is a hint, every round is stateless. CSV columns: org, name, endpoint, "
        "status, last_success, failures, next_attempt, sent, received, last_error.",
        "constellation peer list --group $GROUP"},
       PeerListCommand});
  commands.push_back({{"org",
                       "show",
                       "Show this node's organisation: key, name, endpoints",
                       {},
                       {},
                       "JSON keys: key, name, endpoints.",
                       "constellation org show"},
                      OrgShowCommand});
  commands.push_back(
      {{"org",
        "card",
        "Print this org's card (JSON by default), for another org to propose "
        "admitting it",
        {},
        {{"out", "FILE", "write the card to FILE instead of printing it"}},
        "The card is {\"key\", \"name\", \"endpoints\"}; send it to a member of the group that "
        "will propose the admission ('constellation proposal admit --card FILE'). -o table "
        "shows it as key/value lines. With --out, prints card_file, key, name, endpoints.",
        "constellation org card --out my-org.card.json"},
       OrgCardCommand});
  commands.push_back(
      {{"token",
        "create",
        "Issue a token (admin only); the secret is shown once",
        {},
        {{"role", "ROLE", "admin | member | auditor", true},
         {"label", "LABEL", "who holds it, for people"},
         {"group", "GROUP", "auditor only: limit reads to this group id", false, true}},
        "JSON keys: token_id, token (the secret), role, label, group_ids.",
        "constellation token create --role auditor --label 'external audit 2026' --group "
        "$GROUP"},
       TokenCreateCommand});
  commands.push_back({{"token",
                       "list",
                       "List tokens (never their secrets; admin only)",
                       {},
                       {},
                       "CSV/JSON keys: token_id, role, label, group_ids, created_ms, revoked.",
                       "constellation token list -o csv"},
                      TokenListCommand});
  commands.push_back({{"token",
                       "revoke",
                       "Revoke a token; later calls with it fail",
                       {{"ID", "the token id (from 'token list')"}},
                       {},
                       "",
                       "constellation token revoke 7f3c2a"},
                      TokenRevokeCommand});
  commands.push_back(
      {{"context",
        "set",
        "Create or update a named context (node endpoint + token)",
        {{"NAME", "context name: letters, digits, '-', '_', '.'"}},
        {{"endpoint", "HOST:PORT", "the node's address (required for a new context)"},
         {"token", "TOKEN", "bearer token to store with it"}},
        "Writes the config file with mode 0600. The first context becomes the current one.",
        "constellation context set local --endpoint 127.0.0.1:7400 --token $TOKEN"},
       ContextSetCommand});
  commands.push_back({{"context",
                       "use",
                       "Make a context the current one",
                       {{"NAME", "context name"}},
                       {},
                       "",
                       "constellation context use local"},
                      ContextUseCommand});
  commands.push_back({{"context",
                       "list",
                       "List contexts; * marks the current one",
                       {},
                       {},
                       "JSON keys: name, endpoint, token_set, current.",
                       "constellation context list"},
                      ContextListCommand});
  commands.push_back(
      {{"context",
        "show",
        "Show where commands connect now, and where each value comes from",
        {},
        {},
        "Sources: flag, env, context/config, default. JSON keys: context, context_source, "
        "endpoint, endpoint_source, token_set, token_source, config_path.",
        "constellation context show --context staging"},
       ContextShowCommand});
  commands.push_back({{"context",
                       "delete",
                       "Remove a context from the config file",
                       {{"NAME", "context name"}},
                       {},
                       "",
                       "constellation context delete old"},
                      ContextDeleteCommand});
  return commands;
}

}  // namespace constellation::cli
