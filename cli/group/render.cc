// cli/group/render.cc
#include "cli/group/render.h"

#include <absl/strings/escaping.h>
#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>

#include "cli/values.h"

namespace constellation::cli {
namespace {

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
  if (charter.review_ms != 0) values.emplace_back("review", FormatTimeMs(charter.review_ms));
  std::vector<std::string> rules;
  for (const DecisionRule& rule : charter.decision_rules) {
    rules.push_back(absl::StrFormat("%s=%s%s", rule.decision_type, rule.process,
                                    rule.member_acts_alone ? " (a member acts alone)" : ""));
  }
  values.emplace_back("decision_rules", rules.empty() ? "(defaults)" : absl::StrJoin(rules, ", "));
  values.emplace_back("notice_days", Count(charter.withdrawal_notice_days));
  values.emplace_back("review_cadence_days", charter.review_cadence_days == 0
                                                 ? std::string("30 (default)")
                                                 : Count(charter.review_cadence_days));
  if (!group.charter_amended_by.empty()) {
    values.emplace_back("charter_amended_by", group.charter_amended_by);
  }
  values.emplace_back("status", group.dissolved_by.empty()
                                    ? "active"
                                    : "dissolved by proposal " + group.dissolved_by);
  values.emplace_back("founder", group.founder);
  values.emplace_back("members", Count(group.members.size()));
  values.emplace_back("events", Count(group.event_count));
  values.emplace_back("state_hash", group.state_hash);
  values.emplace_back("last_event", FormatTimeMs(group.last_hlc.wall_ms));
  return values;
}

constexpr Field<Group> kGroupColumns[] = {
    {"group_id", [](const Group& group) { return group.group_id; }, false, CellKind::kId},
    {"name", [](const Group& group) { return group.charter.name; }},
    {"kind", [](const Group& group) { return group.charter.kind; }},
    {"currency", [](const Group& group) { return group.charter.base_currency; }},
    {"members", [](const Group& group) { return Count(group.members.size()); }, kRightAligned},
    {"events", [](const Group& group) { return Count(group.event_count); }, kRightAligned},
    {"status",
     [](const Group& group) {
       return std::string(group.dissolved_by.empty() ? "active" : "dissolved");
     }},
};

Json InvitationJson(const Invitation& invitation) {
  return JsonObject({{"key", invitation.key},
                     {"name", invitation.profile.name},
                     {"role", invitation.profile.role},
                     {"segment", invitation.profile.segment},
                     {"admitted_by", invitation.admitted_by},
                     {"admitted", FormatTimeMs(invitation.admitted_ms)}});
}

constexpr Property<Group> kGroupProperties[] = {
    {"group_id", Of<&Group::group_id>},
    {"name", Of<&Group::charter, &Charter::name>},
    {"common_agenda", Of<&Group::charter, &Charter::common_agenda>},
    {"discovery_hypothesis", Of<&Group::charter, &Charter::discovery_hypothesis>},
    {"kind", Of<&Group::charter, &Charter::kind>},
    {"base_currency", Of<&Group::charter, &Charter::base_currency>},
    {"term_start", TimeOf<&Group::charter, &Charter::term_start_ms>},
    {"term_end", TimeOf<&Group::charter, &Charter::term_end_ms>},
    {"review", TimeOf<&Group::charter, &Charter::review_ms>},
    {"decision_rules",
     [](const Group& group) { return Value(JsonArray(group.charter.decision_rules, ToJson), ""); }},
    {"withdrawal_notice_days", Of<&Group::charter, &Charter::withdrawal_notice_days>},
    {"review_cadence_days", Of<&Group::charter, &Charter::review_cadence_days>},
    {"dissolution_rule", Of<&Group::charter, &Charter::dissolution_rule>},
    {"inkind_valuation_rules", Of<&Group::charter, &Charter::inkind_valuation_rules>},
    {"fx_rate_source", Of<&Group::charter, &Charter::fx_rate_source>},
    {"founder", Of<&Group::founder>},
    {"members", [](const Group& group) { return Value(JsonArray(group.members, ToJson), ""); }},
    {"invitations",
     [](const Group& group) {
       std::vector<std::string> names;
       for (const Invitation& i : group.invitations) names.push_back(i.profile.name);
       return Value(JsonArray(group.invitations, InvitationJson), absl::StrJoin(names, ", "));
     },
     Shown::kBothTextWhenSet, "invited"},
    {"event_count", Of<&Group::event_count>},
    {"state_hash", Of<&Group::state_hash>},
    {"last", Of<&Group::last_hlc>},
    {"charter_amended_by", Of<&Group::charter_amended_by>},
    {"dissolved_by", Of<&Group::dissolved_by>},
};

constexpr Section<Group> kGroupSections[] = {
    {"Members", [](const Group& group) { return MembersTable(group.members); }},
};

constexpr Property<MemberProfile> kProfileProperties[] = {
    {"name", Of<&MemberProfile::name>},
    {"role", Of<&MemberProfile::role>},
    {"segment", Of<&MemberProfile::segment>},
    {"voting_weight", Of<&MemberProfile::voting_weight>},
    {"endpoints", Of<&MemberProfile::endpoints>},
};

// JSON: the profile as an object; the table: its name, role, segment and weight.
constexpr Property<Member> kMemberProperties[] = {
    {"key", IdOf<&Member::key>},
    {"profile",
     [](const Member& member) {
       return Value(JsonOf<kProfileProperties>(member.profile), member.profile.name);
     },
     Shown::kJsonOnly},
    {"name", Of<&Member::profile, &MemberProfile::name>, Shown::kTextOnly},
    {"role", Of<&Member::profile, &MemberProfile::role>, Shown::kTextOnly},
    {"segment", Of<&Member::profile, &MemberProfile::segment>, Shown::kTextOnly},
    {"status", Of<&Member::status>},
    {"weight",
     [](const Member& member) {
       return Value(member.profile.voting_weight == 0 ? 1 : member.profile.voting_weight);
     },
     Shown::kTextOnly},
    {"last_seq", Of<&Member::last_seq>, Shown::kJsonOnly},
    {"notice_effective", TimeOf<&Member::notice_effective_ms>},
    {"frozen", Of<&Member::frozen>},
    {"frozen_from_seq", Of<&Member::frozen_from_seq>, Shown::kJsonOnly},
};

// JSON adds the exact signed bytes.
constexpr Property<GroupEventEntry> kGroupEventProperties[] = {
    {"position", Of<&GroupEventEntry::position>},
    {"event_id", IdOf<&GroupEventEntry::event_id>},
    {"author", OrgKeyOf<&GroupEventEntry::author>},
    {"seq", Of<&GroupEventEntry::seq>},
    {"kind", Of<&GroupEventEntry::kind>},
    {"request_id", Of<&GroupEventEntry::request_id>, Shown::kJsonOnly},
    {"time", Of<&GroupEventEntry::hlc>},
    {"event_base64",
     [](const GroupEventEntry& entry) { return Value(absl::Base64Escape(entry.event_bytes)); },
     Shown::kJsonOnly},
    {"signature_base64",
     [](const GroupEventEntry& entry) { return Value(absl::Base64Escape(entry.signature)); },
     Shown::kJsonOnly},
};

constexpr Property<StateHashAt> kStateHashProperties[] = {
    {"event_count", Of<&StateHashAt::event_count>},
    {"state_hash", Of<&StateHashAt::state_hash>},
    {"last_event_id", IdOf<&StateHashAt::last_event_id>},
};

// JSON adds both events as `group events` prints them (with the exact signed bytes).
constexpr Property<ForkProofEntry> kForkProofProperties[] = {
    {"author", OrgKeyOf<&ForkProofEntry::author>},
    {"seq", Of<&ForkProofEntry::seq>},
    {"first_event_id", IdOf<&ForkProofEntry::first, &GroupEventEntry::event_id>, Shown::kTextOnly},
    {"second_event_id", IdOf<&ForkProofEntry::second, &GroupEventEntry::event_id>,
     Shown::kTextOnly},
    {"first",
     [](const ForkProofEntry& proof) {
       return Value(kGroupEventFormat.ToJson(proof.first), proof.first.event_id);
     },
     Shown::kJsonOnly},
    {"second",
     [](const ForkProofEntry& proof) {
       return Value(kGroupEventFormat.ToJson(proof.second), proof.second.event_id);
     },
     Shown::kJsonOnly},
};

constexpr Property<DecisionRule> kDecisionRuleProperties[] = {
    {"decision_type", Of<&DecisionRule::decision_type>},
    {"process", Of<&DecisionRule::process>},
    {"threshold_bps", Of<&DecisionRule::threshold_bps>},
    {"quorum_bps", Of<&DecisionRule::quorum_bps>},
    {"voting_window_ms", Of<&DecisionRule::voting_window_ms>},
    {"coordinators_vote", Of<&DecisionRule::coordinators_vote>},
    {"member_acts_alone", Of<&DecisionRule::member_acts_alone>},
};

}  // namespace

