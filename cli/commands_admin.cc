// cli/commands_admin.cc: node, org, token and context commands.
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
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<SyncResult> result = (*client)->SyncGroup(inv.Get("from"), inv.Get("group"));
  if (!result.ok()) return result.status();
  const Json json = {{"group_id", inv.Get("group")},     {"peer", inv.Get("from")},
                     {"received", result->received},     {"inserted", result->inserted},
                     {"duplicate", result->duplicate},   {"waiting", result->waiting},
                     {"rounds", result->rounds},         {"state_hash", result->state_hash}};
  context.PrintObject(json, {{"group_id", inv.Get("group")},
                             {"peer", inv.Get("from")},
                             {"received", absl::StrFormat("%d", result->received)},
                             {"inserted", absl::StrFormat("%d", result->inserted)},
                             {"duplicate", absl::StrFormat("%d", result->duplicate)},
                             {"waiting", absl::StrFormat("%d", result->waiting)},
                             {"rounds", absl::StrFormat("%d", result->rounds)},
                             {"state_hash", result->state_hash}});
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

absl::Status OrgCardCommand(CommandContext& context) {
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<NodeInfo> node = (*client)->GetNodeInfo();
  if (!node.ok()) return node.status();
  const Json card = {
      {"key", node->org_key}, {"name", node->org_name}, {"endpoints", node->endpoints}};
  // The card is for another org's tools: JSON unless a format was asked for.
  if (!context.invocation().global.output_given) {
    context.out() << DumpJson(card) << "\n";
    return absl::OkStatus();
  }
  context.PrintObject(card, {{"key", node->org_key},
                             {"name", node->org_name},
                             {"endpoints", absl::StrJoin(node->endpoints, " ")}});
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
        "Pull a group from a peer node into this node (admin only), verifying every event",
        {},
        {{"from", "HOST:PORT", "the peer node that holds the group", true},
         {"group", "GROUP", "group id (64 hex characters)", true}},
        "The peer must count this node's org as a member of the group (or be another node of "
        "the same org, e.g. after a restore). JSON keys: group_id, peer, received, inserted, "
        "duplicate, waiting, rounds, state_hash.",
        "constellation peer sync --from 10.0.0.7:7400 --group $GROUP"},
       PeerSyncCommand});
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
        {},
        "The card is {\"key\", \"name\", \"endpoints\"}; send it to a member of the group that "
        "will propose the admission. -o table shows it as key/value lines.",
        "constellation org card > my-org.card.json"},
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
