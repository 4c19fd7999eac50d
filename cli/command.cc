// cli/command.cc
#include "cli/command.h"

namespace constellation::cli {

CommandContext::CommandContext(const Invocation& invocation, EnvLookup env, std::ostream& err)
    : invocation_(invocation), env_(std::move(env)), err_(err) {}

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
  connection_ = *connection;
  ClientOptions options;
  options.endpoint = connection->endpoint;
  options.token = connection->token;
  if (invocation_.global.timeout.has_value()) options.deadline = *invocation_.global.timeout;
  absl::StatusOr<std::unique_ptr<Client>> client = Client::Connect(options);
  if (!client.ok()) return client.status();
  client_ = *std::move(client);
  return client_.get();
}

WriteOptions CommandContext::write_options() {
  if (request_id_.empty()) {
    request_id_ = invocation_.Has("request-id") ? invocation_.Get("request-id") : NewRequestId();
  }
  return WriteOptions{request_id_};
}

FlagSpec GroupFlag() { return {"group", "GROUP", "group id (64 hex characters)", true}; }

}  // namespace constellation::cli
