// cli/commands.cc: the command context, the registry and RunCli.
#include "cli/commands.h"

#include <cstdlib>
#include <exception>

#include <absl/strings/str_format.h>

#include "cli/exit_code.h"
#include "cli/help.h"

namespace constellation::cli {
namespace {

// The leading words of `args` that name a known noun (and verb), for "run ... --help".
std::string HelpPath(const std::vector<std::string>& args) {
  std::vector<std::string> words;
  for (const std::string& arg : args) {
    if (!arg.empty() && arg[0] == '-') continue;
    words.push_back(arg);
    if (words.size() == 2) break;
  }
  std::string path = "constellation";
  bool noun_known = false;
  for (const CommandSpec& spec : AllCommandSpecs()) {
    if (!words.empty() && spec.noun == words[0]) noun_known = true;
  }
  if (!noun_known) return path;
  path += " " + words[0];
  for (const CommandSpec& spec : AllCommandSpecs()) {
    if (words.size() == 2 && spec.noun == words[0] && spec.verb == words[1]) {
      return path + " " + words[1];
    }
  }
  return path;
}

// A hint that only makes sense for one command, or "".
std::string CommandHint(const absl::Status& status, const CommandContext& context) {
  const CommandSpec* command = context.invocation().command;
  if (command == nullptr) return "";
  const std::string name = command->noun + " " + command->verb;
  const std::string group = context.invocation().Get("group");
  const absl::StatusCode code = status.code();
  if (name == "group join") {
    if (code == absl::StatusCode::kFailedPrecondition) {
      return "the admission must be passed and final before joining: ask a member to run "
             "'constellation proposal show --group " +
             group + " --proposal ID' (or 'proposal waiting') and retry once it is final";
    }
    if (code == absl::StatusCode::kPermissionDenied) {
      return "the peer does not know of a passed admission of this org: check --from names a "
             "member's node that already holds the admission, or let it sync first ('constellation "
             "peer sync' on that node)";
    }
    if (code == absl::StatusCode::kUnavailable) {
      return absl::StrFormat(
          "the peer %s (or this node) cannot be reached: check the address from the "
          "invitation and that both nodes run, then rerun with --request-id %s so that the "
          "join happens once",
          context.invocation().Get("from"), context.request_id());
    }
  }
  if (name == "peer sync" && code == absl::StatusCode::kUnavailable &&
      context.invocation().Has("from")) {
    return absl::StrFormat(
        "the peer %s (or this node) cannot be reached: check the address and that the peer "
        "runs; without --from, a round with every member skips members that are down",
        context.invocation().Get("from"));
  }
  if (command->noun == "member" && (code == absl::StatusCode::kPermissionDenied ||
                                    code == absl::StatusCode::kFailedPrecondition)) {
    return "this org may have left the group already (a notice takes effect after the "
           "charter's notice period): see 'constellation member list --group " +
           group + "'";
  }
  if (command->noun == "proposal" && code == absl::StatusCode::kFailedPrecondition &&
      (command->verb == "vote" || command->verb == "close")) {
    return "see the proposal's state with 'constellation proposal show --group " + group +
           " --proposal " + context.invocation().Get("proposal") + "'";
  }
  if (command->noun == "proposal" && code == absl::StatusCode::kPermissionDenied) {
    if (command->verb == "vote") {
      return "only members of the proposal's electorate (fixed when it was made) may vote: see "
             "'constellation proposal show'";
    }
    if (command->verb == "close") return "only the proposal's proposer may close it early";
  }
  if (name == "proposal admit" && code == absl::StatusCode::kFailedPrecondition) {
    return "the charter may not allow this decision type, or the org is already a member: see "
           "'constellation group show " +
           group + "'";
  }
  return "";
}

// What to suggest after an error, or "".
std::string Hint(const absl::Status& status, const CommandContext& context) {
  const std::string command_hint = CommandHint(status, context);
  if (!command_hint.empty()) return command_hint;
  const std::optional<Connection>& connection = context.connection();
  const bool write = context.invocation().command != nullptr && context.invocation().command->write;
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
      if (write && !context.request_id().empty()) {
        return absl::StrFormat(
            "is constellationd running at %s (endpoint from %s)? The write may or may not "
            "have happened: rerun it with --request-id %s to make sure it happens once",
            connection ? connection->endpoint : kDefaultEndpoint,
            connection ? connection->endpoint_source : "default", context.request_id());
      }
      return absl::StrFormat(
          "is constellationd running at %s (endpoint from %s)? Set another with --endpoint, "
          "CONSTELLATION_ENDPOINT or 'constellation context set'",
          connection ? connection->endpoint : kDefaultEndpoint,
          connection ? connection->endpoint_source : "default");
    case absl::StatusCode::kDeadlineExceeded:
      if (write && !context.request_id().empty()) {
        return absl::StrFormat(
            "the write may have happened: rerun it with --request-id %s to make sure it "
            "happens exactly once (or raise --timeout)",
            context.request_id());
      }
      return "the node did not answer in time: raise --timeout or retry";
    case absl::StatusCode::kUnauthenticated:
      return absl::StrFormat(
          "the token (from %s) was not accepted: pass one with --token or CONSTELLATION_TOKEN, "
          "or store it with 'constellation context set NAME --endpoint E --token T'",
          connection ? connection->token_source : "none");
    case absl::StatusCode::kPermissionDenied:
      return "check the token's role with 'constellation node info' (admin: tokens and groups; "
             "member: this org's records; auditor: read only)";
    default:
      return "";
  }
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

void CommandContext::PrintList(const Json& json, const Table& table) {
  switch (format()) {
    case OutputFormat::kJson:
      out_ << DumpJson(json) << "\n";
      break;
    case OutputFormat::kCsv:
      out_ << RenderCsv(table);
      break;
    case OutputFormat::kTable:
      out_ << RenderTable(table);
      break;
  }
}

void CommandContext::PrintObject(const Json& json, const KeyValues& values,
                                 const std::vector<std::pair<std::string, Table>>& tables) {
  switch (format()) {
    case OutputFormat::kJson:
      out_ << DumpJson(json) << "\n";
      break;
    case OutputFormat::kCsv:
      out_ << RenderKeyValuesCsv(values);
      break;
    case OutputFormat::kTable:
      out_ << RenderKeyValues(values);
      for (const auto& [title, table] : tables) {
        if (table.rows.empty()) continue;
        out_ << "\n" << title << ":\n" << RenderTable(table);
      }
      break;
  }
}

std::string DumpJson(const Json& json) {
  return json.dump(2, ' ', false, Json::error_handler_t::replace);
}

const std::vector<Command>& AllCommands() {
  static const std::vector<Command>* const kCommands = [] {
    auto* commands = new std::vector<Command>();
    for (std::vector<Command> part :
         {AdminCommands(), GroupCommands(), GovernanceCommands(), PledgeCommands()}) {
      for (Command& command : part) commands->push_back(std::move(command));
    }
    return commands;
  }();
  return *kCommands;
}

const std::vector<CommandSpec>& AllCommandSpecs() {
  static const std::vector<CommandSpec>* const kSpecs = [] {
    auto* specs = new std::vector<CommandSpec>();
    for (const Command& command : AllCommands()) specs->push_back(command.spec);
    return specs;
  }();
  return *kSpecs;
}

EnvLookup ProcessEnv() {
  return [](const std::string& name) -> std::optional<std::string> {
    const char* value = std::getenv(name.c_str());
    if (value == nullptr || *value == '\0') return std::nullopt;
    return std::string(value);
  };
}

int RunCli(const std::vector<std::string>& args, const EnvLookup& env, std::ostream& out,
           std::ostream& err) {
  const std::vector<CommandSpec>& specs = AllCommandSpecs();
  if (args.size() == 1 && args[0] == "--version") {
    out << "constellation " << SdkVersion() << "\n";
    return ToInt(ExitCode::kOk);
  }
  absl::StatusOr<Invocation> invocation = ParseArgs(args, specs);
  if (!invocation.ok()) {
    err << "error: " << invocation.status().message() << "\n"
        << "run '" << HelpPath(args) << " --help' for usage\n";
    return ToInt(ExitCode::kUsage);
  }
  if (invocation->help) {
    out << HelpFor(*invocation, specs);
    return ToInt(ExitCode::kOk);
  }
  const CommandSpec& spec = *invocation->command;
  const Command* command = nullptr;
  for (const Command& candidate : AllCommands()) {
    if (candidate.spec.noun == spec.noun && candidate.spec.verb == spec.verb) command = &candidate;
  }
  CommandContext context(*invocation, env, out, err);
  absl::Status status;
  try {
    status = command->run(context);
  } catch (const std::exception& error) {
    // Libraries that throw (JSON, TOML) are caught here at the latest, never past main.
    status = absl::InternalError(absl::StrFormat("unexpected exception: %s", error.what()));
  }
  out.flush();
  if (status.ok()) return ToInt(ExitCode::kOk);
  err << "error: " << status.message() << "\n";
  const std::string hint = Hint(status, context);
  if (!hint.empty()) err << "hint: " << hint << "\n";
  return ToInt(ExitCodeFor(status.code()));
}

}  // namespace constellation::cli
