// cli/group/render.h
//
// How the group domain's values print (conventions in cli/render.h): groups with their charter,
// members, decision rules and signed events. Other domains reuse the group, member and rule
// renderings.
// Thread safety: pure functions and constant data.
#pragma once

#include <string>
#include <string_view>
#include <vector>

#include <constellation/types.h>

#include "cli/output.h"
#include "cli/render.h"

namespace constellation::cli {

Json ToJson(const Group& group);
// `group list` and `group show` (the charter and counts, with the Members table under them).
extern const RecordFormat<Group> kGroupFormat;
// After `group create`.
Output GroupCreatedOutput(const GroupWrite& write, std::string_view request_id);

Json ToJson(const Member& member);
extern const RecordFormat<Member> kMemberFormat;
Table MembersTable(const std::vector<Member>& members);
// The group's members, then its invited orgs as rows with status "invited" (PROTOCOL §5.2).
std::vector<Member> MembersAndInvited(const Group& group);
// key, name, role, status, notice_effective, frozen.
KeyValues MemberDetails(const Member& member);
// A member's open obligations: kind, record, amount, due.
Table ObligationsTable(const std::vector<Obligation>& obligations);
Json ToJson(const Obligation& obligation);
// `member show`: the member's details, then its open obligations.
Output MemberOutput(const Member& member);
// A member's status for people: "active", "notice_given (effective 2027-01-31)", plus
// ", frozen (forked its chain)" when frozen.
std::string MemberStatusText(const Member& member);

Json ToJson(const DecisionRule& rule);

// With event_base64 and signature_base64: the exact signed bytes.
extern const RecordFormat<GroupEventEntry> kGroupEventFormat;

// `group state-hash`: event_count, state_hash, last_event_id.
extern const RecordFormat<StateHashAt> kStateHashFormat;
// `group forks`: author, seq and the two event ids; JSON has both events with their bytes.
extern const RecordFormat<ForkProofEntry> kForkProofFormat;

}  // namespace constellation::cli
