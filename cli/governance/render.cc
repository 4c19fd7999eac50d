// cli/governance/render.cc
#include "cli/governance/render.h"

#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>

#include "cli/group/render.h"
#include "cli/node/render.h"
#include "cli/values.h"

namespace constellation::cli {
namespace {

std::string StanceText(const Voter& voter) {
  return voter.stance.empty() ? "(none yet)" : voter.stance;
}

// "2/3": stances taken of the eligible members.
std::string StancesText(const Tally& tally) {
  return absl::StrFormat("%d/%d", tally.stance_count, tally.eligible_count);
}

std::string NameOf(const Proposal& proposal, const std::string& key) {
  for (const Voter& voter : proposal.electorate) {
    if (voter.key == key && !voter.name.empty()) return voter.name;
  }
  return ShortId(key);
}

std::vector<std::string> MissingNames(const Proposal& proposal) {
  std::vector<std::string> names;
  for (const std::string& key : proposal.missing_stances) names.push_back(NameOf(proposal, key));
  return names;
}

constexpr Property<Tally> kTallyProperties[] = {
    {"eligible_weight", Of<&Tally::eligible_weight>},
    {"stance_weight", Of<&Tally::stance_weight>},
    {"agree_weight", Of<&Tally::agree_weight>},
    {"abstain_weight", Of<&Tally::abstain_weight>},
    {"disagree_weight", Of<&Tally::disagree_weight>},
    {"block_weight", Of<&Tally::block_weight>},
    {"eligible_count", Of<&Tally::eligible_count>},
    {"stance_count", Of<&Tally::stance_count>},
    {"quorum_met", Of<&Tally::quorum_met>},
};

// The electorate in JSON and as the Electorate table.
constexpr Property<Voter> kVoterProperties[] = {
    {"key", IdOf<&Voter::key>},
    {"name", Of<&Voter::name>},
    {"weight", Of<&Voter::weight>},
    {"decides", Of<&Voter::decides>},
    {"stance", [](const Voter& voter) { return Value(voter.stance, StanceText(voter)); }},
    {"reason", Of<&Voter::reason>},
    {"stance_time", Of<&Voter::stance_hlc>, Shown::kBoth, "time"},
};

// The decision payloads of a spec, at the end of the proposal's JSON: admit and expel always
// (null when absent), the others only when present.
void AddPayloads(const ProposalSpec& spec, Json* json) {
  (*json)["admit"] = spec.admit.has_value()
                         ? JsonObject({{"card", ToJson(spec.admit->card)},
                                       {"role", spec.admit->role},
                                       {"segment", spec.admit->segment},
                                       {"voting_weight", spec.admit->voting_weight}})
                         : Json(nullptr);
  (*json)["expel"] =
      spec.expel.has_value()
          ? JsonObject({{"member", spec.expel->member}, {"reason", spec.expel->reason}})
          : Json(nullptr);
  if (!spec.strategy_version_id.empty()) (*json)["strategy_version_id"] = spec.strategy_version_id;
  if (spec.allocate.has_value()) {
    (*json)["allocate"] = JsonObject({{"fund_id", spec.allocate->fund_id},
                                      {"amount", ToJson(spec.allocate->amount)},
                                      {"recipient", spec.allocate->recipient},
                                      {"purpose", spec.allocate->purpose},
                                      {"drawdown_id", spec.allocate->drawdown_id},
                                      {"budget_line", spec.allocate->budget_line}});
  }
  if (spec.campaign.has_value()) {
    const Money& goal = spec.campaign->goal;
    (*json)["campaign"] = JsonObject({{"name", spec.campaign->name},
                                      {"currency", goal.currency},
                                      AmountMembers("goal", goal.amount_minor, goal.currency),
                                      TimeMembers("deadline", spec.campaign->deadline_ms)});
  }
  if (spec.charter.has_value()) {
    (*json)["charter"] = JsonObject({{"name", spec.charter->name},
                                     {"common_agenda", spec.charter->common_agenda},
                                     {"kind", spec.charter->kind}});
  }
  if (spec.write_off.has_value()) {
    (*json)["write_off"] = JsonObject({{"pledge_id", spec.write_off->pledge_id},
                                       {"amount", ToJson(spec.write_off->amount)},
                                       {"reason_code", spec.write_off->reason_code}});
  }
  if (!spec.dissolution_plan.empty()) (*json)["dissolution_plan"] = spec.dissolution_plan;
  if (spec.fund.has_value()) {
    const Restriction& restriction = spec.fund->restriction;
    (*json)["fund"] =
        JsonObject({{"name", spec.fund->name},
                    {"fiscal_host", spec.fund->fiscal_host},
                    {"currency", spec.fund->currency},
                    {"restriction", JsonObject({{"kind", restriction.kind},
                                                {"text", restriction.text},
                                                TimeMembers("until", restriction.until_ms)})},
                    {"action_team_id", spec.fund->action_team_id}});
  }
  if (spec.team_leads.has_value()) {
    (*json)["team_leads"] = JsonObject({{"team_id", spec.team_leads->team_id},
                                        {"leads", spec.team_leads->leads},
                                        {"team_orgs", spec.team_leads->team_orgs}});
  }
}

std::string RuleText(const Proposal& proposal) {
  const DecisionRule& rule = proposal.rule;
  std::string text = rule.process.empty() ? "(default)" : rule.process;
  if (rule.process == "supermajority") {
    text += absl::StrFormat(" %d bps", rule.threshold_bps);
  }
  if (rule.quorum_bps != 0) text += absl::StrFormat(", quorum %d bps", rule.quorum_bps);
  text += proposal.rule_from_charter ? " (charter)" : " (default rule)";
  return text;
}

// The lines of the decision payloads in ProposalDetails.
void AddPayloadDetails(const Proposal& proposal, KeyValues* values) {
  const ProposalSpec& spec = proposal.spec;
  if (spec.admit.has_value()) {
    values->emplace_back("admit",
                         absl::StrFormat("%s (%s)", spec.admit->card.name, spec.admit->card.key));
    values->emplace_back(
        "admit_as",
        absl::StrFormat("role %s, segment %s, weight %d",
                        spec.admit->role.empty() ? "-" : spec.admit->role,
                        spec.admit->segment.empty() ? "-" : spec.admit->segment,
                        spec.admit->voting_weight == 0 ? 1 : spec.admit->voting_weight));
    if (!spec.admit->card.endpoints.empty()) {
      values->emplace_back("admit_endpoints", absl::StrJoin(spec.admit->card.endpoints, " "));
    }
  }
  if (spec.expel.has_value()) {
    const std::string name = NameOf(proposal, spec.expel->member);
    values->emplace_back("expel", name == ShortId(spec.expel->member)
                                      ? spec.expel->member
                                      : absl::StrFormat("%s (%s)", name, spec.expel->member));
    values->emplace_back("expel_reason", spec.expel->reason);
  }
  if (!spec.strategy_version_id.empty()) {
    values->emplace_back("strategy_version_id", spec.strategy_version_id);
  }
  if (!spec.dissolution_plan.empty()) {
    values->emplace_back("dissolution_plan", spec.dissolution_plan);
  }
  if (spec.allocate.has_value()) {
    values->emplace_back("allocate", absl::StrFormat("%s from fund %s to %s",
                                                     MoneyText(spec.allocate->amount.amount_minor,
                                                               spec.allocate->amount.currency),
                                                     spec.allocate->fund_id,
                                                     NameOf(proposal, spec.allocate->recipient)));
    values->emplace_back("allocate_purpose", spec.allocate->purpose);
  }
  if (spec.campaign.has_value()) {
    values->emplace_back("campaign", absl::StrFormat("%s, goal %s", spec.campaign->name,
                                                     MoneyText(spec.campaign->goal.amount_minor,
                                                               spec.campaign->goal.currency)));
  }
  if (spec.charter.has_value()) values->emplace_back("charter_name", spec.charter->name);
  if (spec.write_off.has_value()) {
    values->emplace_back("write_off",
                         absl::StrFormat("%s of pledge %s (%s)",
                                         MoneyText(spec.write_off->amount.amount_minor,
                                                   spec.write_off->amount.currency),
                                         spec.write_off->pledge_id, spec.write_off->reason_code));
  }
  if (spec.fund.has_value()) {
    values->emplace_back(
        "fund", absl::StrFormat("%s in %s, held by %s", spec.fund->name, spec.fund->currency,
                                NameOf(proposal, spec.fund->fiscal_host)));
  }
  if (spec.team_leads.has_value()) {
    std::vector<std::string> leads;
    for (const std::string& lead : spec.team_leads->leads) leads.push_back(NameOf(proposal, lead));
    values->emplace_back(
        "team_leads",
        absl::StrFormat("team %s led by %s", spec.team_leads->team_id, absl::StrJoin(leads, ", ")));
  }
}

constexpr Field<Proposal> kProposalColumns[] = {
    {"proposal_id", [](const Proposal& proposal) { return proposal.proposal_id; }, false,
     CellKind::kId},
    {"type", [](const Proposal& proposal) { return proposal.spec.decision_type; }},
    {"title", [](const Proposal& proposal) { return proposal.spec.title; }},
    {"proposer", [](const Proposal& proposal) { return proposal.proposer; }, false,
     CellKind::kOrgKey},
    {"outcome", OutcomeText},
    {"stances", [](const Proposal& proposal) { return StancesText(proposal.tally); },
     kRightAligned},
    {"deadline", [](const Proposal& proposal) { return FormatTimeMs(proposal.deadline_ms); }},
};

// The JSON of a proposal before its decision payloads.
constexpr Property<Proposal> kProposalProperties[] = {
    {"proposal_id", Of<&Proposal::proposal_id>},
    {"group_id", Of<&Proposal::group_id>},
    {"proposer", Of<&Proposal::proposer>},
    {"decision_type", Of<&Proposal::spec, &ProposalSpec::decision_type>},
    {"title", Of<&Proposal::spec, &ProposalSpec::title>},
    {"text", Of<&Proposal::spec, &ProposalSpec::text>},
    {"proposed", Of<&Proposal::hlc>},
    {"deadline", TimeOf<&Proposal::deadline_ms>},
    {"outcome", Of<&Proposal::outcome>},
    {"outcome_text", [](const Proposal& proposal) { return Value(OutcomeText(proposal)); }},
    {"provisional", [](const Proposal& proposal) { return Value(!proposal.final); }},
    {"closed", Of<&Proposal::closed>},
    {"final", Of<&Proposal::final>},
    {"past_deadline", Of<&Proposal::past_deadline>},
    {"close_reason", Of<&Proposal::close_reason>},
    {"closed_at", Of<&Proposal::close_hlc>},
    {"rule",
     [](const Proposal& proposal) {
       Json rule = ToJson(proposal.rule);
       rule["from_charter"] = proposal.rule_from_charter;
       return Value(rule, "");
     }},
    {"tally",
     [](const Proposal& proposal) { return Value(JsonOf<kTallyProperties>(proposal.tally), ""); }},
    {"electorate",
     [](const Proposal& proposal) {
       return Value(JsonArray(proposal.electorate, JsonOf<kVoterProperties>), "");
     }},
    {"missing_stances", Of<&Proposal::missing_stances>},
};

constexpr Section<Proposal> kProposalSections[] = {{"Electorate", ElectorateTable}};

// A row of the waiting view: a proposal, and whether it needs this org's stance.
struct Waiting {
  const Proposal* proposal;
  bool mine;
};

constexpr Field<Waiting> kWaitingColumns[] = {
    {"group", [](const Waiting& row) { return row.proposal->group_id; }, false, CellKind::kId},
    {"proposal_id", [](const Waiting& row) { return row.proposal->proposal_id; }, false,
     CellKind::kId},
    {"type", [](const Waiting& row) { return row.proposal->spec.decision_type; }},
    {"title", [](const Waiting& row) { return row.proposal->spec.title; }},
    {"waiting_on", [](const Waiting& row) { return WaitingOnText(*row.proposal, row.mine); }},
    {"outcome", [](const Waiting& row) { return OutcomeText(*row.proposal); }},
    {"deadline", [](const Waiting& row) { return FormatTimeMs(row.proposal->deadline_ms); }},
};

}  // namespace

Json ToJson(const Proposal& proposal) {
  Json json = JsonOf<kProposalProperties>(proposal);
  AddPayloads(proposal.spec, &json);
  json.update(JsonObject({{"final_at", proposal.final_at},
                          {"effect_applied", proposal.effect_applied},
                          {"acceptance", proposal.acceptance}}));
  return json;
}

Json ToJson(const WaitingOnResult& waiting) {
  const auto list = [](const std::vector<Proposal>& proposals, bool mine) {
    Json json = Json::array();
    for (const Proposal& proposal : proposals) {
      Json item = ToJson(proposal);
      item["waiting_on"] = mine ? std::vector<std::string>{"you"} : MissingNames(proposal);
      json.push_back(std::move(item));
    }
    return json;
  };
  return JsonObject({{"needs_my_stance", list(waiting.needs_my_stance, true)},
                     {"waiting_on_others", list(waiting.waiting_on_others, false)}});
}

std::string OutcomeText(const Proposal& proposal) {
  const std::string outcome = proposal.outcome.empty() ? "open" : proposal.outcome;
  if (proposal.final) return outcome + " (final)";
  if (proposal.closed) return outcome + " (provisional)";
  if (proposal.past_deadline) return outcome + " (provisional: past deadline)";
  return outcome;
}

std::string WaitingOnText(const Proposal& proposal, bool mine) {
  if (mine) return "you";
  if (proposal.final) return "";
  if (proposal.missing_stances.empty()) return proposal.closed ? "acknowledgements" : "";
  return absl::StrJoin(MissingNames(proposal), ", ");
}

const RecordFormat<Proposal> kProposalFormat = {.json = ToJson,
                                                .columns = kProposalColumns,
                                                .details = ProposalDetails,
                                                .sections = kProposalSections};

Table ProposalsTable(const std::vector<Proposal>& proposals) {
  return kProposalFormat.TableOf(proposals);
}

Table ElectorateTable(const Proposal& proposal) {
  return PropertiesTable<Voter>(kVoterProperties, proposal.electorate);
}

Table WaitingTable(const WaitingOnResult& waiting) {
  std::vector<Waiting> rows;
  for (const Proposal& proposal : waiting.needs_my_stance) rows.push_back({&proposal, true});
  for (const Proposal& proposal : waiting.waiting_on_others) rows.push_back({&proposal, false});
  return TableOf<Waiting>(kWaitingColumns, rows);
}

KeyValues ProposalDetails(const Proposal& proposal) {
  const ProposalSpec& spec = proposal.spec;
  const Tally& tally = proposal.tally;
  KeyValues values = {{"proposal_id", proposal.proposal_id},
                      {"group_id", proposal.group_id},
                      {"type", spec.decision_type},
                      {"title", spec.title}};
  if (!spec.text.empty()) values.emplace_back("text", spec.text);
  values.emplace_back("proposer", proposal.proposer);
  values.emplace_back("proposed", FormatTimeMs(proposal.hlc.wall_ms));
  AddPayloadDetails(proposal, &values);
  values.emplace_back("rule", RuleText(proposal));
  values.emplace_back("deadline", FormatTimeMs(proposal.deadline_ms));
  values.emplace_back("outcome", OutcomeText(proposal));
  if (proposal.closed) {
    values.emplace_back("closed",
                        absl::StrFormat("%s (%s)", FormatTimeMs(proposal.close_hlc.wall_ms),
                                        proposal.close_reason));
  }
  values.emplace_back("stances", StancesText(tally));
  values.emplace_back(
      "tally", absl::StrFormat("agree %d, abstain %d, disagree %d, block %d of weight %d%s",
                               tally.agree_weight, tally.abstain_weight, tally.disagree_weight,
                               tally.block_weight, tally.eligible_weight,
                               tally.quorum_met ? " (quorum met)" : " (no quorum yet)"));
  const std::string waiting = WaitingOnText(proposal, false);
  if (!waiting.empty()) values.emplace_back("waiting_on", waiting);
  if (!proposal.final_at.empty()) values.emplace_back("final_at", proposal.final_at);
  if (spec.admit.has_value() || spec.expel.has_value()) {
    values.emplace_back("effect_applied", YesNo(proposal.effect_applied));
  }
  if (!proposal.acceptance.empty()) values.emplace_back("acceptance", proposal.acceptance);
  return values;
}

Output WaitingOutput(const WaitingOnResult& waiting) {
  Output output = Output::List(ToJson(waiting), WaitingTable(waiting));
  output.empty_list_text =
      "nothing is waiting: no proposal needs your stance and every other one is final\n";
  return output;
}

Output ProposalWriteOutput(const ProposalWrite& write, std::string_view request_id) {
  const Proposal& proposal = write.proposal;
  return WriteOutput("proposal_id", proposal.proposal_id, write.event, request_id, "proposal",
                     ToJson(proposal),
                     {{"type", proposal.spec.decision_type},
                      {"title", proposal.spec.title},
                      {"outcome", OutcomeText(proposal)},
                      {"stances", StancesText(proposal.tally)},
                      {"deadline", FormatTimeMs(proposal.deadline_ms)}});
}

Output MembershipWriteOutput(const MembershipWrite& write, std::string_view request_id) {
  Json member = ToJson(write.member);
  member["open_obligations"] = JsonArray(write.member.open_obligations, ToJson);
  Output out = WriteOutput("group_id", write.event.group_id, write.event, request_id, "member",
                           std::move(member), MemberDetails(write.member));
  out.tables.emplace_back("Open obligations (they survive leaving)",
                          ObligationsTable(write.member.open_obligations));
  return out;
}

Output JoinOutput(const JoinResult& join, std::string_view request_id) {
  const Group& group = join.group;
  Output output =
      WriteOutput("group_id", group.group_id, join.event, request_id, "group", ToJson(group),
                  {{"name", group.charter.name},
                   {"members", Count(group.members.size())},
                   {"events_received", Count(join.sync.received)},
                   {"events_inserted", Count(join.sync.inserted)},
                   {"state_hash", group.state_hash}});
  output.json["sync"] = ToJson(join.sync);
  output.tables.emplace_back("Members", MembersTable(group.members));
  return output;
}

}  // namespace constellation::cli