Json ToJson(const Group& group) { return JsonOf<kGroupProperties>(group); }

const RecordFormat<Group> kGroupFormat = {
    .json = ToJson, .columns = kGroupColumns, .details = GroupDetails, .sections = kGroupSections};

Output GroupCreatedOutput(const GroupWrite& write, std::string_view request_id) {
  const Group& group = write.group;
  return WriteOutput("group_id", group.group_id, write.event, request_id, "group", ToJson(group),
                     {{"name", group.charter.name},
                      {"kind", group.charter.kind},
                      {"base_currency", group.charter.base_currency}});
}

Json ToJson(const Member& member) { return kMemberFormat.ToJson(member); }

const RecordFormat<Member> kMemberFormat = {.properties = kMemberProperties,
                                            .details = MemberDetails};

Table MembersTable(const std::vector<Member>& members) { return kMemberFormat.TableOf(members); }

std::vector<Member> MembersAndInvited(const Group& group) {
  std::vector<Member> rows = group.members;
  for (const Invitation& invitation : group.invitations) {
    Member row;
    row.key = invitation.key;
    row.profile = invitation.profile;
    row.status = "invited";
    rows.push_back(std::move(row));
  }
  return rows;
}

KeyValues MemberDetails(const Member& member) {
  return {{"key", member.key},
          {"name", member.profile.name},
          {"role", member.profile.role},
          {"status", member.status},
          {"notice_effective", FormatTimeMs(member.notice_effective_ms)},
          {"frozen", YesNo(member.frozen)}};
}

