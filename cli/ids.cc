// cli/ids.cc
#include "cli/ids.h"

#include <algorithm>
#include <map>
#include <utility>

#include <absl/strings/ascii.h>
#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>

#include "cli/exit_code.h"
#include "cli/render.h"
#include "cli/values.h"

namespace constellation::cli {
namespace {

constexpr size_t kFullIdSize = 64;
constexpr size_t kTokenIdSize = 16;
// An ambiguous value lists at most this many candidates.
constexpr size_t kCandidatesShownMax = 10;

constexpr IdKindInfo kKinds[] = {
    {IdKind::kGroup, "GROUP", "group", "groups", "group_id", kFullIdSize, true,
     "constellation group list"},
    {IdKind::kProposal, "PROPOSAL", "proposal", "proposals", "proposal_id", kFullIdSize, false,
     "constellation proposal list --group GROUP"},
    {IdKind::kCampaign, "CAMPAIGN", "campaign", "campaigns", "campaign_id", kFullIdSize, true,
     "constellation campaign list --group GROUP"},
    {IdKind::kPledge, "PLEDGE", "pledge", "pledges", "pledge_id", kFullIdSize, false,
     "constellation pledge list --group GROUP"},
    {IdKind::kFund, "FUND", "fund", "funds", "fund_id", kFullIdSize, true,
     "constellation pool fund list --group GROUP"},
    {IdKind::kContribution, "CONTRIBUTION", "contribution", "contributions", "contribution_id",
     kFullIdSize, false, "constellation pool ledger --group GROUP"},
    {IdKind::kDrawdown, "DRAWDOWN", "drawdown", "drawdowns", "proposal_id", kFullIdSize, false,
     "constellation pool drawdowns --group GROUP"},
    {IdKind::kConvening, "CONVENING", "convening", "convenings", "convening_id", kFullIdSize, true,
     "constellation convening list --group GROUP"},
    {IdKind::kActionItem, "ACTION", "action item", "action items", "action_id", kFullIdSize, false,
     "constellation convening action list --group GROUP"},
    {IdKind::kStrategyVersion, "VERSION", "strategy version", "strategy versions", "version_id",
     kFullIdSize, false, "constellation strategy list --group GROUP"},
    {IdKind::kTeam, "TEAM", "team", "teams", "team_id", kFullIdSize, true,
     "constellation team list --group GROUP"},
    {IdKind::kMember, "ORG_KEY", "member", "members", "org key", kFullIdSize, true,
     "constellation member list --group GROUP"},
    {IdKind::kToken, "TOKEN_ID", "token", "tokens", "token_id", kTokenIdSize, false,
     "constellation token list"},
};

bool IsHex(std::string_view text) {
  return std::all_of(text.begin(), text.end(),
                     [](char c) { return absl::ascii_isxdigit(static_cast<unsigned char>(c)); });
}

// "<id_key> must be 64 hex characters, a unique prefix of at least 4 of them[, or the
// <noun>'s name]".
std::string IdRule(const IdKindInfo& info) {
  return absl::StrFormat("%s must be %d hex characters, a unique prefix of at least %d of them%s",
                         info.id_key, info.id_size, kIdPrefixSizeMin,
                         info.names ? absl::StrFormat(", or the %s's name", info.noun) : "");
}

// The shortest length (at least that of ShortId) at which `ids` differ, so that the candidates
// of an ambiguous value can be told apart.
size_t DistinctLength(const std::vector<const IdCandidate*>& matches) {
  size_t length = ShortId(std::string(kFullIdSize, '0')).size();
  for (size_t i = 0; i < matches.size(); ++i) {
    for (size_t j = i + 1; j < matches.size(); ++j) {
      const std::string& a = matches[i]->id;
      const std::string& b = matches[j]->id;
      const size_t common =
          std::mismatch(a.begin(), a.begin() + std::min(a.size(), b.size()), b.begin()).first -
          a.begin();
      length = std::max(length, common + 1);
    }
  }
  return length;
}

// The records of `kind` a value is looked up among, and where (for messages). `group_id` is
// the command's (resolved) --group for the kinds that live in a group.
struct Lookup {
  std::vector<IdCandidate> candidates;
  std::string scope;
};

template <typename Record, typename Fill>
absl::StatusOr<Lookup> Candidates(absl::StatusOr<std::vector<Record>> records, std::string scope,
                                  Fill&& fill) {
  if (!records.ok()) return records.status();
  Lookup lookup{{}, std::move(scope)};
  for (const Record& record : *records) lookup.candidates.push_back(fill(record));
  return lookup;
}

absl::StatusOr<Lookup> ListCandidates(Client& client, IdKind kind, const std::string& group_id) {
  const std::string in_group = absl::StrFormat("in group %s", ShortId(group_id));
  switch (kind) {
    case IdKind::kGroup:
      return Candidates(client.ListGroups(), "among this node's groups", [](const Group& g) {
        return IdCandidate{g.group_id, g.charter.name, g.charter.name};
      });
    case IdKind::kToken:
      return Candidates(client.ListTokens(), "among this node's tokens", [](const TokenInfo& t) {
        return IdCandidate{
            t.token_id, "",
            absl::StrFormat("%s %s%s", t.role, t.label, t.revoked ? " (revoked)" : "")};
      });
    case IdKind::kMember: {
      absl::StatusOr<Group> group = client.GetGroup(group_id);
      if (!group.ok()) return group.status();
      return Candidates(absl::StatusOr<std::vector<Member>>(group->members), in_group,
                        [](const Member& m) {
                          return IdCandidate{m.key, m.profile.name,
                                             absl::StrFormat("%s (%s)", m.profile.name, m.status)};
                        });
    }
    case IdKind::kProposal:
      return Candidates(client.ListProposals(group_id), in_group, [](const Proposal& p) {
        return IdCandidate{
            p.proposal_id, "",
            absl::StrFormat("%s (%s, %s)", p.spec.title, p.spec.decision_type, p.outcome)};
      });
    case IdKind::kCampaign:
      return Candidates(client.ListCampaigns(group_id), in_group, [](const Campaign& c) {
        return IdCandidate{c.campaign_id, c.definition.name, c.definition.name};
      });
    case IdKind::kPledge:
      return Candidates(client.ListPledges(group_id), in_group, [](const Pledge& p) {
        std::string summary = absl::StrFormat(
            "%s by %s, %s", MoneyText(p.terms.amount.amount_minor, p.terms.amount.currency),
            p.terms.donor_name.empty() ? ShortId(p.pledger) : p.terms.donor_name, p.status);
        return IdCandidate{p.pledge_id, "", std::move(summary)};
      });
    case IdKind::kFund:
      return Candidates(client.ListFunds(group_id), in_group, [](const Fund& f) {
        return IdCandidate{f.fund_id, f.definition.name,
                           absl::StrFormat("%s (%s)", f.definition.name, f.definition.currency)};
      });
    case IdKind::kContribution: {
      absl::StatusOr<PooledLedger> ledger = client.ListContributions(group_id);
      if (!ledger.ok()) return ledger.status();
      return Candidates(absl::StatusOr<std::vector<Contribution>>(ledger->contributions), in_group,
                        [](const Contribution& c) {
                          return IdCandidate{c.contribution_id, "",
                                             absl::StrFormat("%s %s by %s", c.entry.kind,
                                                             MoneyText(c.entry.value.amount_minor,
                                                                       c.entry.value.currency),
                                                             ShortId(c.contributor))};
                        });
    }
    case IdKind::kDrawdown:
      return Candidates(client.ListDrawdowns(group_id), in_group, [](const Drawdown& d) {
        return IdCandidate{
            d.proposal_id, "",
            absl::StrFormat("%s %s, %s", d.title,
                            MoneyText(d.amount.amount_minor, d.amount.currency), d.status)};
      });
    case IdKind::kConvening:
      return Candidates(client.ListConvenings(group_id), in_group, [](const Convening& c) {
        return IdCandidate{
            c.convening_id, c.schedule.title,
            absl::StrFormat("%s (%s)", c.schedule.title, FormatTimeMs(c.schedule.scheduled_ms))};
      });
    case IdKind::kActionItem:
      return Candidates(client.ListActionItems(group_id), in_group, [](const ActionItem& a) {
        return IdCandidate{
            a.action_id, "",
            absl::StrFormat("%s (due %s, %s)", a.item.text, FormatTimeMs(a.item.due_ms), a.status)};
      });
    case IdKind::kStrategyVersion:
      return Candidates(
          client.ListStrategyVersions(group_id), in_group, [](const StrategyVersion& v) {
            return IdCandidate{
                v.version_id, "",
                absl::StrFormat("%s (%s, %s)", v.draft.title, v.draft.document, v.status)};
          });
    case IdKind::kTeam:
      return Candidates(client.ListTeams(group_id), in_group, [](const Team& t) {
        return IdCandidate{t.team_id, t.team.name,
                           absl::StrFormat("%s (%s)", t.team.name, t.status)};
      });
    case IdKind::kNone:
      break;
  }
  return absl::InternalError("no list for this kind of id");
}

// One value to resolve: its kind, the flag or argument it came from, and where it is kept.
struct Slot {
  IdKind kind;
  std::string what;
  std::string* value;
};

}  // namespace

IdKind IdKindOfValueName(std::string_view value_name) {
  for (const IdKindInfo& info : kKinds) {
    if (info.value_name == value_name) return info.kind;
  }
  return IdKind::kNone;
}

const IdKindInfo& InfoOf(IdKind kind) {
  for (const IdKindInfo& info : kKinds) {
    if (info.kind == kind) return info;
  }
  return kKinds[0];  // kNone is never looked up
}

absl::StatusOr<bool> NeedsLookup(std::string_view value, IdKind kind, std::string_view what) {
  const IdKindInfo& info = InfoOf(kind);
  const bool hex = IsHex(value);
  if (hex && value.size() == info.id_size) return false;
  if (hex && value.size() >= kIdPrefixSizeMin && value.size() < info.id_size) return true;
  if (!hex && info.names && !value.empty()) return true;
  std::string why;
  if (hex && !value.empty() && value.size() < kIdPrefixSizeMin) {
    why = absl::StrFormat(" (an id prefix needs at least %d hex characters)", kIdPrefixSizeMin);
  }
  return absl::InvalidArgumentError(
      absl::StrFormat("%s '%s': %s%s", std::string(what), std::string(value), IdRule(info), why));
}

absl::StatusOr<std::string> MatchId(std::string_view value, IdKind kind, std::string_view what,
                                    std::string_view scope,
                                    const std::vector<IdCandidate>& candidates) {
  const IdKindInfo& info = InfoOf(kind);
  const bool prefix = IsHex(value) && value.size() >= kIdPrefixSizeMin;
  const std::string lower = absl::AsciiStrToLower(std::string(value));
  std::vector<const IdCandidate*> matches;
  for (const IdCandidate& candidate : candidates) {
    const bool by_id = prefix && candidate.id.starts_with(lower);
    const bool by_name = info.names && !candidate.name.empty() && candidate.name == value;
    if (by_id || by_name) matches.push_back(&candidate);
  }
  if (matches.size() == 1) return matches[0]->id;
  std::string searched = prefix ? absl::StrFormat("an id starting with '%s'", lower) : "";
  if (info.names) {
    searched += absl::StrFormat("%sthe name '%s'", prefix ? " or " : "", std::string(value));
  }
  if (matches.empty()) {
    return absl::NotFoundError(
        absl::StrFormat("%s '%s': NOT FOUND: no %s %s has %s (%d %s searched; see '%s')",
                        std::string(what), std::string(value), info.noun, std::string(scope),
                        searched, candidates.size(), info.plural, info.list_hint));
  }
  const size_t length = DistinctLength(matches);
  std::string lines;
  for (size_t i = 0; i < matches.size() && i < kCandidatesShownMax; ++i) {
    lines += absl::StrFormat("\n  %s  %s", matches[i]->id.substr(0, length), matches[i]->summary);
  }
  if (matches.size() > kCandidatesShownMax) {
    lines += absl::StrFormat("\n  ... and %d more", matches.size() - kCandidatesShownMax);
  }
  return AmbiguousError(absl::StrFormat(
      "%s '%s' is ambiguous: %d %s %s have %s:%s\ngive more characters of the id (or the full "
      "%s)",
      std::string(what), std::string(value), matches.size(), info.plural, std::string(scope),
      searched, lines, info.id_key));
}

absl::Status ResolveIds(Invocation& inv, CommandContext& context) {
  if (inv.command == nullptr) return absl::OkStatus();
  const CommandSpec& spec = *inv.command;
  std::vector<Slot> slots;
  for (size_t i = 0; i < spec.positionals.size() && i < inv.positionals.size(); ++i) {
    if (spec.positionals[i].id != IdKind::kNone) {
      slots.push_back({spec.positionals[i].id, spec.positionals[i].name, &inv.positionals[i]});
    }
  }
  for (const FlagSpec& flag : spec.flags) {
    auto it = inv.flags.find(flag.name);
    if (flag.id == IdKind::kNone || it == inv.flags.end()) continue;
    for (std::string& value : it->second) slots.push_back({flag.id, "--" + flag.name, &value});
  }
  // Every value is checked before connecting; then groups first: the other kinds are looked
  // up in the group the command names.
  std::vector<Slot> lookups;
  for (const Slot& slot : slots) {
    absl::StatusOr<bool> needed = NeedsLookup(*slot.value, slot.kind, slot.what);
    if (!needed.ok()) return needed.status();
    if (*needed) lookups.push_back(slot);
  }
  if (lookups.empty()) return absl::OkStatus();
  std::stable_partition(lookups.begin(), lookups.end(),
                        [](const Slot& slot) { return slot.kind == IdKind::kGroup; });
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  std::map<IdKind, Lookup> listed;
  for (const Slot& slot : lookups) {
    auto it = listed.find(slot.kind);
    if (it == listed.end()) {
      const std::string group_id = inv.Get("group");
      if (slot.kind != IdKind::kGroup && slot.kind != IdKind::kToken && group_id.empty()) {
        return absl::InvalidArgumentError(
            absl::StrFormat("%s '%s': a short %s needs --group to search in", slot.what,
                            *slot.value, InfoOf(slot.kind).noun));
      }
      absl::StatusOr<Lookup> lookup = ListCandidates(**client, slot.kind, group_id);
      if (!lookup.ok()) return lookup.status();
      it = listed.emplace(slot.kind, *std::move(lookup)).first;
    }
    absl::StatusOr<std::string> id =
        MatchId(*slot.value, slot.kind, slot.what, it->second.scope, it->second.candidates);
    if (!id.ok()) return id.status();
    *slot.value = *id;
  }
  return absl::OkStatus();
}

std::optional<Group> NamedGroup(const Invocation& inv, CommandContext& context) {
  std::string group_id = inv.Get("group");
  if (inv.command != nullptr) {
    for (size_t i = 0; i < inv.command->positionals.size() && i < inv.positionals.size(); ++i) {
      if (inv.command->positionals[i].id == IdKind::kGroup) group_id = inv.positionals[i];
    }
  }
  if (group_id.empty()) return std::nullopt;
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return std::nullopt;
  absl::StatusOr<Group> group = (*client)->GetGroup(group_id);
  if (!group.ok()) return std::nullopt;
  return *std::move(group);
}

OrgNames MemberNames(const Group& group) {
  OrgNames names;
  for (const Member& member : group.members) names[member.key] = member.profile.name;
  return names;
}

}  // namespace constellation::cli
