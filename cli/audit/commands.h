// cli/audit/commands.h
//
// The auditors' domain of the CLI (DESIGN §6): `audit export` writes a group's audit bundle
// (docs/PROTOCOL.md §10) from a node, and `audit verify` checks one offline, with no node.
// Thread safety: pure functions (the table is built anew on each call; the registry keeps one).
#pragma once

#include <vector>

#include "cli/command.h"

namespace constellation::cli {

std::vector<Command> AuditCommands();

}  // namespace constellation::cli
