// cli/commands.cc: the registry of commands, the generic error hints and RunCli.
#include "cli/commands.h"

#include <algorithm>
#include <cstdio>
#include <cstdlib>
#include <exception>
#include <string_view>

#include <absl/strings/str_format.h>

#include "cli/audit/commands.h"
#include "cli/completion.h"
#include "cli/context/commands.h"
#include "cli/convenings/commands.h"
#include "cli/exit_code.h"
#include "cli/fundraising/commands.h"
#include "cli/governance/commands.h"
#include "cli/group/commands.h"
#include "cli/health/commands.h"
#include "cli/help.h"
#include "cli/ids.h"
#include "cli/measurement/commands.h"
#include "cli/node/commands.h"
#include "cli/pooled/commands.h"
#include "cli/strategy/commands.h"
#include "cli/teams/commands.h"

namespace constellation::cli {
namespace {

// The registry: every noun, in help order, with the domain table that holds its verbs.
struct NounEntry {
  std::string_view noun;
  std::vector<Command> (*commands)();
};
constexpr NounEntry kNouns[] = {
    {"node", NodeCommands},
    {"peer", NodeCommands},
    {"org", NodeCommands},
    {"token", NodeCommands},
    {"context", ContextCommands},
    {"group", GroupCommands},
    {"group", GovernanceCommands},
    {"campaign", FundraisingCommands},
    {"member", GroupCommands},
    {"member", GovernanceCommands},
    {"proposal", GovernanceCommands},
    {"pledge", FundraisingCommands},
    {"pool", PooledCommands},
    {"convening", ConveningCommands},
    {"health", HealthCommands},
    {"pulse", HealthCommands},
    {"strategy", StrategyCommands},
    {"measure", MeasurementCommands},
    {"team", TeamCommands},
    {"audit", AuditCommands},
    {"completion", CompletionCommands},
};

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

// What to suggest after an error of `command`, or "".
std::string Hint(const absl::Status& status, const Command& command,
                 const CommandContext& context) {
  if (command.hint != nullptr) {
    const std::string command_hint = command.hint(status, context);
    if (!command_hint.empty()) return command_hint;
  }
  const std::optional<Connection>& connection = context.connection();
  const std::string endpoint = connection ? connection->endpoint : kDefaultEndpoint;
  const std::string endpoint_source = connection ? connection->endpoint_source : "default";
  const bool rerun = command.spec.write && !context.request_id().empty();
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
      if (rerun) {
        return absl::StrFormat(
            "is constellationd running at %s (endpoint from %s)? The write may or may not "
            "have happened: rerun it with --request-id %s to make sure it happens once",
            endpoint, endpoint_source, context.request_id());
      }
      return absl::StrFormat(
          "is constellationd running at %s (endpoint from %s)? Set another with --endpoint, "
          "CONSTELLATION_ENDPOINT or 'constellation context set'",
          endpoint, endpoint_source);
    case absl::StatusCode::kDeadlineExceeded:
      if (rerun) {
        return absl::StrFormat(
            "the write may have happened: rerun it with --request-id %s to make sure it "
            "happens exactly once (or raise --timeout)",
            context.request_id());
      }
      return "the node did not answer in time: raise --timeout or retry";
    case absl::StatusCode::kUnauthenticated:
      if (connection && connection->token.empty()) {
        return "no token: set CONSTELLATION_TOKEN or pass --token (or store one with "
               "'constellation context set NAME --endpoint E --token T'). An admin issues one "
               "with 'constellation token create --role member' on the node; the first admin "
               "token is the one 'constellationd init' printed (--admin-token-file)";
      }
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

const Command& FindCommand(const CommandSpec& spec) {
  for (const Command& command : AllCommands()) {
    if (command.spec.noun == spec.noun && command.spec.verb == spec.verb) return command;
  }
  std::fprintf(stderr, "constellation: no command '%s %s'\n", spec.noun.c_str(), spec.verb.c_str());
  std::abort();
}

}  // namespace

const std::vector<Command>& AllCommands() {
  static const std::vector<Command>* const kCommands = [] {
    auto* commands = new std::vector<Command>();
    size_t registered = 0;
    std::vector<std::vector<Command> (*)()> domains;
    for (const NounEntry& entry : kNouns) {
      const std::vector<Command> domain = entry.commands();
      for (const Command& command : domain) {
        if (command.spec.noun == entry.noun) commands->push_back(command);
      }
      if (std::find(domains.begin(), domains.end(), entry.commands) == domains.end()) {
        domains.push_back(entry.commands);
        registered += domain.size();
      }
    }
    // A domain's command whose noun has no row above would be silently unreachable.
    if (commands->size() != registered) {
      std::fprintf(stderr, "constellation: %zu commands of the domains have no noun in kNouns\n",
                   registered - commands->size());
      std::abort();
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
           std::ostream& err, bool out_is_terminal, bool err_is_terminal) {
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
  const Command& command = FindCommand(*invocation->command);
  CommandContext context(*invocation, env, out, err);
  context.set_show_progress(err_is_terminal);
  absl::Status status;
  try {
    // Short ids and names become full ids before the handler sees them (cli/ids.h).
    status = ResolveIds(*invocation, context);
    absl::StatusOr<Output> output =
        status.ok() ? command.run(*invocation, context) : absl::StatusOr<Output>(status);
    status = output.status();
    if (output.ok() && context.format() == OutputFormat::kTable) {
      if (std::optional<Group> group = NamedGroup(*invocation, context)) {
        if (HasOrgKeys(*output)) output->org_names = MemberNames(*group);  // names beside keys
        // Every view of a dissolved group says so (docs/PROTOCOL.md §5.6, "Dissolution").
        if (!group->dissolved_by.empty()) {
          output->notes.push_back(absl::StrFormat(
              "group %s is dissolved (proposal %s): it accepts only the records that settle it "
              "(payments, disbursements of what remains, acknowledgements, leaving)",
              group->charter.name, ShortId(group->dissolved_by)));
        }
      }
    }
    if (output.ok()) {
      out << RenderOutput(*output, context.format(),
                          UseColour(out_is_terminal, env("NO_COLOR"), env("TERM")));
      for (const std::string& note : output->notes) {
        err << "note: " << EscapeControls(note, EscapeStyle::kLines) << "\n";
      }
    }
  } catch (const std::exception& error) {
    // Libraries that throw (JSON, TOML) are caught here at the latest, never past main.
    status = absl::InternalError(absl::StrFormat("unexpected exception: %s", error.what()));
  }
  out.flush();
  if (status.ok()) return ToInt(ExitCode::kOk);
  err << "error: " << EscapeControls(ErrorText(status), EscapeStyle::kLines) << "\n";
  const std::string hint = Hint(status, command, context);
  if (!hint.empty()) err << "hint: " << EscapeControls(hint, EscapeStyle::kLines) << "\n";
  return ToInt(ExitCodeOf(status));
}

}  // namespace constellation::cli
