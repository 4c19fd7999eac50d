// cli/governance/render.h
//
// How the governance domain's values print (conventions in cli/render.h): proposals with their
// electorate, tally and outcome (provisional until final, DESIGN §3), what waits on whom, and
// the results of membership writes.
// Thread safety: pure functions and constant data.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <constellation/types.h>

#include "cli/output.h"
#include "cli/render.h"

namespace constellation::cli {

// Every field of the view, plus `outcome_text` (OutcomeText) and `provisional` (!final).
Json ToJson(const Proposal& proposal);
// How people read an outcome: "open", "passed (provisional)", "passed (final)",
// "rejected (provisional: past deadline)". An outcome is provisional until final (DESIGN §3).
std::string OutcomeText(const Proposal& proposal);
// `proposal list` and `proposal show` (the details with the Electorate table under them).
extern const RecordFormat<Proposal> kProposalFormat;
Table ProposalsTable(const std::vector<Proposal>& proposals);
KeyValues ProposalDetails(const Proposal& proposal);
// One row per member of the electorate with its stance.
Table ElectorateTable(const Proposal& proposal);
// After a proposal write (admit, expel, create, vote, close).
Output ProposalWriteOutput(const ProposalWrite& write, std::string_view request_id);

// {"needs_my_stance": [...], "waiting_on_others": [...]}, each proposal with `waiting_on`
// (the names of the members whose stances are missing, or ["you"]).
Json ToJson(const WaitingOnResult& waiting);
// Who a proposal waits for, for people: "you" when `mine`; else the names (or short keys) of
// the members with missing stances; "acknowledgements" once closed; "" when final.
std::string WaitingOnText(const Proposal& proposal, bool mine);
// needs_my_stance first (waiting_on "you"), then waiting_on_others.
Table WaitingTable(const WaitingOnResult& waiting);
// `proposal waiting`; in the table format, a sentence when nothing waits.
Output WaitingOutput(const WaitingOnResult& waiting);

// After `member notice|leave`.
Output MembershipWriteOutput(const MembershipWrite& write, std::string_view request_id);
// After `group join`: the group as this node now holds it, and the sync that fetched it.
Output JoinOutput(const JoinResult& join, std::string_view request_id);

}  // namespace constellation::cli
