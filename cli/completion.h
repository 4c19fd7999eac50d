// cli/completion.h
//
// Shell completion generated from the command table, so that it always knows every noun, verb
// and flag: `constellation completion bash` prints a bash script (a completion function and
// its `complete` line) that completes nouns, verbs (also after `help`), the flags of the
// command typed so far and the global flags, and the values of -o/--output. Ids are not
// completed (that would need the node).
// Thread safety: pure functions over constant data.
#pragma once

#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/command.h"

namespace constellation::cli {

// The bash completion script for `commands`.
std::string BashCompletion(const std::vector<CommandSpec>& commands);

// The CLI's own commands (not of a domain): `completion bash`.
std::vector<Command> CompletionCommands();

}  // namespace constellation::cli
