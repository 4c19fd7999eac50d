// cli/pooled/render.cc
#include "cli/pooled/render.h"

#include <absl/strings/str_format.h>
#include <constellation/money.h>

#include "cli/values.h"

namespace constellation::cli {
namespace {

// `value` / 10^decimals as a decimal: quantities (thousandths), rates (millionths).
std::string Decimal(int64_t value, int decimals) {
  int64_t scale = 1;
  for (int i = 0; i < decimals; ++i) scale *= 10;
  const uint64_t magnitude = value < 0 ? 0 - static_cast<uint64_t>(value) : value;
  std::string text = absl::StrFormat("%s%d.%0*d", value < 0 ? "-" : "", magnitude / scale, decimals,
                                     magnitude % scale);
  while (text.back() == '0') text.pop_back();
  if (text.back() == '.') text.pop_back();
  return text;
}

std::string RestrictionText(const Restriction& restriction) {
  if (restriction.kind.empty()) return "";
  if (restriction.kind == "time") {
    return absl::StrFormat("time until %s", FormatTimeMs(restriction.until_ms));
  }
  return restriction.text.empty() ? restriction.kind
                                  : absl::StrFormat("%s: %s", restriction.kind, restriction.text);
}

template <int64_t Fund::*kMinor>
Value FundMoney(const Fund& fund) {
  return Value::Amount(fund.*kMinor, fund.definition.currency);
}

constexpr Property<Fund> kFundProperties[] = {
    {"fund_id", Of<&Fund::fund_id>},
    {"group_id", Of<&Fund::group_id>, Shown::kJsonOnly},
    {"name", Of<&Fund::definition, &FundInput::name>},
    {"fiscal_host", Of<&Fund::definition, &FundInput::fiscal_host>},
    {"currency", Of<&Fund::definition, &FundInput::currency>},
    {"restriction",
     [](const Fund& fund) { return Value(RestrictionText(fund.definition.restriction)); }},
    {"proposal_id", Of<&Fund::proposal_id>, Shown::kJsonOnly},
    {"received", FundMoney<&Fund::received_minor>},
    {"disbursed", FundMoney<&Fund::disbursed_minor>},
    {"balance", FundMoney<&Fund::balance_minor>},
    {"approved_undisbursed", FundMoney<&Fund::approved_undisbursed_minor>},
    {"available", FundMoney<&Fund::available_minor>},
    {"receipts", Of<&Fund::receipt_count>, Shown::kJsonOnly},
    {"disbursements", Of<&Fund::disbursement_count>, Shown::kJsonOnly},
    {"created", Of<&Fund::created_hlc>, Shown::kJsonOnly},
};

template <int64_t Fund::*kMinor>
std::string FundAmount(const Fund& fund) {
  return FormatAmount(fund.*kMinor, fund.definition.currency);
}

constexpr Field<Fund> kFundColumns[] = {
    {"fund_id", [](const Fund& fund) { return fund.fund_id; }, false, CellKind::kId},
    {"name", [](const Fund& fund) { return fund.definition.name; }},
    {"host", [](const Fund& fund) { return fund.definition.fiscal_host; }, false,
     CellKind::kOrgKey},
    {"currency", [](const Fund& fund) { return fund.definition.currency; }},
    {"received", FundAmount<&Fund::received_minor>, kRightAligned},
    {"disbursed", FundAmount<&Fund::disbursed_minor>, kRightAligned},
    {"balance", FundAmount<&Fund::balance_minor>, kRightAligned},
    {"approved", FundAmount<&Fund::approved_undisbursed_minor>, kRightAligned},
    {"available", FundAmount<&Fund::available_minor>, kRightAligned},
    {"restriction", [](const Fund& fund) { return RestrictionText(fund.definition.restriction); }},
};

Json FxJson(const ContributionInput& c) {
  if (!c.fx.has_value()) return nullptr;
  Json json = JsonObject({{"from_currency", c.fx->from_currency},
                          {"to_currency", c.fx->to_currency},
                          {"rate_micros", c.fx->rate_micros},
                          {"source", c.fx->source},
                          TimeMembers("as_of", c.fx->as_of_ms)});
  if (c.original_value.has_value()) json["original_value"] = ToJson(*c.original_value);
  return json;
}

std::string FxText(const ContributionInput& c) {
  if (!c.fx.has_value() || !c.original_value.has_value()) return "";
  return absl::StrFormat("%s at %s (%s, %s)",
                         MoneyText(c.original_value->amount_minor, c.original_value->currency),
                         Decimal(c.fx->rate_micros, 6), c.fx->source, FormatTimeMs(c.fx->as_of_ms));
}

Json ContributionJson(const ContributionInput& c) {
  return JsonObject({{"kind", c.kind},
                     {"quantity_milli", c.quantity_milli},
                     {"unit", c.unit},
                     {"unit_rate", c.unit_rate.has_value() ? ToJson(*c.unit_rate) : Json(nullptr)},
                     {"valuation_method", c.valuation_method},
                     {"value", ToJson(c.value)},
                     {"fx", FxJson(c)},
                     {"fund_id", c.fund_id},
                     {"reverses", c.reverses},
                     {"evidence_sha256", c.evidence_sha256}});
}

// The amount an entry moves, signed as the ledger counts it: a reversal is negative.
std::string EntryAmount(const PooledEntry& e) {
  if (e.contribution.has_value()) {
    const Money& v = e.contribution->value;
    return FormatAmount(e.kind == "reversal" ? -v.amount_minor : v.amount_minor, v.currency);
  }
  if (e.amount.has_value()) {
    return FormatAmount(e.kind == "disbursement" ? -e.amount->amount_minor : e.amount->amount_minor,
                        e.amount->currency);
  }
  return "";
}

std::string EntryCurrency(const PooledEntry& e) {
  if (e.contribution.has_value()) return e.contribution->value.currency;
  if (e.amount.has_value()) return e.amount->currency;
  if (e.fund.has_value()) return e.fund->currency;
  return "";
}

std::string EntryDetail(const PooledEntry& e) {
  if (e.contribution.has_value()) {
    const ContributionInput& c = *e.contribution;
    std::string detail = c.kind;
    if (c.quantity_milli > 0) {
      detail += absl::StrFormat(" %s %s", Decimal(c.quantity_milli, 3), c.unit);
    }
    if (!c.valuation_method.empty()) detail += " (" + c.valuation_method + ")";
    if (!c.reverses.empty()) detail += " reverses " + ShortId(c.reverses);
    const std::string fx = FxText(c);
    if (!fx.empty()) detail += "; converted from " + fx;
    return detail;
  }
  if (e.fund.has_value()) return e.fund->name;
  if (!e.contribution_id.empty()) return "receipt of " + ShortId(e.contribution_id);
  if (!e.proposal_id.empty()) return "drawdown " + ShortId(e.proposal_id);
  return "";
}

constexpr Field<PooledEntry> kEntryColumns[] = {
    {"event_id", [](const PooledEntry& e) { return e.event_id; }, false, CellKind::kId},
    {"kind", [](const PooledEntry& e) { return e.kind; }},
    {"author", [](const PooledEntry& e) { return e.author; }, false, CellKind::kOrgKey},
    {"time", [](const PooledEntry& e) { return FormatTimeMs(e.hlc.wall_ms); }},
    {"fund", [](const PooledEntry& e) { return e.fund_id; }, false, CellKind::kId},
    {"amount", EntryAmount, kRightAligned},
    {"currency", EntryCurrency},
    {"detail", [](const PooledEntry& e) { return OneLine(EntryDetail(e)); }},
    {"ref", [](const PooledEntry& e) { return e.external_ref; }},
};

Json EntryJson(const PooledEntry& e) {
  return JsonObject({{"event_id", e.event_id},
                     {"kind", e.kind},
                     {"author", e.author},
                     HlcMembers("time", e.hlc),
                     {"fund_id", e.fund_id},
                     {"contribution", e.contribution.has_value() ? ContributionJson(*e.contribution)
                                                                 : Json(nullptr)},
                     {"fund", e.fund.has_value() ? JsonObject({{"name", e.fund->name},
                                                               {"fiscal_host", e.fund->fiscal_host},
                                                               {"currency", e.fund->currency}})
                                                 : Json(nullptr)},
                     {"contribution_id", e.contribution_id},
                     {"proposal_id", e.proposal_id},
                     {"amount", e.amount.has_value() ? ToJson(*e.amount) : Json(nullptr)},
                     {"external_ref", e.external_ref}});
}

Json ContributionViewJson(const Contribution& c) {
  return JsonObject({{"contribution_id", c.contribution_id},
                     {"group_id", c.group_id},
                     {"contributor", c.contributor},
                     {"entry", ContributionJson(c.entry)},
                     HlcMembers("time", c.hlc),
                     {"reversed_by", c.reversed_by},
                     {"receipt_id", c.receipt_id},
                     {"reversed_after_receipt", c.reversed_after_receipt}});
}

constexpr Field<MemberTotal> kTotalColumns[] = {
    {"member", [](const MemberTotal& t) { return t.member; }, false, CellKind::kOrgKey},
    {"currency", [](const MemberTotal& t) { return t.currency; }},
    {"net_contributed",
     [](const MemberTotal& t) { return FormatAmount(t.net_contributed_minor, t.currency); },
     kRightAligned},
};

constexpr Property<Drawdown> kDrawdownProperties[] = {
    {"proposal_id", Of<&Drawdown::proposal_id>},
    {"group_id", Of<&Drawdown::group_id>, Shown::kJsonOnly},
    {"fund_id", Of<&Drawdown::fund_id>},
    {"status", Of<&Drawdown::status>},
    {"reason", Of<&Drawdown::reason>, Shown::kBothTextWhenSet},
    {"amount",
     [](const Drawdown& d) { return Value::Amount(d.amount.amount_minor, d.amount.currency); }},
    {"currency", Of<&Drawdown::amount, &Money::currency>, Shown::kJsonOnly},
    {"proposer", Of<&Drawdown::proposer>},
    {"recipient", Of<&Drawdown::recipient>},
    {"title", Of<&Drawdown::title>},
    {"purpose", Of<&Drawdown::purpose>},
    {"budget_line", Of<&Drawdown::budget_line>},
    {"outcome", Of<&Drawdown::outcome>},
    {"final", Of<&Drawdown::final>},
    {"disbursement_id", Of<&Drawdown::disbursement_id>, Shown::kBothTextWhenSet},
};

constexpr Field<Drawdown> kDrawdownColumns[] = {
    {"proposal_id", [](const Drawdown& d) { return d.proposal_id; }, false, CellKind::kId},
    {"fund", [](const Drawdown& d) { return d.fund_id; }, false, CellKind::kId},
    {"status", [](const Drawdown& d) { return d.status; }},
    {"amount",
     [](const Drawdown& d) { return FormatAmount(d.amount.amount_minor, d.amount.currency); },
     kRightAligned},
    {"currency", [](const Drawdown& d) { return d.amount.currency; }},
    {"recipient", [](const Drawdown& d) { return d.recipient; }, false, CellKind::kOrgKey},
    {"budget_line", [](const Drawdown& d) { return d.budget_line; }},
    {"purpose", [](const Drawdown& d) { return OneLine(d.purpose); }},
    {"reason", [](const Drawdown& d) { return d.reason; }},
};

// One row per (currency, member) of the shares.
struct ShareRow {
  std::string currency;
  BenefitShare share;
};

constexpr Field<ShareRow> kShareColumns[] = {
    {"currency", [](const ShareRow& r) { return r.currency; }},
    {"member", [](const ShareRow& r) { return r.share.member; }, false, CellKind::kOrgKey},
    {"share_bps", [](const ShareRow& r) { return Count(r.share.share_bps); }, kRightAligned},
    {"share", [](const ShareRow& r) { return Decimal(r.share.share_bps, 2) + " %"; },
     kRightAligned},
    {"contributed",
     [](const ShareRow& r) {
       return r.currency.empty() ? "" : FormatAmount(r.share.contributed_minor, r.currency);
     },
     kRightAligned},
};

}  // namespace

const RecordFormat<Fund> kFundFormat = {.properties = kFundProperties, .columns = kFundColumns};

Output FundWriteOutput(const FundWrite& write, std::string_view request_id) {
  const Fund& fund = write.fund;
  return WriteOutput("fund_id", fund.fund_id, write.event, request_id, "fund",
                     kFundFormat.ToJson(fund),
                     {{"name", fund.definition.name},
                      {"fiscal_host", fund.definition.fiscal_host},
                      {"currency", fund.definition.currency}});
}

Output FundDetailOutput(const FundDetail& detail) {
  Json json = kFundFormat.ToJson(detail.fund);
  json["drawdowns"] = JsonArray<Drawdown>(
      detail.drawdowns, [](const Drawdown& d) { return kDrawdownFormat.ToJson(d); });
  json["entries"] = JsonArray<PooledEntry>(detail.entries, EntryJson);
  return Output::Object(std::move(json), kFundFormat.Details(detail.fund),
                        {{"Drawdowns", kDrawdownFormat.TableOf(detail.drawdowns)},
                         {"Ledger", TableOf<PooledEntry>(kEntryColumns, detail.entries)}});
}

Output TotalsOutput(const PooledLedger& ledger);

Output LedgerOutput(const PooledLedger& ledger) {
  Json json = JsonObject(
      {{"entries", JsonArray<PooledEntry>(ledger.entries, EntryJson)},
       {"contributions", JsonArray<Contribution>(ledger.contributions, ContributionViewJson)},
       {"totals", TotalsOutput(ledger).json}});
  return Output::List(std::move(json), TableOf<PooledEntry>(kEntryColumns, ledger.entries));
}

Output TotalsOutput(const PooledLedger& ledger) {
  Json json = Json::array();
  for (const MemberTotal& t : ledger.totals) {
    json.push_back(
        JsonObject({{"member", t.member},
                    {"currency", t.currency},
                    AmountMembers("net_contributed", t.net_contributed_minor, t.currency)}));
  }
  return Output::List(std::move(json), TableOf<MemberTotal>(kTotalColumns, ledger.totals));
}

Output ContributionWriteOutput(const ContributionWrite& write, std::string_view request_id) {
  const Contribution& c = write.contribution;
  KeyValues values = {{"kind", c.entry.kind},
                      {"value", MoneyText(c.entry.value.amount_minor, c.entry.value.currency)}};
  if (!c.entry.reverses.empty()) values.emplace_back("reverses", c.entry.reverses);
  if (!c.entry.fund_id.empty()) values.emplace_back("fund_id", c.entry.fund_id);
  if (!c.receipt_id.empty()) values.emplace_back("receipt_id", c.receipt_id);
  if (!c.reversed_by.empty()) values.emplace_back("reversed_by", c.reversed_by);
  if (c.reversed_after_receipt) {
    values.emplace_back("note", "reversed after receipt: a refund is owed");
  }
  return WriteOutput("contribution_id", c.contribution_id, write.event, request_id, "contribution",
                     ContributionViewJson(c), std::move(values));
}

const RecordFormat<Drawdown> kDrawdownFormat = {.properties = kDrawdownProperties,
                                                .columns = kDrawdownColumns};

Output DrawdownWriteOutput(const DrawdownWrite& write, std::string_view request_id) {
  const Drawdown& d = write.drawdown;
  return WriteOutput("proposal_id", d.proposal_id, write.event, request_id, "drawdown",
                     kDrawdownFormat.ToJson(d),
                     {{"status", d.status},
                      {"amount", MoneyText(d.amount.amount_minor, d.amount.currency)},
                      {"disbursement_id", d.disbursement_id}});
}

Output SharesOutput(const BenefitShares& shares) {
  Json json = JsonObject({{"basis", shares.basis}, {"currencies", Json::array()}});
  std::vector<ShareRow> rows;
  for (const SharesInCurrency& c : shares.currencies) {
    Json list = Json::array();
    for (const BenefitShare& s : c.shares) {
      rows.push_back({c.currency, s});
      Json item = JsonObject({{"member", s.member}, {"share_bps", s.share_bps}});
      if (!c.currency.empty()) {
        const JsonMembers members = AmountMembers("contributed", s.contributed_minor, c.currency);
        for (const auto& [key, value] : members.members()) item[key] = value;
      }
      list.push_back(std::move(item));
    }
    json["currencies"].push_back(JsonObject({{"currency", c.currency}, {"shares", list}}));
  }
  return Output::List(std::move(json), TableOf<ShareRow>(kShareColumns, rows));
}

}  // namespace constellation::cli
