// cli/fundraising/render.cc
#include "cli/fundraising/render.h"

#include <algorithm>

#include <absl/strings/str_format.h>
#include <constellation/money.h>

#include "cli/values.h"

namespace constellation::cli {
namespace {

Json RestrictionJson(const Restriction& restriction) {
  if (restriction.kind.empty()) return nullptr;
  return JsonObject({{"kind", restriction.kind},
                     {"text", restriction.text},
                     TimeMembers("until", restriction.until_ms)});
}

std::string RestrictionText(const Restriction& restriction) {
  if (restriction.kind.empty()) return "";
  if (restriction.kind == "time") {
    return absl::StrFormat("time until %s", FormatTimeMs(restriction.until_ms));
  }
  return restriction.text.empty() ? restriction.kind
                                  : absl::StrFormat("%s: %s", restriction.kind, restriction.text);
}

// The amount a version of a pledge records: its terms' (pledge, amendment) or the money moved
// (payment, write-off); none for a cancellation.
const Money* VersionAmount(const PledgeVersion& version) {
  if (version.terms.has_value()) return &version.terms->amount;
  if (version.amount.has_value()) return &*version.amount;
  return nullptr;
}

// The reason (or, for new terms without one, their note), then the external reference.
std::string VersionDetail(const PledgeVersion& version) {
  std::string detail = version.reason;
  if (detail.empty() && version.terms.has_value()) detail = version.terms->note;
  if (version.external_ref.empty()) return detail;
  return detail.empty() ? "ref " + version.external_ref
                        : detail + " (ref " + version.external_ref + ")";
}

// A campaign's amount at `kMinor`, in the goal's currency.
template <int64_t Campaign::*kMinor>
std::string CampaignAmount(const Campaign& campaign) {
  return FormatAmount(campaign.*kMinor, campaign.definition.goal.currency);
}

// A pledge's amount at `kMinor`, in the pledge's currency.
template <int64_t Pledge::*kMinor>
std::string PledgeAmount(const Pledge& pledge) {
  return FormatAmount(pledge.*kMinor, pledge.terms.amount.currency);
}

// The same as values: JSON `<name>_minor` and `<name>`, "250.50 EUR" as text.
template <int64_t Campaign::*kMinor>
Value CampaignMoney(const Campaign& campaign) {
  return Value::Amount(campaign.*kMinor, campaign.definition.goal.currency);
}
template <int64_t Pledge::*kMinor>
Value PledgeMoney(const Pledge& pledge) {
  return Value::Amount(pledge.*kMinor, pledge.terms.amount.currency);
}

constexpr Field<Campaign> kCampaignColumns[] = {
    {"campaign_id", [](const Campaign& campaign) { return campaign.campaign_id; }, false,
     CellKind::kId},
    {"name", [](const Campaign& campaign) { return campaign.definition.name; }},
    {"currency", [](const Campaign& campaign) { return campaign.definition.goal.currency; }},
    {"goal",
     [](const Campaign& campaign) {
       return FormatAmount(campaign.definition.goal.amount_minor,
                           campaign.definition.goal.currency);
     },
     kRightAligned},
    {"pledged", CampaignAmount<&Campaign::pledged_minor>, kRightAligned},
    {"received", CampaignAmount<&Campaign::received_minor>, kRightAligned},
    {"outstanding", CampaignAmount<&Campaign::outstanding_minor>, kRightAligned},
    {"pledges", [](const Campaign& campaign) { return Count(campaign.pledge_count); },
     kRightAligned},
    {"deadline",
     [](const Campaign& campaign) { return FormatTimeMs(campaign.definition.deadline_ms); }},
};

constexpr Field<Pledge> kPledgeColumns[] = {
    {"pledge_id", [](const Pledge& pledge) { return pledge.pledge_id; }, false, CellKind::kId},
    {"campaign", [](const Pledge& pledge) { return pledge.campaign_id; }, false, CellKind::kId},
    {"pledger", [](const Pledge& pledge) { return pledge.pledger; }, false, CellKind::kOrgKey},
    {"status", [](const Pledge& pledge) { return pledge.status; }},
    {"currency", [](const Pledge& pledge) { return pledge.terms.amount.currency; }},
    {"amount",
     [](const Pledge& pledge) {
       return FormatAmount(pledge.terms.amount.amount_minor, pledge.terms.amount.currency);
     },
     kRightAligned},
    {"received", PledgeAmount<&Pledge::received_minor>, kRightAligned},
    {"outstanding", PledgeAmount<&Pledge::outstanding_minor>, kRightAligned},
    {"version", [](const Pledge& pledge) { return Count(pledge.version); }, kRightAligned},
    {"donor", [](const Pledge& pledge) { return pledge.terms.donor_name; }},
};

constexpr Field<PledgeVersionEntry> kPledgeHistoryColumns[] = {
    {"pledge", [](const PledgeVersionEntry& entry) { return entry.pledge_id; }, false,
     CellKind::kId},
    {"version", [](const PledgeVersionEntry& entry) { return Count(entry.version.version); },
     kRightAligned},
    {"kind", [](const PledgeVersionEntry& entry) { return entry.version.kind; }},
    {"author", [](const PledgeVersionEntry& entry) { return entry.version.author; }, false,
     CellKind::kOrgKey},
    {"time",
     [](const PledgeVersionEntry& entry) { return FormatTimeMs(entry.version.hlc.wall_ms); }},
    {"amount",
     [](const PledgeVersionEntry& entry) {
       const Money* amount = VersionAmount(entry.version);
       return amount == nullptr ? "" : FormatAmount(amount->amount_minor, amount->currency);
     },
     kRightAligned},
    {"currency",
     [](const PledgeVersionEntry& entry) {
       const Money* amount = VersionAmount(entry.version);
       return amount == nullptr ? "" : amount->currency;
     }},
    {"detail", [](const PledgeVersionEntry& entry) { return VersionDetail(entry.version); }},
};

Json TermsJson(const PledgeTerms& terms) {
  const std::string& currency = terms.amount.currency;
  Json installments = Json::array();
  for (const Installment& installment : terms.installments) {
    installments.push_back(
        JsonObject({TimeMembers("due", installment.due_ms),
                    AmountMembers("amount", installment.amount_minor, currency)}));
  }
  return JsonObject(
      {{"currency", currency},
       AmountMembers("amount", terms.amount.amount_minor, currency),
       {"installments", installments},
       {"condition", terms.condition.has_value()
                         ? JsonObject({{"barrier", terms.condition->barrier},
                                       {"right_of_release", terms.condition->right_of_release}})
                         : Json(nullptr)},
       {"restriction", RestrictionJson(terms.restriction)},
       {"note", terms.note},
       {"donor_name", terms.donor_name},
       {"evidence_sha256", terms.evidence_sha256}});
}

// One line of a pledge's schedule, with the pledge's currency.
struct InstallmentRow {
  InstallmentLine line;
  std::string currency;
};

// The amount at `kMinor` of an installment line.
template <int64_t InstallmentLine::*kMinor>
std::string LineAmount(const InstallmentRow& row) {
  return FormatAmount(row.line.*kMinor, row.currency);
}

constexpr Field<InstallmentRow> kInstallmentColumns[] = {
    {"due", [](const InstallmentRow& row) { return FormatTimeMs(row.line.due_ms); }},
    {"amount", LineAmount<&InstallmentLine::amount_minor>, kRightAligned},
    {"paid", LineAmount<&InstallmentLine::paid_minor>, kRightAligned},
    {"written_off", LineAmount<&InstallmentLine::written_off_minor>, kRightAligned},
    {"outstanding", LineAmount<&InstallmentLine::outstanding_minor>, kRightAligned},
    {"dropped", LineAmount<&InstallmentLine::dropped_minor>, kRightAligned},
};

Table InstallmentsTable(const Pledge& pledge) {
  std::vector<InstallmentRow> installments;
  for (const InstallmentLine& line : pledge.installments) {
    installments.push_back({line, pledge.terms.amount.currency});
  }
  return TableOf<InstallmentRow>(kInstallmentColumns, installments);
}

Json InstallmentLinesJson(const Pledge& pledge) {
  const std::string& currency = pledge.terms.amount.currency;
  Json lines = Json::array();
  for (const InstallmentLine& line : pledge.installments) {
    lines.push_back(JsonObject({TimeMembers("due", line.due_ms),
                                AmountMembers("amount", line.amount_minor, currency),
                                AmountMembers("paid", line.paid_minor, currency),
                                AmountMembers("written_off", line.written_off_minor, currency),
                                AmountMembers("outstanding", line.outstanding_minor, currency),
                                AmountMembers("dropped", line.dropped_minor, currency)}));
  }
  return lines;
}

constexpr Section<Pledge> kPledgeSections[] = {{"Installments", InstallmentsTable}};

// JSON: the amounts, then the terms; the details: the amounts, then the terms that are set.
constexpr Property<Pledge> kPledgeProperties[] = {
    {"pledge_id", Of<&Pledge::pledge_id>},
    {"group_id", Of<&Pledge::group_id>, Shown::kJsonOnly},
    {"campaign_id", Of<&Pledge::campaign_id>},
    {"pledger", Of<&Pledge::pledger>},
    {"status", Of<&Pledge::status>},
    {"version", Of<&Pledge::version>},
    {"currency", Of<&Pledge::terms, &PledgeTerms::amount, &Money::currency>, Shown::kJsonOnly},
    {"amount",
     [](const Pledge& pledge) {
       return Value::Amount(pledge.terms.amount.amount_minor, pledge.terms.amount.currency);
     }},
    {"received", PledgeMoney<&Pledge::received_minor>},
    {"written_off", PledgeMoney<&Pledge::written_off_minor>},
    {"outstanding", PledgeMoney<&Pledge::outstanding_minor>},
    {"unapplied", PledgeMoney<&Pledge::unapplied_minor>},
    {"conditional_reason", Of<&Pledge::conditional_reason>, Shown::kBothTextWhenSet},
    {"lapse_reason", Of<&Pledge::lapse_reason>, Shown::kBothTextWhenSet},
    {"condition_outcome", Of<&Pledge::condition_outcome>, Shown::kBothTextWhenSet},
    {"threshold", Of<&Pledge::threshold_state>, Shown::kJsonOnly},
    {"terms", [](const Pledge& pledge) { return Value(TermsJson(pledge.terms), ""); },
     Shown::kJsonOnly},
    {"installments", [](const Pledge& pledge) { return Value(InstallmentLinesJson(pledge), ""); },
     Shown::kJsonOnly},
    {"condition",
     [](const Pledge& pledge) {
       const std::optional<PledgeCondition>& condition = pledge.terms.condition;
       return Value(condition.has_value()
                        ? absl::StrFormat("barrier: %s; release: %s", condition->barrier,
                                          condition->right_of_release)
                        : "");
     },
     Shown::kTextOnlyWhenSet},
    {"restriction",
     [](const Pledge& pledge) { return Value(RestrictionText(pledge.terms.restriction)); },
     Shown::kTextOnlyWhenSet},
    {"donor", Of<&Pledge::terms, &PledgeTerms::donor_name>, Shown::kTextOnlyWhenSet},
    {"note", Of<&Pledge::terms, &PledgeTerms::note>, Shown::kTextOnlyWhenSet},
    {"evidence_sha256", Of<&Pledge::terms, &PledgeTerms::evidence_sha256>, Shown::kTextOnlyWhenSet},
    {"cancel_reason", Of<&Pledge::cancel_reason>, Shown::kBothTextWhenSet},
    {"created", Of<&Pledge::created_hlc>},
    {"updated", Of<&Pledge::updated_hlc>},
};

Json TotalsJson(const std::vector<CampaignTotals>& totals) {
  Json out = Json::array();
  for (const CampaignTotals& t : totals) {
    Json row = JsonObject({{"currency", t.currency},
                           {"pledge_count", t.pledge_count},
                           AmountMembers("pledged", t.pledged_minor, t.currency),
                           AmountMembers("received", t.received_minor, t.currency),
                           AmountMembers("written_off", t.written_off_minor, t.currency),
                           AmountMembers("outstanding", t.outstanding_minor, t.currency),
                           AmountMembers("conditional", t.conditional_minor, t.currency),
                           AmountMembers("cancelled", t.cancelled_minor, t.currency),
                           AmountMembers("lapsed", t.lapsed_minor, t.currency),
                           AmountMembers("unapplied", t.unapplied_minor, t.currency)});
    if (!t.member.empty()) row["member"] = t.member;
    out.push_back(std::move(row));
  }
  return out;
}

// The amount at `kMinor` of a totals row.
template <int64_t CampaignTotals::*kMinor>
std::string TotalsAmount(const CampaignTotals& t) {
  return FormatAmount(t.*kMinor, t.currency);
}

constexpr Field<CampaignTotals> kTotalsColumns[] = {
    {"member", [](const CampaignTotals& t) { return t.member.empty() ? "all" : t.member; }, false,
     CellKind::kOrgKey},
    {"currency", [](const CampaignTotals& t) { return t.currency; }},
    {"pledges", [](const CampaignTotals& t) { return Count(t.pledge_count); }, kRightAligned},
    {"pledged", TotalsAmount<&CampaignTotals::pledged_minor>, kRightAligned},
    {"conditional", TotalsAmount<&CampaignTotals::conditional_minor>, kRightAligned},
    {"received", TotalsAmount<&CampaignTotals::received_minor>, kRightAligned},
    {"outstanding", TotalsAmount<&CampaignTotals::outstanding_minor>, kRightAligned},
    {"written_off", TotalsAmount<&CampaignTotals::written_off_minor>, kRightAligned},
    {"lapsed", TotalsAmount<&CampaignTotals::lapsed_minor>, kRightAligned},
    {"cancelled", TotalsAmount<&CampaignTotals::cancelled_minor>, kRightAligned},
    {"unapplied", TotalsAmount<&CampaignTotals::unapplied_minor>, kRightAligned},
};

Table CurrencyTotalsTable(const Campaign& campaign) {
  return TableOf<CampaignTotals>(kTotalsColumns, campaign.totals);
}
Table MemberTotalsTable(const Campaign& campaign) {
  return TableOf<CampaignTotals>(kTotalsColumns, campaign.member_totals);
}

constexpr Section<Campaign> kCampaignSections[] = {{"Totals per currency", CurrencyTotalsTable},
                                                   {"Totals per member", MemberTotalsTable}};

Json AssuranceJson(const Campaign& campaign) {
  const std::optional<Money>& threshold = campaign.definition.assurance_threshold;
  if (!threshold.has_value()) return nullptr;
  return JsonObject({AmountMembers("threshold", threshold->amount_minor, threshold->currency),
                     TimeMembers("deadline", campaign.definition.assurance_deadline_ms)});
}

constexpr Property<Campaign> kCampaignProperties[] = {
    {"campaign_id", Of<&Campaign::campaign_id>},
    {"group_id", Of<&Campaign::group_id>},
    {"name", Of<&Campaign::definition, &CampaignInput::name>},
    {"currency", Of<&Campaign::definition, &CampaignInput::goal, &Money::currency>},
    {"goal",
     [](const Campaign& campaign) {
       const Money& goal = campaign.definition.goal;
       return Value::Amount(goal.amount_minor, goal.currency);
     }},
    {"deadline", TimeOf<&Campaign::definition, &CampaignInput::deadline_ms>},
    {"opened_by", Of<&Campaign::opened_by>},
    {"fiscal_host", Of<&Campaign::fiscal_host>},
    {"restriction",
     [](const Campaign& campaign) {
       return Value(RestrictionJson(campaign.definition.restriction), "");
     }},
    {"assurance", [](const Campaign& campaign) { return Value(AssuranceJson(campaign), ""); }},
    {"action_team_id", Of<&Campaign::definition, &CampaignInput::action_team_id>},
    {"pledge_count", Of<&Campaign::pledge_count>},
    {"pledged", CampaignMoney<&Campaign::pledged_minor>},
    {"received", CampaignMoney<&Campaign::received_minor>},
    {"outstanding", CampaignMoney<&Campaign::outstanding_minor>},
    {"conditional", CampaignMoney<&Campaign::conditional_minor>},
    {"written_off", CampaignMoney<&Campaign::written_off_minor>},
    {"lapsed", CampaignMoney<&Campaign::lapsed_minor>},
    {"cancelled", CampaignMoney<&Campaign::cancelled_minor>},
    {"unapplied", CampaignMoney<&Campaign::unapplied_minor>},
    {"threshold", Of<&Campaign::threshold_state>},
    {"accepted_currencies",
     [](const Campaign& campaign) {
       return Value(Json(campaign.definition.accepted_currencies), "");
     }},
    {"assurance_member_count", Of<&Campaign::definition, &CampaignInput::assurance_member_count>},
    {"proposal_id", Of<&Campaign::definition, &CampaignInput::proposal_id>},
    {"totals", [](const Campaign& campaign) { return Value(TotalsJson(campaign.totals), ""); }},
    {"member_totals",
     [](const Campaign& campaign) { return Value(TotalsJson(campaign.member_totals), ""); }},
    {"opened", Of<&Campaign::opened_hlc>},
};

constexpr Property<PledgeVersionEntry> kPledgeVersionProperties[] = {
    {"pledge_id", Of<&PledgeVersionEntry::pledge_id>},
    {"version", Of<&PledgeVersionEntry::version, &PledgeVersion::version>},
    {"kind", Of<&PledgeVersionEntry::version, &PledgeVersion::kind>},
    {"event_id", Of<&PledgeVersionEntry::version, &PledgeVersion::event_id>},
    {"author", Of<&PledgeVersionEntry::version, &PledgeVersion::author>},
    {"time", Of<&PledgeVersionEntry::version, &PledgeVersion::hlc>},
    {"terms",
     [](const PledgeVersionEntry& entry) {
       const std::optional<PledgeTerms>& terms = entry.version.terms;
       return Value(terms.has_value() ? TermsJson(*terms) : Json(nullptr), "");
     }},
    {"reason", Of<&PledgeVersionEntry::version, &PledgeVersion::reason>},
    {"amount",
     [](const PledgeVersionEntry& entry) {
       const std::optional<Money>& amount = entry.version.amount;
       return Value(amount.has_value() ? ToJson(*amount) : Json(nullptr), "");
     }},
    {"external_ref", Of<&PledgeVersionEntry::version, &PledgeVersion::external_ref>},
    {"received", TimeOf<&PledgeVersionEntry::version, &PledgeVersion::received_ms>},
};

}  // namespace

std::string ProgressBar(int64_t received_minor, int64_t pledged_minor, int64_t goal_minor) {
  constexpr int kWidth = 20;
  if (goal_minor <= 0) return "";
  // Cells: '#' received, '+' pledged but not received, '.' the rest of the goal.
  auto cells = [&](int64_t minor) {
    const __int128 scaled = static_cast<__int128>(std::max<int64_t>(minor, 0)) * kWidth / goal_minor;
    return static_cast<int>(std::min<__int128>(scaled, kWidth));
  };
  const int received = cells(received_minor);
  const int pledged = std::max(cells(pledged_minor), received);
  const std::string done(received, '#');
  const std::string promised(pledged - received, '+');
  const std::string rest(kWidth - pledged, '.');
  const int percent = static_cast<int>(
      std::min<__int128>(static_cast<__int128>(std::max<int64_t>(pledged_minor, 0)) * 100 /
                             goal_minor,
                         999));
  return absl::StrFormat("[%s%s%s] %d%% pledged", done, promised, rest, percent);
}

namespace {

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
  values.emplace_back("written_off", MoneyText(campaign.written_off_minor, currency));
  if (campaign.lapsed_minor != 0) {
    values.emplace_back("lapsed", MoneyText(campaign.lapsed_minor, currency));
  }
  if (campaign.unapplied_minor != 0) {
    values.emplace_back("unapplied", MoneyText(campaign.unapplied_minor, currency));
  }
  if (definition.assurance_member_count != 0) {
    values.emplace_back("assurance_members", Count(definition.assurance_member_count));
  }
  if (campaign.threshold_state != "none") values.emplace_back("threshold", campaign.threshold_state);
  if (!definition.accepted_currencies.empty()) {
    std::string codes;
    for (const std::string& code : definition.accepted_currencies) {
      codes += (codes.empty() ? "" : ", ") + code;
    }
    values.emplace_back("also_accepts", codes);
  }
  values.emplace_back("progress", ProgressBar(campaign.received_minor, campaign.pledged_minor,
                                              definition.goal.amount_minor));
  values.emplace_back("opened", FormatTimeMs(campaign.opened_hlc.wall_ms));
  return values;
}

}  // namespace

