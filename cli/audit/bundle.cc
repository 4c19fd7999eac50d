// cli/audit/bundle.cc
#include "cli/audit/bundle.h"

#include <utility>

#include <absl/status/status.h>
#include <absl/strings/escaping.h>
#include <absl/strings/str_format.h>
#include <nlohmann/json.hpp>

namespace constellation::cli {
namespace {

using Json = nlohmann::ordered_json;

// Reads the members of one JSON object, remembering the first problem: every getter returns a
// default once something is wrong, and status() says what.
class Members {
 public:
  Members(const Json& object, std::string where) : object_(object), where_(std::move(where)) {
    if (!object_.is_object()) Fail("is not a JSON object");
  }

  const Json* Find(std::string_view key) {
    if (!status_.ok()) return nullptr;
    auto it = object_.find(key);
    if (it == object_.end()) {
      Fail(absl::StrFormat("has no \"%s\"", key));
      return nullptr;
    }
    return &*it;
  }
  std::string String(std::string_view key) {
    const Json* value = Find(key);
    if (value == nullptr) return "";
    if (!value->is_string()) return Wrong(key, "a string"), "";
    return value->get<std::string>();
  }
  uint64_t Unsigned(std::string_view key) {
    const Json* value = Find(key);
    if (value == nullptr) return 0;
    if (!value->is_number_unsigned()) return Wrong(key, "a number >= 0"), 0;
    return value->get<uint64_t>();
  }
  int64_t Signed(std::string_view key) {
    const Json* value = Find(key);
    if (value == nullptr) return 0;
    if (!value->is_number_integer() ||
        (value->is_number_unsigned() && value->get<uint64_t>() > INT64_MAX)) {
      return Wrong(key, "an integer of 64 bits"), 0;
    }
    return value->get<int64_t>();
  }
  std::string Base64(std::string_view key) {
    const std::string text = String(key);
    std::string bytes;
    if (status_.ok() && !absl::Base64Unescape(text, &bytes)) Wrong(key, "base64");
    return bytes;
  }
  const Json& Array(std::string_view key) {
    static const Json kEmpty = Json::array();
    const Json* value = Find(key);
    if (value == nullptr) return kEmpty;
    if (!value->is_array()) return Wrong(key, "an array"), kEmpty;
    return *value;
  }
  // The problem of a nested reader, if this one has none yet.
  void Take(const absl::Status& status) {
    if (status_.ok()) status_ = status;
  }
  const absl::Status& status() const { return status_; }
  const std::string& where() const { return where_; }

 private:
  void Fail(std::string_view what) {
    if (status_.ok()) status_ = absl::InvalidArgumentError(absl::StrFormat("%s %s", where_, what));
  }
  void Wrong(std::string_view key, std::string_view type) {
    Fail(absl::StrFormat("has \"%s\" that is not %s", key, type));
  }

