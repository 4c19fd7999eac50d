// cli/ids.h
//
// Short ids and names, in one place for every command. A flag or argument whose spec has an
// IdKind (cli/args.h; Command gives it one from its value name: GROUP, PROPOSAL, CAMPAIGN,
// PLEDGE, FUND, CONTRIBUTION, DRAWDOWN, CONVENING, ACTION, VERSION, TEAM, ORG_KEY, TOKEN_ID)
// accepts, besides the full id, any unique prefix of at least kIdPrefixSizeMin hex characters
// (like git), and for groups, members (org display names), campaigns, funds, convenings (titles)
// and teams their exact name when it is unique.
// ResolveIds replaces such values by the full id before the command's handler runs, listing
// the records of the kind through the SDK: groups and tokens of the node, everything else of
// the group the command names (--group, resolved first). A full id is used as typed, without
// any call, so commands given full ids behave exactly as before.
// Errors: a value that cannot be an id, a prefix or a name -> kInvalidArgument before
// connecting; nothing matches -> kNotFound naming what was searched; several match ->
// AmbiguousError (exit code 16, cli/exit_code.h) listing every candidate with its id and name.
// Thread safety: pure functions over constant data, but for ResolveIds, which runs in the
// command's thread with its CommandContext.
#pragma once

#include <cstddef>
#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>

#include "cli/args.h"
#include "cli/command.h"

namespace constellation::cli {

// The shortest prefix that is looked up. Shorter hex is refused before connecting.
inline constexpr size_t kIdPrefixSizeMin = 4;

// What the CLI knows of one kind of id.
struct IdKindInfo {
  IdKind kind;
  std::string_view value_name;  // the value name in help that gives a spec this kind: "PLEDGE"
  std::string_view noun;        // in messages: "pledge"
  std::string_view plural;      // "pledges"
  std::string_view id_key;      // "pledge_id"
  size_t id_size;               // hex characters of a full id
  bool names;                   // an exact, unique name resolves too
  std::string_view list_hint;   // where to see them: "constellation pledge list --group GROUP"
};

// The kind of ids a value name stands for (see the header comment); kNone for others.
IdKind IdKindOfValueName(std::string_view value_name);
const IdKindInfo& InfoOf(IdKind kind);

// One record a short id or name may mean: its full id, its name (matched exactly when the kind
// has names; "" = none) and what the candidate list shows beside the id.
struct IdCandidate {
  std::string id;
  std::string name;
  std::string summary;
};

// Whether `value` (of the flag or argument `what`, e.g. "--group" or "PLEDGE") must be looked
// up: false for a full id (used as typed), true for a prefix or a name. kInvalidArgument for
// anything else (empty, not hex and the kind has no names, hex longer than an id, or fewer than
// kIdPrefixSizeMin hex digits), before any connection.
absl::StatusOr<bool> NeedsLookup(std::string_view value, IdKind kind, std::string_view what);

// The one candidate `value` means: the ids it is a prefix of (case-insensitively), and the
// records named exactly `value` when the kind has names. `scope` says where they were searched
// ("among this node's groups", "in group 3f9a12bc4d5e"). kNotFound when none, AmbiguousError
// listing them when several.
absl::StatusOr<std::string> MatchId(std::string_view value, IdKind kind, std::string_view what,
                                    std::string_view scope,
                                    const std::vector<IdCandidate>& candidates);

// Replaces every id value of `inv` (its command's flags and arguments with an IdKind) that is
// a prefix or a name by the full id, through `context`'s client (connecting only when a value
// needs it). Errors as above, or the node's.
absl::Status ResolveIds(Invocation& inv, CommandContext& context);

// The group `inv` names (its --group, or an argument that is a group), read through the SDK;
// nullopt when it names none or the read fails.
std::optional<Group> NamedGroup(const Invocation& inv, CommandContext& context);

// The display names of `group`'s members, for the org keys of tables (Output::org_names).
OrgNames MemberNames(const Group& group);

}  // namespace constellation::cli
