// cli/fundraising/import.h
//
// `pledge import`: an organisation's pledge book read from a JSON Lines file and recorded
// through Client::RecordPledges in batches (issue 10: bulk ingest). A line holds one pledge with
// the flags of `pledge record` as keys, so that a pledge reads the same on the command line and
// in a file. Each line's request_id is its own or "<base>-<line number>", with the command's
// request id as the base, so that running the same import again with the same --request-id
// records each line once (the node returns the original event of a line already recorded).
// Thread safety: pure functions, but the command, which reads the file and calls the node.
#pragma once

#include <cstddef>
#include <map>
#include <string>
#include <string_view>
#include <vector>

#include <absl/status/statusor.h>
#include <constellation/client.h>

#include "cli/command.h"

namespace constellation::cli {

// One pledge of a pledge book and the line it came from (1-based).
struct ImportRow {
  size_t line = 0;
  PledgeInput pledge;
};

// The pledges of `text`: every line that is not blank is one JSON object whose keys are the
// flags of `pledge record` without the dashes (campaign, amount, currency, installment,
// condition-barrier, condition-release, restriction, note, donor, evidence-sha256,
// installments, every, start) and request_id. Values are JSON strings ("amount": "250.00":
// money is never a JSON number), "installment" also an array of strings and "installments" also
// a whole number. `defaults` holds values for keys a line leaves out (the command's --campaign
// and --currency). kInvalidArgument "SOURCE:LINE: what is wrong", for the first bad line.
absl::StatusOr<std::vector<ImportRow>> ParsePledgeBook(
    std::string_view text, std::string_view source,
    const std::map<std::string, std::string>& defaults);

// `pledge import FILE`.
absl::StatusOr<Output> PledgeImportCommand(const Invocation& inv, CommandContext& context);

}  // namespace constellation::cli