Json ToJson(const Campaign& campaign) { return kCampaignFormat.ToJson(campaign); }

const RecordFormat<Campaign> kCampaignFormat = {
    .properties = kCampaignProperties,
    .columns = kCampaignColumns,
    .details = CampaignDetails,
    .sections = kCampaignSections};

Output CampaignOpenedOutput(const CampaignWrite& write, std::string_view request_id) {
  const Campaign& campaign = write.campaign;
  const Money& goal = campaign.definition.goal;
  return WriteOutput("campaign_id", campaign.campaign_id, write.event, request_id, "campaign",
                     ToJson(campaign),
                     {{"name", campaign.definition.name},
                      {"goal", MoneyText(goal.amount_minor, goal.currency)},
                      {"fiscal_host", campaign.fiscal_host}});
}

Json ToJson(const Pledge& pledge) { return kPledgeFormat.ToJson(pledge); }

const RecordFormat<Pledge> kPledgeFormat = {
    .properties = kPledgeProperties, .columns = kPledgeColumns, .sections = kPledgeSections};

Table PledgesTable(const std::vector<Pledge>& pledges) { return kPledgeFormat.TableOf(pledges); }

KeyValues PledgeDetails(const Pledge& pledge) { return kPledgeFormat.Details(pledge); }

Output PledgeWriteOutput(const PledgeWrite& write, std::string_view request_id) {
  const Pledge& pledge = write.pledge;
  const std::string& currency = pledge.terms.amount.currency;
  return WriteOutput("pledge_id", pledge.pledge_id, write.event, request_id, "pledge",
                     ToJson(pledge),
                     {{"status", pledge.status},
                      {"version", Count(pledge.version)},
                      {"amount", MoneyText(pledge.terms.amount.amount_minor, currency)},
                      {"received", MoneyText(pledge.received_minor, currency)},
                      {"outstanding", MoneyText(pledge.outstanding_minor, currency)}});
}

Json ToJson(const PledgeVersionEntry& entry) { return kPledgeVersionFormat.ToJson(entry); }

const RecordFormat<PledgeVersionEntry> kPledgeVersionFormat = {
    .properties = kPledgeVersionProperties, .columns = kPledgeHistoryColumns};

Table PledgeHistoryTable(const std::vector<PledgeVersionEntry>& entries) {
  return kPledgeVersionFormat.TableOf(entries);
}

Output PledgeDetailOutput(const PledgeDetail& detail) {
  Output output = kPledgeFormat(detail.pledge);
  output.json["history"] = JsonArray<PledgeVersionEntry>(
      detail.history, [](const PledgeVersionEntry& e) { return kPledgeVersionFormat.ToJson(e); });
  output.tables.emplace_back("History", PledgeHistoryTable(detail.history));
  return output;
}

}  // namespace constellation::cli
