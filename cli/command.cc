// cli/command.cc
#include "cli/command.h"

#include "cli/ids.h"

namespace constellation::cli {
namespace {

// "--name VALUE" or "--name" (a boolean flag).
FlagSpec FlagOfUsage(std::string_view usage, std::string help) {
  usage.remove_prefix(usage.starts_with("--") ? 2 : 0);
  const size_t space = usage.find(' ');
  FlagSpec flag;
  flag.name = std::string(usage.substr(0, space));
  flag.value_name = space == std::string_view::npos ? "" : std::string(usage.substr(space + 1));
  flag.help = std::move(help);
  return flag;
}

}  // namespace

CommandContext::CommandContext(const Invocation& invocation, EnvLookup env, std::ostream& out,
                               std::ostream& err)
    : invocation_(invocation), env_(std::move(env)), out_(out), err_(err) {}

absl::StatusOr<std::string> CommandContext::config_path() { return ConfigPath(env_); }

absl::StatusOr<Config> CommandContext::config() {
  if (config_.has_value()) return *config_;
  absl::StatusOr<std::string> path = config_path();
  if (!path.ok()) {
    // Without any place for a config file, flags and environment still work.
    config_ = Config{};
    return *config_;
  }
  absl::StatusOr<Config> loaded = LoadConfig(*path);
  if (!loaded.ok()) return loaded.status();
  config_ = *std::move(loaded);
  return *config_;
}

absl::StatusOr<Client*> CommandContext::client() {
  if (client_ != nullptr) return client_.get();
  absl::StatusOr<Config> loaded = config();
  if (!loaded.ok()) return loaded.status();
  absl::StatusOr<Connection> connection = ResolveConnection(invocation_.global, env_, *loaded);
  if (!connection.ok()) return connection.status();
  absl::Status tls = ValidateTls(*connection);
  if (!tls.ok()) return tls;
  connection_ = *connection;
  ClientOptions options;
  options.endpoint = connection->endpoint;
  options.token = connection->token;
  options.tls_ca_file = connection->ca_file;
  options.tls_cert_file = connection->cert_file;
  options.tls_key_file = connection->key_file;
  if (invocation_.global.timeout.has_value()) options.deadline = *invocation_.global.timeout;
  absl::StatusOr<std::unique_ptr<Client>> client = Client::Connect(options);
  if (!client.ok()) return client.status();
  client_ = *std::move(client);
  return client_.get();
}

absl::StatusOr<std::string> CommandContext::own_org_key() {
  if (own_org_key_.has_value()) return *own_org_key_;
  absl::StatusOr<Client*> connected = client();
  if (!connected.ok()) return connected.status();
  absl::StatusOr<NodeInfo> node = (*connected)->GetNodeInfo();
  if (!node.ok()) return node.status();
  own_org_key_ = node->org_key;
  return *own_org_key_;
}

WriteOptions CommandContext::write_options() {
  if (request_id_.empty()) {
    request_id_ = invocation_.Has("request-id") ? invocation_.Get("request-id") : NewRequestId();
  }
  return WriteOptions{request_id_};
}

Command::Command(std::string_view name, CommandHandler handler) : run(handler) {
  const size_t space = name.find(' ');
  spec.noun = std::string(name.substr(0, space));
  spec.verb = space == std::string_view::npos ? "" : std::string(name.substr(space + 1));
}

Command&& Command::Summary(std::string text) && {
  spec.summary = std::move(text);
  return std::move(*this);
}

Command&& Command::Argument(std::string name, std::string help) && {
  const IdKind id = IdKindOfValueName(name);
  spec.positionals.push_back({std::move(name), std::move(help), true, id});
  return std::move(*this);
}

Command&& Command::OptionalArgument(std::string name, std::string help) && {
  const IdKind id = IdKindOfValueName(name);
  spec.positionals.push_back({std::move(name), std::move(help), false, id});
  return std::move(*this);
}

Command&& Command::Flag(FlagSpec flag) && {
  flag.id = IdKindOfValueName(flag.value_name);
  spec.flags.push_back(std::move(flag));
  return std::move(*this);
}

Command&& Command::Flags(std::vector<FlagSpec> flags) && {
  for (FlagSpec& flag : flags) std::move(*this).Flag(std::move(flag));
  return std::move(*this);
}

Command&& Command::Required(std::string_view usage, std::string help) && {
  FlagSpec flag = FlagOfUsage(usage, std::move(help));
  flag.required = true;
  return std::move(*this).Flag(std::move(flag));
}

Command&& Command::Optional(std::string_view usage, std::string help) && {
  return std::move(*this).Flag(FlagOfUsage(usage, std::move(help)));
}

Command&& Command::Repeated(std::string_view usage, std::string help) && {
  FlagSpec flag = FlagOfUsage(usage, std::move(help));
  flag.repeatable = true;
  return std::move(*this).Flag(std::move(flag));
}

Command&& Command::Details(std::string text) && {
  spec.details = std::move(text);
  return std::move(*this);
}

Command&& Command::Example(std::string text) && {
  spec.example = std::move(text);
  return std::move(*this);
}

Command&& Command::Write() && {
  spec.write = true;
  return std::move(*this);
}

Command&& Command::Hint(CommandHint hint_function) && {
  hint = hint_function;
  return std::move(*this);
}

FlagSpec GroupFlag() {
  return {"group", "GROUP", "the group: its id, a unique id prefix or its name", true};
}

}  // namespace constellation::cli
