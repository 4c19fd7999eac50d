// cli/args.cc
#include "cli/args.h"

#include <algorithm>
#include <set>
#include <utility>

#include <absl/strings/numbers.h>
#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>

namespace constellation::cli {
namespace {

// The -o values, in the order help and errors list them.
constexpr std::pair<std::string_view, OutputFormat> kOutputFormats[] = {
    {"table", OutputFormat::kTable}, {"json", OutputFormat::kJson}, {"csv", OutputFormat::kCsv}};

std::string Dashed(std::string_view name) { return absl::StrFormat("--%s", std::string(name)); }

const FlagSpec* FindFlag(const std::vector<FlagSpec>& specs, std::string_view name) {
  for (const FlagSpec& spec : specs) {
    if (spec.name == name) return &spec;
  }
  return nullptr;
}

std::vector<std::string> Nouns(const std::vector<CommandSpec>& commands) {
  std::vector<std::string> nouns;
  for (const CommandSpec& command : commands) {
    if (std::find(nouns.begin(), nouns.end(), command.noun) == nouns.end()) {
      nouns.push_back(command.noun);
    }
  }
  return nouns;
}

std::vector<std::string> Verbs(const std::vector<CommandSpec>& commands, std::string_view noun) {
  std::vector<std::string> verbs;
  for (const CommandSpec& command : commands) {
    if (command.noun == noun) verbs.push_back(command.verb);
  }
  return verbs;
}

const CommandSpec* FindCommand(const std::vector<CommandSpec>& commands, std::string_view noun,
                               std::string_view verb) {
  for (const CommandSpec& command : commands) {
    if (command.noun == noun && command.verb == verb) return &command;
  }
  return nullptr;
}

// The edit distance between `a` and `b` (insertions, deletions, substitutions, and swaps of
// two neighbours), for "did you mean".
size_t EditDistance(std::string_view a, std::string_view b) {
  std::vector<std::vector<size_t>> d(a.size() + 1, std::vector<size_t>(b.size() + 1));
  for (size_t i = 0; i <= a.size(); ++i) d[i][0] = i;
  for (size_t j = 0; j <= b.size(); ++j) d[0][j] = j;
  for (size_t i = 1; i <= a.size(); ++i) {
    for (size_t j = 1; j <= b.size(); ++j) {
      d[i][j] = std::min(
          {d[i - 1][j] + 1, d[i][j - 1] + 1, d[i - 1][j - 1] + (a[i - 1] == b[j - 1] ? 0 : 1)});
      if (i > 1 && j > 1 && a[i - 1] == b[j - 2] && a[i - 2] == b[j - 1]) {
        d[i][j] = std::min(d[i][j], d[i - 2][j - 2] + 1);
      }
    }
  }
  return d[a.size()][b.size()];
}

// The known word closest to `word` ("pledges" -> "pledge", "lsit" -> "list"), or "" when none
// is close: at most a third of the word's length (at least one) in edits.
std::string Closest(std::string_view word, const std::vector<std::string>& known) {
  std::string best;
  size_t best_distance = std::max<size_t>(1, word.size() / 3) + 1;
  for (const std::string& candidate : known) {
    const size_t distance = EditDistance(word, candidate);
    if (distance < best_distance) {
      best = candidate;
      best_distance = distance;
    }
  }
  return best;
}

// "; did you mean 'X'?" or "".
std::string DidYouMean(std::string_view word, const std::vector<std::string>& known,
                       std::string_view prefix = "") {
  const std::string closest = Closest(word, known);
  if (closest.empty()) return "";
  return absl::StrFormat("; did you mean '%s%s'?", std::string(prefix), closest);
}

// The names of a command's flags (and --request-id for a write) and the global ones.
std::vector<std::string> FlagNames(const CommandSpec* command) {
  std::vector<std::string> names;
  if (command != nullptr) {
    for (const FlagSpec& flag : command->flags) names.push_back(flag.name);
    if (command->write) names.push_back(RequestIdFlagSpec().name);
  }
  for (const FlagSpec& flag : GlobalFlagSpecs()) names.push_back(flag.name);
  return names;
}

// Stores one global flag value. Usage errors for a bad value or a repeat.
absl::Status SetGlobal(GlobalFlags* global, std::set<std::string>* seen, const std::string& name,
                       const std::string& value) {
  if (!seen->insert(name).second) {
    return absl::InvalidArgumentError(absl::StrFormat("flag %s given twice", Dashed(name)));
  }
  if (name == "endpoint") {
    global->endpoint = value;
  } else if (name == "token") {
    global->token = value;
  } else if (name == "context") {
    global->context = value;
  } else if (name == "ca-file") {
    global->ca_file = value;
  } else if (name == "cert-file") {
    global->cert_file = value;
  } else if (name == "key-file") {
    global->key_file = value;
  } else if (name == "output") {
    absl::StatusOr<OutputFormat> format = ParseOutputFormat(value);
    if (!format.ok()) return format.status();
    global->output = *format;
    global->output_given = true;
  } else if (name == "timeout") {
    absl::StatusOr<absl::Duration> timeout = ParseTimeout(value);
    if (!timeout.ok()) return timeout.status();
    global->timeout = *timeout;
  }
  return absl::OkStatus();
}

}  // namespace

bool Invocation::Has(std::string_view flag) const {
  return flags.find(std::string(flag)) != flags.end();
}

std::string Invocation::Get(std::string_view flag) const {
  auto it = flags.find(std::string(flag));
  return it == flags.end() || it->second.empty() ? "" : it->second.back();
}

std::vector<std::string> Invocation::GetAll(std::string_view flag) const {
  auto it = flags.find(std::string(flag));
  return it == flags.end() ? std::vector<std::string>() : it->second;
}

std::string Invocation::Positional(size_t i) const {
  return i < positionals.size() ? positionals[i] : "";
}

const std::vector<FlagSpec>& GlobalFlagSpecs() {
  static const std::vector<FlagSpec> kGlobal = {
      {"endpoint", "HOST:PORT",
       "node to talk to (default: $CONSTELLATION_ENDPOINT, the context's, 127.0.0.1:7400)"},
      {"token", "TOKEN", "bearer token (default: $CONSTELLATION_TOKEN, the context's)"},
      {"context", "NAME",
       "context from the config file (default: $CONSTELLATION_CONTEXT, "
       "the config's current)"},
      {"ca-file", "FILE",
       "connect over TLS, verifying the node's certificate against this CA (PEM; default: "
       "$CONSTELLATION_CA_FILE, the context's; none = plaintext)"},
      {"cert-file", "FILE",
       "client certificate chain (PEM) for a node that asks for one (mutual TLS); needs "
       "--key-file and a CA file (default: $CONSTELLATION_CERT_FILE, the context's)"},
      {"key-file", "FILE",
       "private key (PEM) of the client certificate (default: $CONSTELLATION_KEY_FILE, the "
       "context's)"},
      {"output", "FORMAT", "table | json | csv (default table)"},
      {"timeout", "DURATION", "deadline of each call, e.g. 10s, 500ms (default 10s)"},
      {"help", "", "show help for the command and exit"},
  };
  return kGlobal;
}

const FlagSpec& RequestIdFlagSpec() {
  static const FlagSpec kRequestId = {
      "request-id", "ID",
      "idempotency key: rerunning the write with the same ID never writes twice "
      "(default: a fresh random id, shown in errors)"};
  return kRequestId;
}

absl::StatusOr<OutputFormat> ParseOutputFormat(std::string_view text) {
  std::vector<std::string> names;
  for (const auto& [name, format] : kOutputFormats) {
    if (text == name) return format;
    names.emplace_back(name);
  }
  return absl::InvalidArgumentError(absl::StrFormat("output format '%s' is not one of: %s",
                                                    std::string(text), absl::StrJoin(names, ", ")));
}

absl::StatusOr<absl::Duration> ParseTimeout(std::string_view text) {
  absl::Duration timeout;
  int64_t seconds = 0;
  if (absl::SimpleAtoi(std::string(text), &seconds)) {
    timeout = absl::Seconds(seconds);
  } else if (!absl::ParseDuration(std::string(text), &timeout)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "timeout '%s' is not a duration: use e.g. 10s, 500ms or 2m", std::string(text)));
  }
  if (timeout <= absl::ZeroDuration()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("timeout '%s' must be greater than zero", std::string(text)));
  }
  return timeout;
}

