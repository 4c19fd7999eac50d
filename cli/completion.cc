// cli/completion.cc
#include "cli/completion.h"

#include <algorithm>
#include <map>
#include <set>
#include <utility>

#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>
#include <absl/strings/str_split.h>

#include "cli/commands.h"

namespace constellation::cli {
namespace {

// The words of a command as typed: its noun and its verb's words ("pool fund create").
std::vector<std::string> Words(const CommandSpec& command) {
  std::vector<std::string> words = {command.noun};
  const std::vector<std::string> verb_words = absl::StrSplit(command.verb, ' ', absl::SkipEmpty());
  words.insert(words.end(), verb_words.begin(), verb_words.end());
  return words;
}

// "--name" for each flag: the command's (with --request-id for a write) and the global ones.
std::vector<std::string> DashedFlags(const CommandSpec* command, bool with_values_only) {
  std::vector<FlagSpec> flags;
  if (command != nullptr) {
    flags = command->flags;
    if (command->write) flags.push_back(RequestIdFlagSpec());
  }
  for (const FlagSpec& flag : GlobalFlagSpecs()) {
    const bool shadowed = std::any_of(flags.begin(), flags.end(),
                                      [&flag](const FlagSpec& f) { return f.name == flag.name; });
    if (!shadowed) flags.push_back(flag);
  }
  std::vector<std::string> dashed;
  for (const FlagSpec& flag : flags) {
    if (with_values_only && flag.value_name.empty()) continue;
    dashed.push_back("--" + flag.name);
    if (flag.name == "output") dashed.push_back("-o");
  }
  return dashed;
}

// A bash `case` arm: `"PATH") echo "WORDS" ;;`, or `*)` for every other path.
std::string Arm(const std::string& path, const std::vector<std::string>& words) {
  const std::string pattern = path == "*" ? "*" : "\"" + path + "\"";
  return absl::StrFormat("    %s) echo \"%s\" ;;\n", pattern, absl::StrJoin(words, " "));
}

absl::StatusOr<Output> CompletionBashCommand(const Invocation&, CommandContext&) {
  return Output::Text(BashCompletion(AllCommandSpecs()));
}

}  // namespace

std::string BashCompletion(const std::vector<CommandSpec>& commands) {
  // The words that may follow each path of words typed so far ("" = none yet), in help order.
  std::vector<std::string> paths = {""};
  std::map<std::string, std::vector<std::string>> next;
  for (const CommandSpec& command : commands) {
    const std::vector<std::string> words = Words(command);
    std::string path;
    for (const std::string& word : words) {
      std::vector<std::string>& after = next[path];
      if (std::find(after.begin(), after.end(), word) == after.end()) after.push_back(word);
      path = path.empty() ? word : path + " " + word;
      if (std::find(paths.begin(), paths.end(), path) == paths.end()) paths.push_back(path);
    }
  }
  std::vector<std::string> nouns = next[""];
  next[""].insert(next[""].begin(), "help");

  std::string next_arms;
  for (const std::string& path : paths) {
    auto it = next.find(path);
    if (it == next.end()) continue;
    next_arms += Arm(path, it->second);
    if (!path.empty() && path.find(' ') == std::string::npos) {
      next_arms += Arm("help " + path, it->second);  // `help pledge re<TAB>`
    }
  }
  next_arms += Arm("help", nouns);

  std::string flag_arms;
  std::string value_arms;
  std::vector<std::string> command_paths;
  for (const CommandSpec& command : commands) {
    const std::string path = absl::StrJoin(Words(command), " ");
    command_paths.push_back(path);
    flag_arms += Arm(path, DashedFlags(&command, false));
    value_arms += Arm(path, DashedFlags(&command, true));
  }
  flag_arms += Arm("*", DashedFlags(nullptr, false));
  value_arms += Arm("*", DashedFlags(nullptr, true));

  std::string script =
      "# bash completion for constellation, generated from its command table by\n"
      "# 'constellation completion bash'. Load it with:\n"
      "#   source <(constellation completion bash)\n"
      "# or save it as /etc/bash_completion.d/constellation.\n"
      "\n"
      "# The words that may follow the nouns and verbs typed so far.\n"
      "_constellation_next() {\n"
      "  case \"$1\" in\n" +
      next_arms +
      "  esac\n"
      "}\n"
      "\n"
      "# The flags of a command (the global ones when it is not complete).\n"
      "_constellation_flags() {\n"
      "  case \"$1\" in\n" +
      flag_arms +
      "  esac\n"
      "}\n"
      "\n"
      "# The flags of a command that take a value.\n"
      "_constellation_value_flags() {\n"
      "  case \"$1\" in\n" +
      value_arms +
      "  esac\n"
      "}\n"
      "\n"
      "_constellation_commands='|" +
      absl::StrJoin(command_paths, "|") +
      "|'\n"
      "\n"
      "_constellation() {\n"
      "  local cur=\"${COMP_WORDS[COMP_CWORD]}\" path=\"\" word value=\"\" done=\"\" i\n"
      "  for ((i = 1; i < COMP_CWORD; i++)); do\n"
      "    word=\"${COMP_WORDS[i]}\"\n"
      "    if [[ -n \"$value\" ]]; then value=\"\"; continue; fi\n"
      "    if [[ \"$word\" == -* ]]; then\n"
      "      if [[ \"$word\" != *=* ]] && [[ \" $(_constellation_value_flags \"$path\") \" == *\" "
      "$word \"* ]]; then\n"
      "        value=1\n"
      "      fi\n"
      "      continue\n"
      "    fi\n"
      "    [[ -n \"$done\" ]] && continue  # an argument of the command\n"
      "    path=\"${path:+$path }$word\"\n"
      "    [[ \"$_constellation_commands\" == *\"|${path#help }|\"* ]] && done=1\n"
      "  done\n"
      "  local words\n"
      "  if [[ -n \"$value\" ]]; then\n"
      "    case \"${COMP_WORDS[COMP_CWORD - 1]}\" in\n"
      "      -o | --output) words=\"table json csv\" ;;\n"
      "      *) words=\"\" ;;\n"
      "    esac\n"
      "  elif [[ \"$cur\" == -* ]]; then\n"
      "    words=\"$(_constellation_flags \"${path#help }\")\"\n"
      "  elif [[ -z \"$done\" ]]; then\n"
      "    words=\"$(_constellation_next \"$path\")\"\n"
      "  fi\n"
      "  COMPREPLY=($(compgen -W \"$words\" -- \"$cur\"))\n"
      "}\n"
      "complete -F _constellation constellation\n";
  return script;
}

std::vector<Command> CompletionCommands() {
  return {
      Command("completion bash", CompletionBashCommand)
          .Summary("Print a bash completion script (nouns, verbs and flags)")
          .Details("Generated from the command table, so it matches this version of the CLI. "
                   "Load it in the current shell with 'source <(constellation completion bash)', "
                   "or install it with 'constellation completion bash > "
                   "/etc/bash_completion.d/constellation'.")
          .Example("constellation completion bash > ~/.local/share/bash-completion/completions/"
                   "constellation"),
  };
}

}  // namespace constellation::cli
