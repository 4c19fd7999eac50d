// cli/context/commands.cc: context commands (local only, never contact a node).
#include "cli/context/commands.h"

#include <absl/strings/str_format.h>

#include "cli/context/render.h"

namespace constellation::cli {
namespace {

absl::StatusOr<Output> ContextSetCommand(const Invocation& inv, CommandContext& context) {
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
  if (inv.global.ca_file.has_value()) entry.ca_file = *inv.global.ca_file;
  if (inv.global.cert_file.has_value()) entry.cert_file = *inv.global.cert_file;
  if (inv.global.key_file.has_value()) entry.key_file = *inv.global.key_file;
  const bool made_current = config->current.empty();
  if (made_current) config->current = name;
  status = SaveConfig(*path, *config);
  if (!status.ok()) return status;
  Output output = ContextSetOutput({name, entry, config->current == name}, *path);
  if (made_current) {
    output.notes.push_back(absl::StrFormat("'%s' is now the current context", name));
  }
  return output;
}

// Loads the config file, lets `edit` change it (or fail), and saves it.
template <typename Edit>
absl::Status EditConfig(CommandContext& context, Edit&& edit) {
  absl::StatusOr<std::string> path = context.config_path();
  if (!path.ok()) return path.status();
  absl::StatusOr<Config> config = context.config();
  if (!config.ok()) return config.status();
  absl::Status status = edit(*path, *config);
  if (!status.ok()) return status;
  return SaveConfig(*path, *config);
}

absl::StatusOr<Output> ContextUseCommand(const Invocation& inv, CommandContext& context) {
  const std::string name = inv.Positional(0);
  absl::Status status = EditConfig(context, [&](const std::string& path, Config& config) {
    if (config.contexts.find(name) == config.contexts.end()) {
      return absl::NotFoundError(absl::StrFormat(
          "context '%s' is not in %s: create it with 'constellation context set %s --endpoint "
          "HOST:PORT'",
          name, path, name));
    }
    config.current = name;
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return Output::Object({{"current", name}}, {{"current", name}});
}

absl::StatusOr<Output> ContextDeleteCommand(const Invocation& inv, CommandContext& context) {
  const std::string name = inv.Positional(0);
  absl::Status status = EditConfig(context, [&](const std::string& path, Config& config) {
    if (config.contexts.erase(name) == 0) {
      return absl::NotFoundError(absl::StrFormat("context '%s' is not in %s", name, path));
    }
    if (config.current == name) config.current.clear();
    return absl::OkStatus();
  });
  if (!status.ok()) return status;
  return Output::Object({{"deleted", name}}, {{"deleted", name}});
}

absl::StatusOr<Output> ContextListCommand(const Invocation&, CommandContext& context) {
  absl::StatusOr<Config> config = context.config();
  if (!config.ok()) return config.status();
  std::vector<ContextEntry> entries;
  for (const auto& [name, entry] : config->contexts) {
    entries.push_back({name, entry, name == config->current});
  }
  return kContextFormat(entries);
}

absl::StatusOr<Output> ContextShowCommand(const Invocation& inv, CommandContext& context) {
  absl::StatusOr<std::string> path = context.config_path();
  absl::StatusOr<Config> config = context.config();
  if (!config.ok()) return config.status();
  absl::StatusOr<Connection> connection = ResolveConnection(inv.global, context.env(), *config);
  if (!connection.ok()) return connection.status();
  return ConnectionOutput(*connection, path.ok() ? *path : "");
}

}  // namespace

std::vector<Command> ContextCommands() {
  return {
      Command("context set", ContextSetCommand)
          .Summary("Create or update a named context (node endpoint + token)")
          .Argument("NAME", "context name: letters, digits, '-', '_', '.'")
          .Optional("--endpoint HOST:PORT", "the node's address (required for a new context)")
          .Optional("--token TOKEN", "bearer token to store with it")
          .Details(
              "Writes the config file with mode 0600. The first context becomes the current one.")
          .Example("constellation context set local --endpoint 127.0.0.1:7400 --token $TOKEN"),
      Command("context use", ContextUseCommand)
          .Summary("Make a context the current one")
          .Argument("NAME", "context name")
          .Example("constellation context use local"),
      Command("context list", ContextListCommand)
          .Summary("List contexts; * marks the current one")
          .Details("JSON keys: name, endpoint, token_set, current.")
          .Example("constellation context list"),
      Command("context show", ContextShowCommand)
          .Summary("Show where commands connect now, and where each value comes from")
          .Details(
              "Sources: flag, env, context/config, default. JSON keys: context, context_source, "
              "endpoint, endpoint_source, token_set, token_source, config_path.")
          .Example("constellation context show --context staging"),
      Command("context delete", ContextDeleteCommand)
          .Summary("Remove a context from the config file")
          .Argument("NAME", "context name")
          .Example("constellation context delete old"),
  };
}

}  // namespace constellation::cli