  const Json& object_;
  const std::string where_;
  absl::Status status_;
};

Json SignedJson(const BundleEvent& e) {
  return {{"event", absl::Base64Escape(e.event_bytes)},
          {"signature", absl::Base64Escape(e.signature)}};
}

BundleEvent ReadSigned(const Json& json, const std::string& where, Members& parent) {
  Members m(json, where);
  BundleEvent e;
  e.event_bytes = m.Base64("event");
  e.signature = m.Base64("signature");
  parent.Take(m.status());
  return e;
}

Json TotalsJson(const CampaignTotals& t) {
  return {{"member", t.member},
          {"currency", t.currency},
          {"pledge_count", t.pledge_count},
          {"pledged_minor", t.pledged_minor},
          {"received_minor", t.received_minor},
          {"written_off_minor", t.written_off_minor},
          {"outstanding_minor", t.outstanding_minor},
          {"conditional_minor", t.conditional_minor},
          {"closed_received_minor", t.closed_received_minor},
          {"closed_written_off_minor", t.closed_written_off_minor},
          {"cancelled_minor", t.cancelled_minor},
          {"lapsed_minor", t.lapsed_minor},
          {"unapplied_minor", t.unapplied_minor}};
}

std::vector<CampaignTotals> ReadTotalsList(const Json& list, const std::string& where,
                                           Members& parent) {
  std::vector<CampaignTotals> out;
  for (size_t i = 0; i < list.size() && parent.status().ok(); ++i) {
    Members m(list[i], absl::StrFormat("%s[%d]", where, i));
    CampaignTotals t;
    t.member = m.String("member");
    t.currency = m.String("currency");
    const uint64_t count = m.Unsigned("pledge_count");
    if (m.status().ok() && count > UINT32_MAX)
      m.Take(absl::InvalidArgumentError(
          absl::StrFormat("%s has a pledge_count over 2^32", m.where())));
    t.pledge_count = static_cast<uint32_t>(count);
    t.pledged_minor = m.Signed("pledged_minor");
    t.received_minor = m.Signed("received_minor");
    t.written_off_minor = m.Signed("written_off_minor");
    t.outstanding_minor = m.Signed("outstanding_minor");
    t.conditional_minor = m.Signed("conditional_minor");
    t.closed_received_minor = m.Signed("closed_received_minor");
    t.closed_written_off_minor = m.Signed("closed_written_off_minor");
    t.cancelled_minor = m.Signed("cancelled_minor");
    t.lapsed_minor = m.Signed("lapsed_minor");
    t.unapplied_minor = m.Signed("unapplied_minor");
    parent.Take(m.status());
    out.push_back(std::move(t));
  }
  return out;
}

absl::StatusOr<BundleLine> ParseStatement(const Json& json) {
  Members m(json, "the statement");
  BundleStatement s;
  s.event_count = m.Unsigned("event_count");
  s.last_event_id = m.String("last_event_id");
  s.state_hash = m.String("state_hash");
  const Json* totals = m.Find("totals");
  if (totals != nullptr && !totals->is_null()) {
    Members t(*totals, "the statement's totals");
    BundleTotals out;
    const Json& campaigns = t.Array("campaigns");
    for (size_t i = 0; i < campaigns.size() && t.status().ok(); ++i) {
      const std::string where = absl::StrFormat("campaigns[%d]", i);
      Members c(campaigns[i], "the statement's " + where);
      BundleCampaign campaign;
      campaign.campaign_id = c.String("campaign_id");
      campaign.totals = ReadTotalsList(c.Array("totals"), where + ".totals", c);
      campaign.member_totals =
          ReadTotalsList(c.Array("member_totals"), where + ".member_totals", c);
      t.Take(c.status());
      out.campaigns.push_back(std::move(campaign));
    }
    const Json& funds = t.Array("funds");
    for (size_t i = 0; i < funds.size() && t.status().ok(); ++i) {
      Members f(funds[i], absl::StrFormat("the statement's funds[%d]", i));
      BundleFund fund;
      fund.fund_id = f.String("fund_id");
      fund.currency = f.String("currency");
      fund.received_minor = f.Signed("received_minor");
      fund.disbursed_minor = f.Signed("disbursed_minor");
      fund.balance_minor = f.Signed("balance_minor");
      t.Take(f.status());
      out.funds.push_back(std::move(fund));
    }
    m.Take(t.status());
    s.totals = std::move(out);
  }
  if (!m.status().ok()) return m.status();
  return s;
}

}  // namespace

std::string HeaderLine(const BundleHeader& header) {
  return Json{{"format", kBundleFormat},
              {"group_id", header.group_id},
              {"group_name", header.group_name},
              {"exported_by", header.exported_by},
              {"exported_at_ms", header.exported_at_ms}}
      .dump(-1, ' ', false, Json::error_handler_t::replace);
}

std::string EventLine(const BundleEvent& event) {
  return Json{{"position", event.position},
              {"event_id", event.event_id},
              {"event", absl::Base64Escape(event.event_bytes)},
              {"signature", absl::Base64Escape(event.signature)}}
      .dump();
}

std::string ForkProofLine(const BundleForkProof& proof) {
  return Json{
      {"fork_proof", {{"first", SignedJson(proof.first)}, {"second", SignedJson(proof.second)}}}}
      .dump();
}

std::string StatementLine(const BundleStatement& statement) {
  Json totals = nullptr;
  if (statement.totals.has_value()) {
    Json campaigns = Json::array();
    for (const BundleCampaign& c : statement.totals->campaigns) {
      Json by_currency = Json::array();
      for (const CampaignTotals& t : c.totals) by_currency.push_back(TotalsJson(t));
      Json by_member = Json::array();
      for (const CampaignTotals& t : c.member_totals) by_member.push_back(TotalsJson(t));
      campaigns.push_back(
          {{"campaign_id", c.campaign_id}, {"totals", by_currency}, {"member_totals", by_member}});
    }
    Json funds = Json::array();
    for (const BundleFund& f : statement.totals->funds) {
      funds.push_back({{"fund_id", f.fund_id},
                       {"currency", f.currency},
                       {"received_minor", f.received_minor},
                       {"disbursed_minor", f.disbursed_minor},
                       {"balance_minor", f.balance_minor}});
    }
    totals = {{"campaigns", campaigns}, {"funds", funds}};
  }
  return Json{{"statement",
               {{"event_count", statement.event_count},
                {"last_event_id", statement.last_event_id},
                {"state_hash", statement.state_hash},
                {"totals", totals}}}}
      .dump(-1, ' ', false, Json::error_handler_t::replace);
}

absl::StatusOr<BundleLine> ParseBundleLine(std::string_view line) {
  if (line.size() > kBundleLineSizeBytesMax) {
    return absl::InvalidArgumentError(
        absl::StrFormat("the line is %d bytes, over the %d bytes a bundle line may have "
                        "(kBundleLineSizeBytesMax)",
                        line.size(), kBundleLineSizeBytesMax));
  }
  const Json json = Json::parse(line, nullptr, /*allow_exceptions=*/false);
  if (json.is_discarded() || !json.is_object()) {
    return absl::InvalidArgumentError("the line is not a JSON object");
  }
  if (json.contains("format")) {
    Members m(json, "the header");
    const std::string format = m.String("format");
    if (m.status().ok() && format != kBundleFormat) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "the bundle's format is \"%s\"; this version reads \"%s\"", format, kBundleFormat));
    }
    BundleHeader h;
    h.group_id = m.String("group_id");
    h.group_name = m.String("group_name");
    h.exported_by = m.String("exported_by");
    h.exported_at_ms = m.Unsigned("exported_at_ms");
    if (!m.status().ok()) return m.status();
    return h;
  }
  if (json.contains("position")) {
    Members m(json, "the event line");
    BundleEvent e;
    e.position = m.Unsigned("position");
    e.event_id = m.String("event_id");
    e.event_bytes = m.Base64("event");
    e.signature = m.Base64("signature");
    if (!m.status().ok()) return m.status();
    return e;
  }
  if (json.contains("fork_proof")) {
    Members m(json, "the fork-proof line");
    const Json* proof = m.Find("fork_proof");
    BundleForkProof p;
    if (proof != nullptr) {
      Members pm(*proof, "the fork proof");
      const Json* first = pm.Find("first");
      const Json* second = pm.Find("second");
      if (first != nullptr && second != nullptr) {
        p.first = ReadSigned(*first, "the fork proof's first", pm);
        p.second = ReadSigned(*second, "the fork proof's second", pm);
      }
      m.Take(pm.status());
    }
    if (!m.status().ok()) return m.status();
    return p;
  }
  if (json.contains("statement")) return ParseStatement(json.at("statement"));
  return absl::InvalidArgumentError(
      "the line is none of a bundle's lines (a header, an event, a fork proof or the "
      "statement)");
}

}  // namespace constellation::cli
