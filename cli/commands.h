// cli/commands.h
//
// The registry of the CLI's commands and the one entry point, RunCli, that main() calls: parse,
// show help, run the command (it connects lazily, only if it talks to a node), print its Output,
// and turn the outcome into an exit code (cli/exit_code.h). Errors go to `err` as
// "error: <message>", plus "hint: ..." when there is something useful to suggest.
// The registry is one table in commands.cc: noun -> the table of the domain (cli/<domain>/) that
// holds its verbs, in help order. A noun may take verbs from two domains (`group join` is a
// membership write of governance, `group show` is the group's); a domain adds its nouns there.
// Thread safety: RunCli is re-entrant (no globals but constant tables).
#pragma once

#include <ostream>
#include <string>
#include <vector>

#include "cli/args.h"
#include "cli/command.h"
#include "cli/config.h"

namespace constellation::cli {

// Every command, in help order.
const std::vector<Command>& AllCommands();
const std::vector<CommandSpec>& AllCommandSpecs();

// Runs the CLI on `args` (without the program name). Returns the process exit code.
// `out_is_terminal`: stdout is a terminal (main() asks isatty); tables are coloured only then,
// and never with NO_COLOR set (UseColour, cli/output.h). `err_is_terminal`: stderr is one;
// long operations then draw progress there (cli/progress.h).
int RunCli(const std::vector<std::string>& args, const EnvLookup& env, std::ostream& out,
           std::ostream& err, bool out_is_terminal = false, bool err_is_terminal = false);

// The environment of this process, for main().
EnvLookup ProcessEnv();

}  // namespace constellation::cli
