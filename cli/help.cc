// cli/help.cc
#include "cli/help.h"

#include <algorithm>

#include <absl/strings/str_format.h>

#include "cli/exit_code.h"

namespace constellation::cli {
namespace {

std::string FlagUsage(const FlagSpec& flag) {
  std::string usage = absl::StrFormat("--%s", flag.name);
  if (flag.name == "output") usage = "-o, --output";
  if (flag.name == "help") usage = "-h, --help";
  if (!flag.value_name.empty()) usage += " " + flag.value_name;
  return usage;
}

// Two-column lines: the left column padded to the widest entry.
std::string Columns(const std::vector<std::pair<std::string, std::string>>& lines) {
  size_t width = 0;
  for (const auto& [left, right] : lines) width = std::max(width, left.size());
  std::string out;
  for (const auto& [left, right] : lines) {
    out += absl::StrFormat("  %-*s  %s\n", static_cast<int>(width), left, right);
  }
  return out;
}

std::string GlobalFlagsHelp() {
  std::vector<std::pair<std::string, std::string>> lines;
  for (const FlagSpec& flag : GlobalFlagSpecs()) lines.emplace_back(FlagUsage(flag), flag.help);
  return "Global flags (anywhere on the command line):\n" + Columns(lines);
}

std::string Synopsis(const CommandSpec& command) {
  std::string out = "constellation " + CommandName(command);
  for (const PositionalSpec& positional : command.positionals) {
    out += positional.required ? " " + positional.name : " [" + positional.name + "]";
  }
  for (const FlagSpec& flag : command.flags) {
    if (flag.required) out += " " + FlagUsage(flag);
  }
  out += " [flags]";
  return out;
}

}  // namespace

std::string TopHelp(const std::vector<CommandSpec>& commands) {
  std::string out =
      "constellation: the command-line client of a Constellation node.\n\n"
      "Usage: constellation <noun> <verb> [arguments] [flags]\n"
      "       constellation help [<noun> [<verb>]]   (the same as --help)\n"
      "       constellation completion bash          (a bash completion script)\n"
      "       constellation --version\n\n"
      "Commands:\n";
  std::vector<std::pair<std::string, std::string>> lines;
  for (const CommandSpec& command : commands) {
    lines.emplace_back(CommandName(command), command.summary);
  }
  out += Columns(lines);
  out += "\n" + GlobalFlagsHelp();
  out +=
      "\nConnection (first found wins):\n"
      "  endpoint: --endpoint, $CONSTELLATION_ENDPOINT, the context's endpoint, 127.0.0.1:7400\n"
      "  token:    --token, $CONSTELLATION_TOKEN, the context's token\n"
      "  ca file:  --ca-file, $CONSTELLATION_CA_FILE, the context's ca_file (TLS; none = "
      "plaintext)\n"
      "  cert/key: --cert-file/--key-file, $CONSTELLATION_CERT_FILE/_KEY_FILE, the context's\n"
      "            cert_file/key_file (a client certificate, for a node that asks for one)\n"
      "  context:  --context, $CONSTELLATION_CONTEXT, `current` in the config file\n"
      "Config file: $CONSTELLATION_CONFIG, else $XDG_CONFIG_HOME/constellation/config.toml,\n"
      "  else ~/.config/constellation/config.toml (written with mode 0600 by `context set`):\n"
      "    current = \"local\"\n"
      "    [contexts.local]\n"
      "    endpoint = \"127.0.0.1:7400\"\n"
      "    token = \"...\"\n"
      "\nValues: dates are YYYY-MM-DD (UTC midnight) or RFC 3339 (2026-11-20T10:00:00Z);\n"
      "  amounts are decimals in the currency's minor unit (250.50 EUR, 1000 JPY);\n"
      "  ids are 64 hex characters, or any unique prefix of at least 4 of them (tables show\n"
      "  12); a group, member, campaign or fund may also be named when its name is unique.\n"
      "  Several matches are refused (exit code 16) with the candidates listed.\n"
      "\nOutput: tables for people (default); -o json for scripts (amounts appear both as\n"
      "  *_minor integers and formatted decimals); -o csv for lists. Errors go to stderr as\n"
      "  'error: <message>'. Colour only on a terminal, never when NO_COLOR is set.\n"
      "\nExit codes:\n";
  std::vector<std::pair<std::string, std::string>> codes;
  for (const ExitCodeInfo& info : AllExitCodes()) {
    codes.emplace_back(absl::StrFormat("%d", ToInt(info.code)), std::string(info.meaning));
  }
  out += Columns(codes);
  out +=
      "\nExample:\n"
      "  constellation context set local --endpoint 127.0.0.1:7400 --token $TOKEN\n"
      "  constellation group list\n"
      "\nRun 'constellation <noun> --help' or 'constellation <noun> <verb> --help' for more.\n";
  return out;
}

std::string NounHelp(const std::vector<CommandSpec>& commands, std::string_view noun) {
  std::string out =
      absl::StrFormat("Usage: constellation %s <verb> [arguments] [flags]\n\n", std::string(noun));
  out += "Verbs:\n";
  std::vector<std::pair<std::string, std::string>> lines;
  const CommandSpec* first = nullptr;
  for (const CommandSpec& command : commands) {
    if (command.noun != noun) continue;
    if (first == nullptr) first = &command;
    lines.emplace_back(command.verb, command.summary);
  }
  out += Columns(lines);
  out += "\n" + GlobalFlagsHelp();
  if (first != nullptr) out += absl::StrFormat("\nExample:\n  %s\n", first->example);
  out += absl::StrFormat("\nRun 'constellation %s <verb> --help' for the verb's flags.\n",
                         std::string(noun));
  return out;
}

std::string CommandHelp(const CommandSpec& command) {
  std::string out = absl::StrFormat("%s\n\nUsage: %s\n", command.summary, Synopsis(command));
  if (!command.positionals.empty()) {
    std::vector<std::pair<std::string, std::string>> lines;
    for (const PositionalSpec& positional : command.positionals) {
      lines.emplace_back(positional.name,
                         positional.help + (positional.required ? "" : " (optional)"));
    }
    out += "\nArguments:\n" + Columns(lines);
  }
  std::vector<FlagSpec> flags = command.flags;
  if (command.write) flags.push_back(RequestIdFlagSpec());
  if (!flags.empty()) {
    std::vector<std::pair<std::string, std::string>> lines;
    for (const FlagSpec& flag : flags) {
      std::string help = flag.help;
      if (flag.required) help += " (required)";
      if (flag.repeatable) help += " (repeatable)";
      lines.emplace_back(FlagUsage(flag), help);
    }
    out += "\nFlags:\n" + Columns(lines);
  }
  out += "\n" + GlobalFlagsHelp();
  if (!command.details.empty()) out += "\n" + command.details + "\n";
  out += absl::StrFormat("\nExample:\n  %s\n", command.example);
  return out;
}

std::string HelpFor(const Invocation& invocation, const std::vector<CommandSpec>& commands) {
  if (invocation.command != nullptr) return CommandHelp(*invocation.command);
  if (!invocation.noun.empty()) return NounHelp(commands, invocation.noun);
  return TopHelp(commands);
}

}  // namespace constellation::cli
