// sdk/src/strategy/strategy_convert.cc
#include "sdk/src/strategy/strategy_convert.h"

#include <absl/strings/str_format.h>

#include "sdk/src/convert.h"
#include "sdk/src/hex.h"
#include "sdk/src/status.h"

namespace constellation::internal {
absl::Status ToProto(const StrategyDraft& draft, v1::StrategyVersion* proto) {
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      SetEnum(draft.document, "document", proto, &v1::StrategyVersion::set_document));
  proto->set_title(draft.title);
  proto->set_content(draft.content);
  CONSTELLATION_SDK_RETURN_IF_ERROR(
      DecodeOptionalId(draft.based_on, "based_on", proto->mutable_parent_version_id()));
  for (const StrategyGoal& g : draft.goals) {
    v1::StrategyGoal* out = proto->add_goals();
    out->set_key(g.key);
    out->set_text(g.text);
    for (const std::string& key : g.indicator_keys) out->add_indicator_keys(key);
  }
  for (const Indicator& i : draft.indicators) {
    v1::Indicator* out = proto->add_indicators();
    const std::string field = absl::StrFormat("indicator '%s'", i.key);
    out->set_key(i.key);
    out->set_name(i.name);
    out->set_definition(i.definition);
    out->set_unit(i.unit);
    CONSTELLATION_SDK_RETURN_IF_ERROR(
        SetEnum(i.level, field + " level", out, &v1::Indicator::set_level));
    out->set_baseline(i.baseline);
    out->set_target(i.target);
    CONSTELLATION_SDK_RETURN_IF_ERROR(
        SetEnum(i.frequency, field + " frequency", out, &v1::Indicator::set_frequency));
    CONSTELLATION_SDK_RETURN_IF_ERROR(
        DecodeOptionalId(i.owner, field + " owner", out->mutable_owner()));
  }
  return absl::OkStatus();
}

Indicator FromProto(const v1::Indicator& i) {
  return Indicator{i.key(),
                   i.name(),
                   i.definition(),
                   i.unit(),
                   EnumName(i.level()),
                   i.baseline(),
                   i.target(),
                   EnumName(i.frequency()),
                   HexEncode(i.owner())};
}

StrategyDraft FromProto(const v1::StrategyVersion& proto) {
  StrategyDraft d;
  d.document = EnumName(proto.document());
  d.title = proto.title();
  d.content = proto.content();
  d.based_on = HexEncode(proto.parent_version_id());
  for (const v1::StrategyGoal& g : proto.goals()) {
    d.goals.push_back(
        StrategyGoal{g.key(), g.text(), {g.indicator_keys().begin(), g.indicator_keys().end()}});
  }
  for (const v1::Indicator& i : proto.indicators()) d.indicators.push_back(FromProto(i));
  return d;
}

StrategyAdoption FromProto(const v1::StrategyAdoptionView& proto) {
  return StrategyAdoption{HexEncode(proto.proposal_id()),
                          HexEncode(proto.version_id()),
                          EnumName(proto.document()),
                          proto.title(),
                          FromProto(proto.proposal_hlc()),
                          proto.final_ms(),
                          proto.current()};
}

StrategyVersion FromProto(const v1::StrategyVersionView& proto) {
  StrategyVersion v;
  v.version_id = HexEncode(proto.version_id());
  v.group_id = HexEncode(proto.group_id());
  v.author = HexEncode(proto.author());
  v.hlc = FromProto(proto.hlc());
  v.draft = FromProto(proto.version());
  v.status = EnumName(proto.status());
  v.children = HexList(proto.children());
  v.alternatives = HexList(proto.alternatives());
  v.adoptions = FromList<StrategyAdoption>(proto.adoptions(), FromProto);
  v.open_proposals = HexList(proto.open_proposals());
  return v;
}

StrategyWrite FromProto(const v1::StrategyWriteResponse& proto) {
  return StrategyWrite{FromProto(proto.event()), FromProto(proto.version())};
}

std::vector<StrategyVersion> FromProto(const v1::ListStrategyVersionsResponse& proto) {
  return FromList<StrategyVersion>(proto.versions(), FromProto);
}

std::vector<StrategyVersion> FromProto(const v1::CurrentStrategyView& proto) {
  return FromList<StrategyVersion>(proto.versions(), FromProto);
}

std::vector<StrategyAdoption> FromProto(const v1::ListStrategyAdoptionsResponse& proto) {
  return FromList<StrategyAdoption>(proto.adoptions(), FromProto);
}

}  // namespace constellation::internal