Json ToJson(const Obligation& o) {
  return JsonObject({{"kind", o.kind},
                     {"record_id", o.record_id},
                     {"amount_minor", o.amount_minor},
                     {"currency", o.currency},
                     {"due", FormatTimeMs(o.due_ms)}});
}

Table ObligationsTable(const std::vector<Obligation>& obligations) {
  Table t;
  t.columns = {{"kind", false, CellKind::kText},
               {"record", false, CellKind::kId},
               {"amount", true, CellKind::kText},
               {"due", false, CellKind::kText}};
  for (const Obligation& o : obligations) {
    t.rows.push_back({o.kind, o.record_id,
                      o.currency.empty() ? "" : MoneyText(o.amount_minor, o.currency),
                      FormatTimeMs(o.due_ms)});
  }
  return t;
}

Output MemberOutput(const Member& member) {
  Json json = ToJson(member);
  json["open_obligations"] = JsonArray(member.open_obligations, ToJson);
  KeyValues values = MemberDetails(member);
  values.emplace_back("open_obligations", Count(member.open_obligations.size()));
  return Output::Object(std::move(json), std::move(values),
                        {{"Open obligations", ObligationsTable(member.open_obligations)}});
}

std::string MemberStatusText(const Member& member) {
  std::string text = member.status;
  if (member.status == "notice_given" && member.notice_effective_ms != 0) {
    text += absl::StrFormat(" (effective %s)", FormatTimeMs(member.notice_effective_ms));
  }
  if (member.frozen && member.frozen_from_seq != 0) {
    text += absl::StrFormat(", frozen from seq %d (forked its chain)", member.frozen_from_seq);
  } else if (member.frozen) {
    text += ", frozen (forked its chain)";  // a node that does not send the seq
  }
  return text;
}

Json ToJson(const DecisionRule& rule) { return JsonOf<kDecisionRuleProperties>(rule); }

const RecordFormat<GroupEventEntry> kGroupEventFormat = {kGroupEventProperties};

const RecordFormat<StateHashAt> kStateHashFormat = {kStateHashProperties};

const RecordFormat<ForkProofEntry> kForkProofFormat = {kForkProofProperties};

}  // namespace constellation::cli
