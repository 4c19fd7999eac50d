// cli/group/render.cc
#include "cli/group/render.h"

#include <absl/strings/escaping.h>
#include <absl/strings/str_format.h>

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
  values.emplace_back("founder", group.founder);
  values.emplace_back("members", Count(group.members.size()));
  values.emplace_back("events", Count(group.event_count));
  values.emplace_back("state_hash", group.state_hash);
  values.emplace_back("last_event", FormatTimeMs(group.last_hlc.wall_ms));
  return values;
}

constexpr Field<Group> kGroupColumns[] = {
    {"group_id", [](const Group& group) { return group.group_id; }},
    {"name", [](const Group& group) { return group.charter.name; }},
    {"kind", [](const Group& group) { return group.charter.kind; }},
    {"currency", [](const Group& group) { return group.charter.base_currency; }},
    {"members", [](const Group& group) { return Count(group.members.size()); }, kRightAligned},
    {"events", [](const Group& group) { return Count(group.event_count); }, kRightAligned},
};

constexpr Section<Group> kGroupSections[] = {
    {"Members", [](const Group& group) { return MembersTable(group.members); }},
};

Json ProfileJson(const MemberProfile& profile) {
  return JsonObject({{"name", profile.name},
                     {"role", profile.role},
                     {"segment", profile.segment},
                     {"voting_weight", profile.voting_weight},
                     {"endpoints", profile.endpoints}});
}

constexpr Field<Member> kMemberColumns[] = {
    {"key", [](const Member& member) { return member.key; }},
    {"name", [](const Member& member) { return member.profile.name; }},
    {"role", [](const Member& member) { return member.profile.role; }},
    {"segment", [](const Member& member) { return member.profile.segment; }},
    {"status", [](const Member& member) { return member.status; }},
    {"weight",
     [](const Member& member) {
       return Count(member.profile.voting_weight == 0 ? 1 : member.profile.voting_weight);
     },
     kRightAligned},
    {"notice_effective",
     [](const Member& member) { return FormatTimeMs(member.notice_effective_ms); }},
    {"frozen", [](const Member& member) { return YesNo(member.frozen); }},
};

Json GroupEventJson(const GroupEventEntry& entry) {
  return JsonObject({{"position", entry.position},
                     {"event_id", entry.event_id},
                     {"author", entry.author},
                     {"seq", entry.seq},
                     {"kind", entry.kind},
                     {"request_id", entry.request_id},
                     HlcMembers("time", entry.hlc),
                     {"event_base64", absl::Base64Escape(entry.event_bytes)},
                     {"signature_base64", absl::Base64Escape(entry.signature)}});
}

constexpr Field<GroupEventEntry> kGroupEventColumns[] = {
    {"position", [](const GroupEventEntry& entry) { return Count(entry.position); }, kRightAligned},
    {"event_id", [](const GroupEventEntry& entry) { return entry.event_id; }},
    {"author", [](const GroupEventEntry& entry) { return ShortId(entry.author); }},
    {"seq", [](const GroupEventEntry& entry) { return Count(entry.seq); }, kRightAligned},
    {"kind", [](const GroupEventEntry& entry) { return entry.kind; }},
    {"time", [](const GroupEventEntry& entry) { return FormatTimeMs(entry.hlc.wall_ms); }},
};

}  // namespace

Json ToJson(const Group& group) {
  const Charter& charter = group.charter;
  return JsonObject({{"group_id", group.group_id},
                     {"name", charter.name},
                     {"common_agenda", charter.common_agenda},
                     {"discovery_hypothesis", charter.discovery_hypothesis},
                     {"kind", charter.kind},
                     {"base_currency", charter.base_currency},
                     TimeMembers("term_start", charter.term_start_ms),
                     TimeMembers("term_end", charter.term_end_ms),
                     TimeMembers("review", charter.review_ms),
                     {"decision_rules", JsonArray(charter.decision_rules, ToJson)},
                     {"withdrawal_notice_days", charter.withdrawal_notice_days},
                     {"dissolution_rule", charter.dissolution_rule},
                     {"inkind_valuation_rules", charter.inkind_valuation_rules},
                     {"fx_rate_source", charter.fx_rate_source},
                     {"founder", group.founder},
                     {"members", JsonArray(group.members, ToJson)},
                     {"event_count", group.event_count},
                     {"state_hash", group.state_hash},
                     HlcMembers("last", group.last_hlc)});
}

const RecordFormat<Group> kGroupFormat = {ToJson, kGroupColumns, GroupDetails, kGroupSections};

Output GroupCreatedOutput(const GroupWrite& write, std::string_view request_id) {
  const Group& group = write.group;
  return WriteOutput("group_id", group.group_id, write.event, request_id, "group", ToJson(group),
                     {{"name", group.charter.name},
                      {"kind", group.charter.kind},
                      {"base_currency", group.charter.base_currency}});
}

Json ToJson(const Member& member) {
  return JsonObject({{"key", member.key},
                     {"profile", ProfileJson(member.profile)},
                     {"status", member.status},
                     {"last_seq", member.last_seq},
                     TimeMembers("notice_effective", member.notice_effective_ms),
                     {"frozen", member.frozen}});
}

const RecordFormat<Member> kMemberFormat = {ToJson, kMemberColumns, MemberDetails};

Table MembersTable(const std::vector<Member>& members) { return kMemberFormat.TableOf(members); }

KeyValues MemberDetails(const Member& member) {
  return {{"key", member.key},
          {"name", member.profile.name},
          {"role", member.profile.role},
          {"status", member.status},
          {"notice_effective", FormatTimeMs(member.notice_effective_ms)},
          {"frozen", YesNo(member.frozen)}};
}

std::string MemberStatusText(const Member& member) {
  std::string text = member.status;
  if (member.status == "notice_given" && member.notice_effective_ms != 0) {
    text += absl::StrFormat(" (effective %s)", FormatTimeMs(member.notice_effective_ms));
  }
  if (member.frozen) text += ", frozen (forked its chain)";
  return text;
}

Json ToJson(const DecisionRule& rule) {
  return JsonObject({{"decision_type", rule.decision_type},
                     {"process", rule.process},
                     {"threshold_bps", rule.threshold_bps},
                     {"quorum_bps", rule.quorum_bps},
                     {"voting_window_ms", rule.voting_window_ms},
                     {"coordinators_vote", rule.coordinators_vote}});
}

const RecordFormat<GroupEventEntry> kGroupEventFormat = {GroupEventJson, kGroupEventColumns};

}  // namespace constellation::cli