std::string CommandName(const CommandSpec& command) {
  return command.verb.empty() ? command.noun : command.noun + " " + command.verb;
}

absl::StatusOr<Invocation> ParseArgs(const std::vector<std::string>& args,
                                     const std::vector<CommandSpec>& commands) {
  Invocation inv;
  std::set<std::string> globals_seen;
  bool flags_ended = false;
  // The first usage error; with --help it is not reported.
  absl::Status error;
  auto fail = [&error](absl::Status status) {
    if (error.ok()) error = std::move(status);
  };
  std::string verb;
  // A flag error before the noun (or verb) may have taken the flag's value for it: that error
  // is the one to report, not an unknown noun (or verb).
  bool flag_error_before_noun = false;
  bool flag_error_before_verb = false;

  for (size_t i = 0; i < args.size(); ++i) {
    const std::string& arg = args[i];
    if (flags_ended || arg.size() < 2 || arg[0] != '-') {
      if (inv.noun.empty() && !inv.help && arg == "help" && Verbs(commands, arg).empty()) {
        // `constellation help [NOUN [VERB]]` is `constellation [NOUN [VERB]] --help`.
        inv.help = true;
        continue;
      }
      if (inv.noun.empty()) {
        inv.noun = arg;
        flag_error_before_noun = !error.ok();
        inv.command = FindCommand(commands, inv.noun, "");  // a command without a verb
      } else if (verb.empty() && arg == "help" && FindCommand(commands, inv.noun, arg) == nullptr) {
        inv.help = true;  // `constellation pledge help` is `constellation pledge --help`
      } else if (verb.empty() && inv.command != nullptr && inv.command->verb.empty() &&
                 FindCommand(commands, inv.noun, arg) == nullptr) {
        inv.positionals.push_back(arg);  // an argument of a command without a verb
      } else if (verb.empty()) {
        verb = arg;
        flag_error_before_verb = !error.ok();
        inv.command = FindCommand(commands, inv.noun, verb);
      } else if (inv.command == nullptr &&
                 FindCommand(commands, inv.noun, verb + " " + arg) != nullptr) {
        // A verb of two words ("pool fund create").
        verb += " " + arg;
        inv.command = FindCommand(commands, inv.noun, verb);
      } else {
        inv.positionals.push_back(arg);
      }
      continue;
    }
    if (arg == "--") {
      flags_ended = true;
      continue;
    }
    if (arg == "-h" || arg == "--help") {
      inv.help = true;
      continue;
    }
    // The flag's name and, for --name=value and -ovalue, its inline value.
    std::string name;
    std::optional<std::string> value;
    if (arg[1] != '-') {
      if (arg[1] != 'o') {
        fail(absl::InvalidArgumentError(absl::StrFormat("unknown flag %s", arg)));
        continue;
      }
      name = "output";
      if (arg.size() > 2) value = arg.substr(2);
    } else {
      const size_t equals = arg.find('=');
      name = arg.substr(2, equals == std::string::npos ? std::string::npos : equals - 2);
      if (equals != std::string::npos) value = arg.substr(equals + 1);
    }
    const FlagSpec* command_flag = nullptr;
    if (inv.command != nullptr) {
      command_flag = FindFlag(inv.command->flags, name);
      if (command_flag == nullptr && inv.command->write && name == RequestIdFlagSpec().name) {
        command_flag = &RequestIdFlagSpec();
      }
    }
    const FlagSpec* global_flag =
        command_flag == nullptr && name != "help" ? FindFlag(GlobalFlagSpecs(), name) : nullptr;
    const FlagSpec* spec = command_flag != nullptr ? command_flag : global_flag;
    if (spec == nullptr) {
      if (inv.command == nullptr) {
        fail(absl::InvalidArgumentError(
            absl::StrFormat("unknown flag %s (a command's flags go after its verb, e.g. "
                            "'constellation pledge list --group GROUP')",
                            Dashed(name))));
      } else {
        fail(absl::InvalidArgumentError(
            absl::StrFormat("unknown flag %s for '%s'%s", Dashed(name), CommandName(*inv.command),
                            DidYouMean(name, FlagNames(inv.command), "--"))));
      }
      continue;
    }
    if (spec->value_name.empty()) {
      if (value.has_value()) {
        fail(absl::InvalidArgumentError(absl::StrFormat("flag %s takes no value", Dashed(name))));
        continue;
      }
      value = "true";
    } else if (!value.has_value()) {
      if (i + 1 >= args.size()) {
        fail(absl::InvalidArgumentError(
            absl::StrFormat("flag %s needs a value (%s)", Dashed(name), spec->value_name)));
        continue;
      }
      value = args[++i];
    }
    if (global_flag != nullptr) {
      absl::Status status = SetGlobal(&inv.global, &globals_seen, name, *value);
      if (!status.ok()) fail(status);
      continue;
    }
    std::vector<std::string>& values = inv.flags[name];
    if (!values.empty() && !spec->repeatable) {
      fail(absl::InvalidArgumentError(
          absl::StrFormat("flag %s given twice; it takes one value", Dashed(name))));
      continue;
    }
    values.push_back(*value);
  }

  if (inv.help) {
    // Help for the deepest level named; an unknown noun or verb falls back to a level above.
    if (inv.command == nullptr && !Verbs(commands, inv.noun).empty()) return inv;
    if (inv.command == nullptr) inv.noun.clear();
    return inv;
  }
  // An unknown noun or verb is named as such, before any flag that it would have accepted.
  const std::vector<std::string> verbs = Verbs(commands, inv.noun);
  if (!inv.noun.empty() && verbs.empty() && !flag_error_before_noun) {
    const std::string suggestion = DidYouMean(inv.noun, Nouns(commands));
    return absl::InvalidArgumentError(
        suggestion.empty() ? absl::StrFormat("unknown command '%s': one of %s", inv.noun,
                                             absl::StrJoin(Nouns(commands), ", "))
                           : absl::StrFormat("unknown command '%s'%s", inv.noun, suggestion));
  }
  if (!verb.empty() && inv.command == nullptr && !flag_error_before_verb) {
    // The first word of a verb of two words ("pool fund lst") takes the next one with it.
    const bool two_words = std::any_of(verbs.begin(), verbs.end(), [&verb](const std::string& v) {
      return v.starts_with(verb + " ");
    });
    if (two_words && !inv.positionals.empty()) verb += " " + inv.positionals[0];
    const std::string suggestion = DidYouMean(verb, verbs, inv.noun + " ");
    return absl::InvalidArgumentError(
        suggestion.empty() ? absl::StrFormat("unknown verb '%s %s': one of %s", inv.noun, verb,
                                             absl::StrJoin(verbs, ", "))
                           : absl::StrFormat("unknown verb '%s %s'%s", inv.noun, verb, suggestion));
  }
  if (!error.ok()) return error;
  if (inv.noun.empty()) {
    return absl::InvalidArgumentError("missing command: run 'constellation --help'");
  }
  if (verb.empty() && inv.command == nullptr) {
    return absl::InvalidArgumentError(
        absl::StrFormat("missing verb for '%s': one of %s", inv.noun, absl::StrJoin(verbs, ", ")));
  }
  const CommandSpec& command = *inv.command;
  size_t required_positionals = 0;
  for (const PositionalSpec& positional : command.positionals) {
    if (positional.required) ++required_positionals;
  }
  if (inv.positionals.size() > command.positionals.size()) {
    return absl::InvalidArgumentError(absl::StrFormat("unexpected argument '%s' for '%s'",
                                                      inv.positionals[command.positionals.size()],
                                                      CommandName(command)));
  }
  if (inv.positionals.size() < required_positionals) {
    return absl::InvalidArgumentError(
        absl::StrFormat("missing %s for '%s'", command.positionals[inv.positionals.size()].name,
                        CommandName(command)));
  }
  for (const FlagSpec& flag : command.flags) {
    if (flag.required && !inv.Has(flag.name)) {
      return absl::InvalidArgumentError(absl::StrFormat("missing required flag %s %s for '%s'",
                                                        Dashed(flag.name), flag.value_name,
                                                        CommandName(command)));
    }
  }
  return inv;
}

}  // namespace constellation::cli
