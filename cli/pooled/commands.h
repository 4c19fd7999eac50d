// cli/pooled/commands.h
//
// The `pool` commands (pooled resources, docs/PROTOCOL.md §5.10): contribute, correct, fund
// create / fund list, request (a drawdown), disburse, receipt, drawdowns, ledger, shares.
// Thread safety: returns plain values.
#pragma once

#include <vector>

#include "cli/command.h"

namespace constellation::cli {

std::vector<Command> PooledCommands();

}  // namespace constellation::cli
