// cli/commands.h
//
// The commands of the CLI and the one entry point, RunCli, that main() calls: parse, show help,
// connect (lazily, only for commands that talk to a node), run, print the result, and turn the
// outcome into an exit code (cli/exit_code.h). Errors go to `err` as "error: <message>", plus
// "hint: ..." when there is something useful to suggest.
// Thread safety: RunCli is re-entrant (no globals but constant tables); a CommandContext
// belongs to one run.
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <constellation/client.h>

#include "cli/args.h"
#include "cli/config.h"
#include "cli/output.h"
#include "cli/render.h"

namespace constellation::cli {

// Reads every entry of an SDK stream (PledgeHistoryStream, GroupEventStream) into a vector:
// the printers need all rows (JSON array, aligned table). Returns the stream's error, if any.
template <typename Entry, typename Stream>
absl::StatusOr<std::vector<Entry>> ReadAll(Stream& stream) {
  std::vector<Entry> entries;
  Entry entry;
  while (true) {
    absl::StatusOr<bool> more = stream.Next(&entry);
    if (!more.ok()) return more.status();
    if (!*more) return entries;
    entries.push_back(std::move(entry));
  }
}

// What a running command has at hand.
class CommandContext {
 public:
  CommandContext(const Invocation& invocation, EnvLookup env, std::ostream& out, std::ostream& err);

  const Invocation& invocation() const { return invocation_; }
  OutputFormat format() const { return invocation_.global.output; }
  std::ostream& out() { return out_; }
  std::ostream& err() { return err_; }
  const EnvLookup& env() const { return env_; }

  // The config file path and contents (loaded once).
  absl::StatusOr<std::string> config_path();
  absl::StatusOr<Config> config();

  // The client, connected on first use to the endpoint and token the precedence rules pick.
  absl::StatusOr<Client*> client();
  // The resolved connection, once client() has run.
  const std::optional<Connection>& connection() const { return connection_; }

  // The write options of this command: --request-id, or a fresh id generated once (so that an
  // error hint can name it for a safe rerun).
  WriteOptions write_options();
  const std::string& request_id() const { return request_id_; }

  // Prints a list: a table, CSV, or `json` (an array).
  void PrintList(const Json& json, const Table& table);
  // Prints one object: key/value lines (plus `tables`, each under its title), CSV key/value
  // rows, or `json`.
  void PrintObject(const Json& json, const KeyValues& values,
                   const std::vector<std::pair<std::string, Table>>& tables = {});

 private:
  const Invocation& invocation_;
  EnvLookup env_;
  std::ostream& out_;
  std::ostream& err_;
  std::optional<Config> config_;
  std::optional<Connection> connection_;
  std::unique_ptr<Client> client_;
  std::string request_id_;
};

using CommandHandler = std::function<absl::Status(CommandContext&)>;

struct Command {
  CommandSpec spec;
  CommandHandler run;
};

// Every command, in help order. Defined per area in commands_*.cc.
std::vector<Command> AdminCommands();       // node, peer, org, token, context
std::vector<Command> GroupCommands();       // group, campaign
std::vector<Command> GovernanceCommands();  // member, proposal
std::vector<Command> PledgeCommands();      // pledge
const std::vector<Command>& AllCommands();
const std::vector<CommandSpec>& AllCommandSpecs();

// Runs the CLI on `args` (without the program name). Returns the process exit code.
int RunCli(const std::vector<std::string>& args, const EnvLookup& env, std::ostream& out,
           std::ostream& err);

// The environment of this process, for main().
EnvLookup ProcessEnv();

// Prints the JSON text (two-space indent; invalid UTF-8 replaced, never thrown).
std::string DumpJson(const Json& json);

}  // namespace constellation::cli
