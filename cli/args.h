// cli/args.h
//
// Command-line grammar of `constellation <noun> <verb> [positionals] [flags]`: the command
// specifications (what each command accepts, for parsing and --help) and the parser.
// Rules:
// - Global flags (--endpoint, --token, --context, -o/--output, --timeout, -h/--help) may appear
//   anywhere; a command's own flags come after its verb. A command flag may shadow a global
//   one of the same name (`context set --endpoint`).
// - `--flag value` and `--flag=value`; `-o json` and `-ojson`; `--` ends the flags.
// - A flag given twice is a usage error unless the spec marks it repeatable.
// - --help or -h anywhere asks for help at the deepest level named (top, noun or verb), and
//   the rest of the command line is not checked; `help [NOUN [VERB]]` is the same.
// - An unknown noun or verb is reported as such (with the closest known word, if one is close)
//   before any flag error; an unknown flag names the closest flag of the command.
// Every parse failure is a usage error (exit code 2); values (amounts, dates, ids) are checked
// later by the command, so their errors are kInvalidArgument (exit code 3).
// Thread safety: pure functions over constant data.
#pragma once

#include <map>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <absl/status/statusor.h>
#include <absl/time/time.h>

namespace constellation::cli {

enum class OutputFormat { kTable, kJson, kCsv };

// What record a flag's or argument's value names, when it is an id that may be given short:
// a unique prefix (or, for some kinds, a unique name) resolved before the command runs
// (cli/ids.h). kNone: the value is used as typed.
enum class IdKind {
  kNone,
  kGroup,
  kProposal,
  kCampaign,
  kPledge,
  kFund,
  kContribution,
  kDrawdown,
  kConvening,
  kActionItem,
  kStrategyVersion,
  kTeam,
  kMember,
  kToken
};

struct FlagSpec {
  std::string name;        // without dashes: "group"
  std::string value_name;  // "GROUP"; empty for a boolean flag
  std::string help;
  bool required = false;
  bool repeatable = false;
  IdKind id = IdKind::kNone;
};

struct PositionalSpec {
  std::string name;  // "PLEDGE"
  std::string help;
  bool required = true;
  IdKind id = IdKind::kNone;
};

struct CommandSpec {
  std::string noun;
  std::string verb;     // empty for a command that is its noun alone ("constellation health")
  std::string summary;  // one line
  std::vector<PositionalSpec> positionals;
  std::vector<FlagSpec> flags;
  std::string details;  // more help: output keys, rules
  std::string example;  // a full command line
  // A write: accepts --request-id (added by the parser and the help).
  bool write = false;
};

// The command as typed: "pool fund create", or "health" for a command without a verb.
std::string CommandName(const CommandSpec& command);

// The values of the global flags; unset ones are empty.
struct GlobalFlags {
  std::optional<std::string> endpoint;
  std::optional<std::string> token;
  std::optional<std::string> context;
  std::optional<std::string> ca_file;  // --ca-file: verify the node's TLS certificate
  std::optional<std::string> cert_file;  // --cert-file: client certificate (mutual TLS)
  std::optional<std::string> key_file;   // --key-file: its private key
  OutputFormat output = OutputFormat::kTable;
  bool output_given = false;  // -o was on the command line (`org card` defaults to json)
  std::optional<absl::Duration> timeout;
};

// A parsed command line.
struct Invocation {
  GlobalFlags global;
  bool help = false;                     // --help / -h was given
  std::string noun;                      // empty: top level
  const CommandSpec* command = nullptr;  // set when noun and verb name a command
  std::vector<std::string> positionals;
  std::map<std::string, std::vector<std::string>> flags;  // boolean flags hold "true"

  bool Has(std::string_view flag) const;
  // The flag's value, or "" when absent.
  std::string Get(std::string_view flag) const;
  // Every value of a repeatable flag, in command-line order.
  std::vector<std::string> GetAll(std::string_view flag) const;
  // The i-th positional, or "" when absent.
  std::string Positional(size_t i) const;
};

// The global flags, for parsing and help.
const std::vector<FlagSpec>& GlobalFlagSpecs();
// The flag every write command accepts.
const FlagSpec& RequestIdFlagSpec();

// Parses `args` (without the program name) against `commands`. kInvalidArgument with a message
// for people on any usage error; with --help, succeeds as far as the noun and verb are known.
absl::StatusOr<Invocation> ParseArgs(const std::vector<std::string>& args,
                                     const std::vector<CommandSpec>& commands);

// Parses a -o value: "table", "json" or "csv".
absl::StatusOr<OutputFormat> ParseOutputFormat(std::string_view text);

// Parses a --timeout value: an absl duration ("10s", "500ms", "1m30s") or whole seconds ("10").
// Must be > 0.
absl::StatusOr<absl::Duration> ParseTimeout(std::string_view text);

}  // namespace constellation::cli
