// cli/render.cc
#include "cli/render.h"

#include <absl/strings/escaping.h>
#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>
#include <constellation/money.h>

#include "cli/values.h"

namespace constellation::cli {
namespace {

constexpr size_t kShortIdSize = 12;

// `<name>_ms` and `<name>` (a date string, or null when not set).
void AddTime(Json* json, const std::string& name, uint64_t ms) {
  (*json)[name + "_ms"] = ms;
  (*json)[name] = ms == 0 ? Json(nullptr) : Json(FormatTimeMs(ms));
}

void AddHlc(Json* json, const std::string& name, const Hlc& hlc) {
  (*json)[name + "_hlc"] = Json{{"wall_ms", hlc.wall_ms}, {"logical", hlc.logical}};
  (*json)[name] = hlc.wall_ms == 0 ? Json(nullptr) : Json(FormatTimeMs(hlc.wall_ms));
}

Json ToJson(const Restriction& restriction) {
  if (restriction.kind.empty()) return nullptr;
  Json json = {{"kind", restriction.kind}, {"text", restriction.text}};
  AddTime(&json, "until", restriction.until_ms);
  return json;
}

std::string RestrictionText(const Restriction& restriction) {
  if (restriction.kind.empty()) return "";
  if (restriction.kind == "time") {
    return absl::StrFormat("time until %s", FormatTimeMs(restriction.until_ms));
  }
  return restriction.text.empty() ? restriction.kind
                                  : absl::StrFormat("%s: %s", restriction.kind, restriction.text);
}

Json ToJson(const MemberProfile& profile) {
  return Json{{"name", profile.name},
              {"role", profile.role},
              {"segment", profile.segment},
              {"voting_weight", profile.voting_weight},
              {"endpoints", profile.endpoints}};
}

std::string Count(uint64_t n) { return absl::StrFormat("%d", n); }

}  // namespace

std::string ShortId(const std::string& hex) { return hex.substr(0, kShortIdSize); }

std::string MoneyText(int64_t minor, const std::string& currency) {
  return absl::StrFormat("%s %s", FormatAmount(minor, currency), currency);
}

void AddAmount(Json* json, const std::string& name, int64_t minor, const std::string& currency) {
  (*json)[name + "_minor"] = minor;
  (*json)[name] = FormatAmount(minor, currency);
}

Json ToJson(const NodeInfo& node) {
  return Json{{"org_key", node.org_key},         {"org_name", node.org_name},
              {"endpoints", node.endpoints},     {"version", node.version},
              {"group_count", node.group_count}, {"event_count", node.event_count},
              {"caller_role", node.caller_role}};
}

Json ToJson(const TokenInfo& token) {
  Json json = {{"token_id", token.token_id},
               {"role", token.role},
               {"label", token.label},
               {"group_ids", token.group_ids}};
  AddTime(&json, "created", token.created_ms);
  json["revoked"] = token.revoked;
  return json;
}

Json ToJson(const EventRef& event) {
  Json json = {{"event_id", event.event_id},
               {"group_id", event.group_id},
               {"author", event.author},
               {"seq", event.seq}};
  AddHlc(&json, "time", event.hlc);
  return json;
}

Json ToJson(const GroupEventEntry& entry) {
  Json json = {{"position", entry.position}, {"event_id", entry.event_id},
               {"author", entry.author},     {"seq", entry.seq},
               {"kind", entry.kind},         {"request_id", entry.request_id}};
  AddHlc(&json, "time", entry.hlc);
  json["event_base64"] = absl::Base64Escape(entry.event_bytes);
  json["signature_base64"] = absl::Base64Escape(entry.signature);
  return json;
}

Json ToJson(const Group& group) {
  const Charter& charter = group.charter;
  Json json = {{"group_id", group.group_id},
               {"name", charter.name},
               {"common_agenda", charter.common_agenda},
               {"discovery_hypothesis", charter.discovery_hypothesis},
               {"kind", charter.kind},
               {"base_currency", charter.base_currency}};
  AddTime(&json, "term_start", charter.term_start_ms);
  AddTime(&json, "term_end", charter.term_end_ms);
  AddTime(&json, "review", charter.review_ms);
  Json rules = Json::array();
  for (const DecisionRule& rule : charter.decision_rules) {
    rules.push_back(Json{{"decision_type", rule.decision_type},
                         {"process", rule.process},
                         {"threshold_bps", rule.threshold_bps},
                         {"quorum_bps", rule.quorum_bps},
                         {"voting_window_ms", rule.voting_window_ms},
                         {"coordinators_vote", rule.coordinators_vote}});
  }
  json["decision_rules"] = rules;
  json["withdrawal_notice_days"] = charter.withdrawal_notice_days;
  json["dissolution_rule"] = charter.dissolution_rule;
  json["inkind_valuation_rules"] = charter.inkind_valuation_rules;
  json["fx_rate_source"] = charter.fx_rate_source;
  json["founder"] = group.founder;
  Json members = Json::array();
  for (const Member& member : group.members) members.push_back(ToJson(member));
  json["members"] = members;
  json["event_count"] = group.event_count;
  json["state_hash"] = group.state_hash;
  AddHlc(&json, "last", group.last_hlc);
  return json;
}

Json ToJson(const Campaign& campaign) {
  const CampaignInput& definition = campaign.definition;
  const std::string& currency = definition.goal.currency;
  Json json = {{"campaign_id", campaign.campaign_id},
               {"group_id", campaign.group_id},
               {"name", definition.name},
               {"currency", currency}};
  AddAmount(&json, "goal", definition.goal.amount_minor, currency);
  AddTime(&json, "deadline", definition.deadline_ms);
  json["opened_by"] = campaign.opened_by;
  json["fiscal_host"] = campaign.fiscal_host;
  json["restriction"] = ToJson(definition.restriction);
  if (definition.assurance_threshold.has_value()) {
    Json assurance;
    AddAmount(&assurance, "threshold", definition.assurance_threshold->amount_minor,
              definition.assurance_threshold->currency);
    AddTime(&assurance, "deadline", definition.assurance_deadline_ms);
    json["assurance"] = assurance;
  } else {
    json["assurance"] = nullptr;
  }
  json["action_team_id"] = definition.action_team_id;
  json["pledge_count"] = campaign.pledge_count;
  AddAmount(&json, "pledged", campaign.pledged_minor, currency);
  AddAmount(&json, "received", campaign.received_minor, currency);
  AddAmount(&json, "outstanding", campaign.outstanding_minor, currency);
  AddAmount(&json, "conditional", campaign.conditional_minor, currency);
  AddHlc(&json, "opened", campaign.opened_hlc);
  return json;
}

Json ToJson(const PledgeTerms& terms) {
  const std::string& currency = terms.amount.currency;
  Json json = {{"currency", currency}};
  AddAmount(&json, "amount", terms.amount.amount_minor, currency);
  Json installments = Json::array();
  for (const Installment& installment : terms.installments) {
    Json item;
    AddTime(&item, "due", installment.due_ms);
    AddAmount(&item, "amount", installment.amount_minor, currency);
    installments.push_back(item);
  }
  json["installments"] = installments;
  json["condition"] = terms.condition.has_value()
                          ? Json{{"barrier", terms.condition->barrier},
                                 {"right_of_release", terms.condition->right_of_release}}
                          : Json(nullptr);
  json["restriction"] = ToJson(terms.restriction);
  json["note"] = terms.note;
  json["donor_name"] = terms.donor_name;
  json["evidence_sha256"] = terms.evidence_sha256;
  return json;
}

Json ToJson(const Pledge& pledge) {
  const std::string& currency = pledge.terms.amount.currency;
  Json json = {{"pledge_id", pledge.pledge_id},
               {"group_id", pledge.group_id},
               {"campaign_id", pledge.campaign_id},
               {"pledger", pledge.pledger},
               {"status", pledge.status},
               {"version", pledge.version},
               {"currency", currency}};
  AddAmount(&json, "amount", pledge.terms.amount.amount_minor, currency);
  AddAmount(&json, "received", pledge.received_minor, currency);
  AddAmount(&json, "written_off", pledge.written_off_minor, currency);
  AddAmount(&json, "outstanding", pledge.outstanding_minor, currency);
  json["terms"] = ToJson(pledge.terms);
  json["cancel_reason"] = pledge.cancel_reason;
  AddHlc(&json, "created", pledge.created_hlc);
  AddHlc(&json, "updated", pledge.updated_hlc);
  return json;
}

Json ToJson(const PledgeVersionEntry& entry) {
  const PledgeVersion& version = entry.version;
  Json json = {{"pledge_id", entry.pledge_id},
               {"version", version.version},
               {"kind", version.kind},
               {"event_id", version.event_id},
               {"author", version.author}};
  AddHlc(&json, "time", version.hlc);
  json["terms"] = version.terms.has_value() ? ToJson(*version.terms) : Json(nullptr);
  json["reason"] = version.reason;
  if (version.amount.has_value()) {
    Json amount = {{"currency", version.amount->currency}};
    AddAmount(&amount, "amount", version.amount->amount_minor, version.amount->currency);
    json["amount"] = amount;
  } else {
    json["amount"] = nullptr;
  }
  json["external_ref"] = version.external_ref;
  AddTime(&json, "received", version.received_ms);
  return json;
}

Table TokensTable(const std::vector<TokenInfo>& tokens) {
  Table table{{{"token_id"}, {"role"}, {"label"}, {"groups"}, {"created"}, {"revoked"}}, {}};
  for (const TokenInfo& token : tokens) {
    std::vector<std::string> groups;
    for (const std::string& group_id : token.group_ids) groups.push_back(ShortId(group_id));
    table.rows.push_back({token.token_id, token.role, token.label,
                          groups.empty() ? "all" : absl::StrJoin(groups, " "),
                          FormatTimeMs(token.created_ms), token.revoked ? "yes" : "no"});
  }
  return table;
}

Table GroupsTable(const std::vector<Group>& groups) {
  Table table{{{"group_id"}, {"name"}, {"kind"}, {"currency"}, {"members", true}, {"events", true}},
              {}};
  for (const Group& group : groups) {
    table.rows.push_back({group.group_id, group.charter.name, group.charter.kind,
                          group.charter.base_currency, Count(group.members.size()),
                          Count(group.event_count)});
  }
  return table;
}

Table MembersTable(const std::vector<Member>& members) {
  Table table{{{"key"},
               {"name"},
               {"role"},
               {"segment"},
               {"status"},
               {"weight", true},
               {"notice_effective"},
               {"frozen"}},
              {}};
  for (const Member& member : members) {
    table.rows.push_back(
        {member.key, member.profile.name, member.profile.role, member.profile.segment,
         member.status, Count(member.profile.voting_weight == 0 ? 1 : member.profile.voting_weight),
         FormatTimeMs(member.notice_effective_ms), member.frozen ? "yes" : "no"});
  }
  return table;
}

Table GroupEventsTable(const std::vector<GroupEventEntry>& entries) {
  Table table{{{"position", true}, {"event_id"}, {"author"}, {"seq", true}, {"kind"}, {"time"}},
              {}};
  for (const GroupEventEntry& entry : entries) {
    table.rows.push_back({Count(entry.position), entry.event_id, ShortId(entry.author),
                          Count(entry.seq), entry.kind, FormatTimeMs(entry.hlc.wall_ms)});
  }
  return table;
}

Table CampaignsTable(const std::vector<Campaign>& campaigns) {
  Table table{{{"campaign_id"},
               {"name"},
               {"currency"},
               {"goal", true},
               {"pledged", true},
               {"received", true},
               {"outstanding", true},
               {"pledges", true},
               {"deadline"}},
              {}};
  for (const Campaign& campaign : campaigns) {
    const std::string& currency = campaign.definition.goal.currency;
    table.rows.push_back({campaign.campaign_id, campaign.definition.name, currency,
                          FormatAmount(campaign.definition.goal.amount_minor, currency),
                          FormatAmount(campaign.pledged_minor, currency),
                          FormatAmount(campaign.received_minor, currency),
                          FormatAmount(campaign.outstanding_minor, currency),
                          Count(campaign.pledge_count),
                          FormatTimeMs(campaign.definition.deadline_ms)});
  }
  return table;
}

Table PledgesTable(const std::vector<Pledge>& pledges) {
  Table table{{{"pledge_id"},
               {"campaign"},
               {"pledger"},
               {"status"},
               {"currency"},
               {"amount", true},
               {"received", true},
               {"outstanding", true},
               {"version", true},
               {"donor"}},
              {}};
  for (const Pledge& pledge : pledges) {
    const std::string& currency = pledge.terms.amount.currency;
    table.rows.push_back({pledge.pledge_id, ShortId(pledge.campaign_id), ShortId(pledge.pledger),
                          pledge.status, currency,
                          FormatAmount(pledge.terms.amount.amount_minor, currency),
                          FormatAmount(pledge.received_minor, currency),
                          FormatAmount(pledge.outstanding_minor, currency), Count(pledge.version),
                          pledge.terms.donor_name});
  }
  return table;
}

Table InstallmentsTable(const std::vector<Installment>& installments, const std::string& currency) {
  Table table{{{"due"}, {"amount", true}}, {}};
  for (const Installment& installment : installments) {
    table.rows.push_back(
        {FormatTimeMs(installment.due_ms), FormatAmount(installment.amount_minor, currency)});
  }
  return table;
}

Table PledgeHistoryTable(const std::vector<PledgeVersionEntry>& entries) {
  Table table{{{"pledge"},
               {"version", true},
               {"kind"},
               {"author"},
               {"time"},
               {"amount", true},
               {"currency"},
               {"detail"}},
              {}};
  for (const PledgeVersionEntry& entry : entries) {
    const PledgeVersion& version = entry.version;
    std::string amount;
    std::string currency;
    std::string detail = version.reason;
    if (version.terms.has_value()) {
      currency = version.terms->amount.currency;
      amount = FormatAmount(version.terms->amount.amount_minor, currency);
      if (detail.empty()) detail = version.terms->note;
    } else if (version.amount.has_value()) {
      currency = version.amount->currency;
      amount = FormatAmount(version.amount->amount_minor, currency);
    }
    if (!version.external_ref.empty()) {
      detail = detail.empty() ? "ref " + version.external_ref
                              : detail + " (ref " + version.external_ref + ")";
    }
    table.rows.push_back({ShortId(entry.pledge_id), Count(version.version), version.kind,
                          ShortId(version.author), FormatTimeMs(version.hlc.wall_ms), amount,
                          currency, detail});
  }
  return table;
}

KeyValues NodeDetails(const NodeInfo& node) {
  return {{"org_key", node.org_key},
          {"org_name", node.org_name},
          {"endpoints", absl::StrJoin(node.endpoints, " ")},
          {"version", node.version},
          {"groups", Count(node.group_count)},
          {"events", Count(node.event_count)},
          {"caller_role", node.caller_role}};
}

KeyValues GroupDetails(const Group& group) {
  const Charter& charter = group.charter;
  KeyValues values = {{"group_id", group.group_id},
                      {"name", charter.name},
                      {"kind", charter.kind},
                      {"base_currency", charter.base_currency},
                      {"common_agenda", charter.common_agenda}};
  if (!charter.discovery_hypothesis.empty()) {
    values.emplace_back("discovery_hypothesis", charter.discovery_hypothesis);
  }
  if (charter.term_start_ms != 0 || charter.term_end_ms != 0) {
    values.emplace_back("term", absl::StrFormat("%s .. %s", FormatTimeMs(charter.term_start_ms),
                                                FormatTimeMs(charter.term_end_ms)));
  }
  values.emplace_back("founder", group.founder);
  values.emplace_back("members", Count(group.members.size()));
  values.emplace_back("events", Count(group.event_count));
  values.emplace_back("state_hash", group.state_hash);
  values.emplace_back("last_event", FormatTimeMs(group.last_hlc.wall_ms));
  return values;
}

KeyValues CampaignDetails(const Campaign& campaign) {
  const CampaignInput& definition = campaign.definition;
  const std::string& currency = definition.goal.currency;
  KeyValues values = {{"campaign_id", campaign.campaign_id},
                      {"group_id", campaign.group_id},
                      {"name", definition.name},
                      {"goal", MoneyText(definition.goal.amount_minor, currency)},
                      {"deadline", FormatTimeMs(definition.deadline_ms)},
                      {"fiscal_host", campaign.fiscal_host},
                      {"opened_by", campaign.opened_by},
                      {"restriction", RestrictionText(definition.restriction)}};
  if (definition.assurance_threshold.has_value()) {
    values.emplace_back("assurance",
                        absl::StrFormat("%s by %s",
                                        MoneyText(definition.assurance_threshold->amount_minor,
                                                  definition.assurance_threshold->currency),
                                        FormatTimeMs(definition.assurance_deadline_ms)));
  }
  values.emplace_back("pledges", Count(campaign.pledge_count));
  values.emplace_back("pledged", MoneyText(campaign.pledged_minor, currency));
  values.emplace_back("received", MoneyText(campaign.received_minor, currency));
  values.emplace_back("outstanding", MoneyText(campaign.outstanding_minor, currency));
  values.emplace_back("conditional", MoneyText(campaign.conditional_minor, currency));
  values.emplace_back("opened", FormatTimeMs(campaign.opened_hlc.wall_ms));
  return values;
}

KeyValues PledgeDetails(const Pledge& pledge) {
  const PledgeTerms& terms = pledge.terms;
  const std::string& currency = terms.amount.currency;
  KeyValues values = {{"pledge_id", pledge.pledge_id},
                      {"campaign_id", pledge.campaign_id},
                      {"pledger", pledge.pledger},
                      {"status", pledge.status},
                      {"version", Count(pledge.version)},
                      {"amount", MoneyText(terms.amount.amount_minor, currency)},
                      {"received", MoneyText(pledge.received_minor, currency)},
                      {"written_off", MoneyText(pledge.written_off_minor, currency)},
                      {"outstanding", MoneyText(pledge.outstanding_minor, currency)}};
  if (terms.condition.has_value()) {
    values.emplace_back("condition",
                        absl::StrFormat("barrier: %s; release: %s", terms.condition->barrier,
                                        terms.condition->right_of_release));
  }
  if (!terms.restriction.kind.empty()) {
    values.emplace_back("restriction", RestrictionText(terms.restriction));
  }
  if (!terms.donor_name.empty()) values.emplace_back("donor", terms.donor_name);
  if (!terms.note.empty()) values.emplace_back("note", terms.note);
  if (!terms.evidence_sha256.empty()) values.emplace_back("evidence_sha256", terms.evidence_sha256);
  if (!pledge.cancel_reason.empty()) values.emplace_back("cancel_reason", pledge.cancel_reason);
  values.emplace_back("created", FormatTimeMs(pledge.created_hlc.wall_ms));
  values.emplace_back("updated", FormatTimeMs(pledge.updated_hlc.wall_ms));
  return values;
}

// --- Decisions, membership, peers --------------------------------------------------------

namespace {

std::string YesNo(bool value) { return value ? "yes" : "no"; }

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

Json ToJson(const Tally& tally) {
  return Json{{"eligible_weight", tally.eligible_weight},
              {"stance_weight", tally.stance_weight},
              {"agree_weight", tally.agree_weight},
              {"abstain_weight", tally.abstain_weight},
              {"disagree_weight", tally.disagree_weight},
              {"block_weight", tally.block_weight},
              {"eligible_count", tally.eligible_count},
              {"stance_count", tally.stance_count},
              {"quorum_met", tally.quorum_met}};
}

Json ToJson(const Voter& voter) {
  Json json = {{"key", voter.key},         {"name", voter.name},     {"weight", voter.weight},
               {"decides", voter.decides}, {"stance", voter.stance}, {"reason", voter.reason}};
  AddHlc(&json, "stance_time", voter.stance_hlc);
  return json;
}

Json ToJson(const DecisionRule& rule) {
  return Json{
      {"decision_type", rule.decision_type},       {"process", rule.process},
      {"threshold_bps", rule.threshold_bps},       {"quorum_bps", rule.quorum_bps},
      {"voting_window_ms", rule.voting_window_ms}, {"coordinators_vote", rule.coordinators_vote}};
}

Json MoneyJson(const Money& money) {
  Json json = {{"currency", money.currency}};
  AddAmount(&json, "amount", money.amount_minor, money.currency);
  return json;
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

}  // namespace

Json ToJson(const OrgCard& card) {
  return Json{{"key", card.key}, {"name", card.name}, {"endpoints", card.endpoints}};
}

Json ToJson(const Member& member) {
  Json json = {{"key", member.key},
               {"profile", ToJson(member.profile)},
               {"status", member.status},
               {"last_seq", member.last_seq}};
  AddTime(&json, "notice_effective", member.notice_effective_ms);
  json["frozen"] = member.frozen;
  return json;
}

Json ToJson(const Proposal& proposal) {
  const ProposalSpec& spec = proposal.spec;
  Json json = {{"proposal_id", proposal.proposal_id},
               {"group_id", proposal.group_id},
               {"proposer", proposal.proposer},
               {"decision_type", spec.decision_type},
               {"title", spec.title},
               {"text", spec.text}};
  AddHlc(&json, "proposed", proposal.hlc);
  AddTime(&json, "deadline", proposal.deadline_ms);
  json["outcome"] = proposal.outcome;
  json["outcome_text"] = OutcomeText(proposal);
  json["provisional"] = !proposal.final;
  json["closed"] = proposal.closed;
  json["final"] = proposal.final;
  json["past_deadline"] = proposal.past_deadline;
  json["close_reason"] = proposal.close_reason;
  AddHlc(&json, "closed_at", proposal.close_hlc);
  Json rule = ToJson(proposal.rule);
  rule["from_charter"] = proposal.rule_from_charter;
  json["rule"] = rule;
  json["tally"] = ToJson(proposal.tally);
  Json electorate = Json::array();
  for (const Voter& voter : proposal.electorate) electorate.push_back(ToJson(voter));
  json["electorate"] = electorate;
  json["missing_stances"] = proposal.missing_stances;
  json["admit"] = spec.admit.has_value() ? Json{{"card", ToJson(spec.admit->card)},
                                                {"role", spec.admit->role},
                                                {"segment", spec.admit->segment},
                                                {"voting_weight", spec.admit->voting_weight}}
                                         : Json(nullptr);
  json["expel"] = spec.expel.has_value()
                      ? Json{{"member", spec.expel->member}, {"reason", spec.expel->reason}}
                      : Json(nullptr);
  if (!spec.strategy_version_id.empty()) json["strategy_version_id"] = spec.strategy_version_id;
  if (spec.allocate.has_value()) {
    json["allocate"] = Json{{"fund_id", spec.allocate->fund_id},
                            {"amount", MoneyJson(spec.allocate->amount)},
                            {"recipient", spec.allocate->recipient},
                            {"purpose", spec.allocate->purpose},
                            {"drawdown_id", spec.allocate->drawdown_id}};
  }
  if (spec.campaign.has_value()) {
    Json campaign = {{"name", spec.campaign->name}, {"currency", spec.campaign->goal.currency}};
    AddAmount(&campaign, "goal", spec.campaign->goal.amount_minor, spec.campaign->goal.currency);
    AddTime(&campaign, "deadline", spec.campaign->deadline_ms);
    json["campaign"] = campaign;
  }
  if (spec.charter.has_value()) {
    json["charter"] = Json{{"name", spec.charter->name},
                           {"common_agenda", spec.charter->common_agenda},
                           {"kind", spec.charter->kind}};
  }
  if (spec.write_off.has_value()) {
    json["write_off"] = Json{{"pledge_id", spec.write_off->pledge_id},
                             {"amount", MoneyJson(spec.write_off->amount)},
                             {"reason_code", spec.write_off->reason_code}};
  }
  if (!spec.dissolution_plan.empty()) json["dissolution_plan"] = spec.dissolution_plan;
  json["final_at"] = proposal.final_at;
  json["effect_applied"] = proposal.effect_applied;
  json["acceptance"] = proposal.acceptance;
  return json;
}

Json ToJson(const WaitingOnResult& waiting) {
  const auto list = [](const std::vector<Proposal>& proposals, bool mine) {
    Json json = Json::array();
    for (const Proposal& proposal : proposals) {
      Json item = ToJson(proposal);
      Json names = Json::array();
      if (mine) {
        names.push_back("you");
      } else {
        for (const std::string& key : proposal.missing_stances) {
          names.push_back(NameOf(proposal, key));
        }
      }
      item["waiting_on"] = names;
      json.push_back(std::move(item));
    }
    return json;
  };
  return Json{{"needs_my_stance", list(waiting.needs_my_stance, true)},
              {"waiting_on_others", list(waiting.waiting_on_others, false)}};
}

Json ToJson(const PeerStatus& peer) {
  Json json = {{"org", peer.org},
               {"name", peer.name},
               {"endpoint", peer.endpoint},
               {"group_ids", peer.group_ids},
               {"status", peer.status}};
  AddTime(&json, "last_success", peer.last_success_ms);
  AddTime(&json, "last_attempt", peer.last_attempt_ms);
  json["last_error"] = peer.last_error;
  json["consecutive_failures"] = peer.consecutive_failures;
  AddTime(&json, "next_attempt", peer.next_attempt_ms);
  json["events_sent"] = peer.events_sent;
  json["events_received"] = peer.events_received;
  return json;
}

Json ToJson(const SyncResult& result) {
  Json peers = Json::array();
  for (const PeerStatus& peer : result.peers) peers.push_back(ToJson(peer));
  return Json{{"received", result.received},     {"inserted", result.inserted},
              {"duplicate", result.duplicate},   {"waiting", result.waiting},
              {"rounds", result.rounds},         {"sent", result.sent},
              {"state_hash", result.state_hash}, {"peers", peers}};
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
  std::vector<std::string> names;
  for (const std::string& key : proposal.missing_stances) names.push_back(NameOf(proposal, key));
  return absl::StrJoin(names, ", ");
}

std::string MemberStatusText(const Member& member) {
  std::string text = member.status;
  if (member.status == "notice_given" && member.notice_effective_ms != 0) {
    text += absl::StrFormat(" (effective %s)", FormatTimeMs(member.notice_effective_ms));
  }
  if (member.frozen) text += ", frozen (forked its chain)";
  return text;
}

Table ProposalsTable(const std::vector<Proposal>& proposals) {
  Table table{{{"proposal_id"},
               {"type"},
               {"title"},
               {"proposer"},
               {"outcome"},
               {"stances", true},
               {"deadline"}},
              {}};
  for (const Proposal& proposal : proposals) {
    table.rows.push_back({proposal.proposal_id, proposal.spec.decision_type, proposal.spec.title,
                          ShortId(proposal.proposer), OutcomeText(proposal),
                          StancesText(proposal.tally), FormatTimeMs(proposal.deadline_ms)});
  }
  return table;
}

Table ElectorateTable(const Proposal& proposal) {
  Table table{{{"key"}, {"name"}, {"weight", true}, {"decides"}, {"stance"}, {"reason"}, {"time"}},
              {}};
  for (const Voter& voter : proposal.electorate) {
    table.rows.push_back({voter.key, voter.name, Count(voter.weight), YesNo(voter.decides),
                          StanceText(voter), voter.reason, FormatTimeMs(voter.stance_hlc.wall_ms)});
  }
  return table;
}

Table WaitingTable(const WaitingOnResult& waiting) {
  Table table{
      {{"group"}, {"proposal_id"}, {"type"}, {"title"}, {"waiting_on"}, {"outcome"}, {"deadline"}},
      {}};
  const auto add = [&table](const std::vector<Proposal>& proposals, bool mine) {
    for (const Proposal& proposal : proposals) {
      table.rows.push_back({ShortId(proposal.group_id), proposal.proposal_id,
                            proposal.spec.decision_type, proposal.spec.title,
                            WaitingOnText(proposal, mine), OutcomeText(proposal),
                            FormatTimeMs(proposal.deadline_ms)});
    }
  };
  add(waiting.needs_my_stance, true);
  add(waiting.waiting_on_others, false);
  return table;
}

Table PeersTable(const std::vector<PeerStatus>& peers) {
  Table table{{{"org"},
               {"name"},
               {"endpoint"},
               {"status"},
               {"last_success"},
               {"failures", true},
               {"next_attempt"},
               {"sent", true},
               {"received", true},
               {"last_error"}},
              {}};
  for (const PeerStatus& peer : peers) {
    table.rows.push_back({ShortId(peer.org), peer.name, peer.endpoint, peer.status,
                          FormatTimeMs(peer.last_success_ms), Count(peer.consecutive_failures),
                          FormatTimeMs(peer.next_attempt_ms), Count(peer.events_sent),
                          Count(peer.events_received), peer.last_error});
  }
  return table;
}

KeyValues OrgCardDetails(const OrgCard& card) {
  return {
      {"key", card.key}, {"name", card.name}, {"endpoints", absl::StrJoin(card.endpoints, " ")}};
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
  if (spec.admit.has_value()) {
    values.emplace_back("admit",
                        absl::StrFormat("%s (%s)", spec.admit->card.name, spec.admit->card.key));
    values.emplace_back(
        "admit_as",
        absl::StrFormat("role %s, segment %s, weight %d",
                        spec.admit->role.empty() ? "-" : spec.admit->role,
                        spec.admit->segment.empty() ? "-" : spec.admit->segment,
                        spec.admit->voting_weight == 0 ? 1 : spec.admit->voting_weight));
    if (!spec.admit->card.endpoints.empty()) {
      values.emplace_back("admit_endpoints", absl::StrJoin(spec.admit->card.endpoints, " "));
    }
  }
  if (spec.expel.has_value()) {
    const std::string name = NameOf(proposal, spec.expel->member);
    values.emplace_back("expel", name == ShortId(spec.expel->member)
                                     ? spec.expel->member
                                     : absl::StrFormat("%s (%s)", name, spec.expel->member));
    values.emplace_back("expel_reason", spec.expel->reason);
  }
  if (!spec.strategy_version_id.empty()) {
    values.emplace_back("strategy_version_id", spec.strategy_version_id);
  }
  if (!spec.dissolution_plan.empty())
    values.emplace_back("dissolution_plan", spec.dissolution_plan);
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

KeyValues MemberDetails(const Member& member) {
  KeyValues values = {{"key", member.key},
                      {"name", member.profile.name},
                      {"role", member.profile.role},
                      {"status", member.status}};
  values.emplace_back("notice_effective", FormatTimeMs(member.notice_effective_ms));
  values.emplace_back("frozen", YesNo(member.frozen));
  return values;
}

KeyValues SyncDetails(const SyncResult& result) {
  return {{"received", Count(result.received)},   {"inserted", Count(result.inserted)},
          {"duplicate", Count(result.duplicate)}, {"waiting", Count(result.waiting)},
          {"rounds", Count(result.rounds)},       {"sent", Count(result.sent)},
          {"state_hash", result.state_hash}};
}

}  // namespace constellation::cli
