// cli/help.h
//
// Help texts of the CLI, generated from the command specifications so that they always list
// every command and flag: top level (commands, global flags, environment, config file, exit
// codes), noun (its verbs) and verb (usage, every flag, output keys, an example).
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include "cli/args.h"

namespace constellation::cli {

std::string TopHelp(const std::vector<CommandSpec>& commands);
std::string NounHelp(const std::vector<CommandSpec>& commands, std::string_view noun);
std::string CommandHelp(const CommandSpec& command);

// The help matching an invocation with --help: verb, noun or top level.
std::string HelpFor(const Invocation& invocation, const std::vector<CommandSpec>& commands);

}  // namespace constellation::cli
