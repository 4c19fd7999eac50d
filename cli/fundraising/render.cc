// cli/fundraising/render.cc
#include "cli/fundraising/render.h"

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

constexpr Field<Campaign> kCampaignColumns[] = {
    {"campaign_id", [](const Campaign& campaign) { return campaign.campaign_id; }},
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
    {"pledge_id", [](const Pledge& pledge) { return pledge.pledge_id; }},
    {"campaign", [](const Pledge& pledge) { return ShortId(pledge.campaign_id); }},
    {"pledger", [](const Pledge& pledge) { return ShortId(pledge.pledger); }},
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
    {"pledge", [](const PledgeVersionEntry& entry) { return ShortId(entry.pledge_id); }},
    {"version", [](const PledgeVersionEntry& entry) { return Count(entry.version.version); },
     kRightAligned},
    {"kind", [](const PledgeVersionEntry& entry) { return entry.version.kind; }},
    {"author", [](const PledgeVersionEntry& entry) { return ShortId(entry.version.author); }},
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

// One installment of a pledge, with the pledge's currency.
struct InstallmentRow {
  Installment installment;
  std::string currency;
};

constexpr Field<InstallmentRow> kInstallmentColumns[] = {
    {"due", [](const InstallmentRow& row) { return FormatTimeMs(row.installment.due_ms); }},
    {"amount",
     [](const InstallmentRow& row) {
       return FormatAmount(row.installment.amount_minor, row.currency);
     },
     kRightAligned},
};

Table InstallmentsTable(const Pledge& pledge) {
  std::vector<InstallmentRow> installments;
  for (const Installment& installment : pledge.terms.installments) {
    installments.push_back({installment, pledge.terms.amount.currency});
  }
  return TableOf<InstallmentRow>(kInstallmentColumns, installments);
}

constexpr Section<Pledge> kPledgeSections[] = {{"Installments", InstallmentsTable}};

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

}  // namespace

Json ToJson(const Campaign& campaign) {
  const CampaignInput& definition = campaign.definition;
  const std::string& currency = definition.goal.currency;
  const std::optional<Money>& threshold = definition.assurance_threshold;
  return JsonObject(
      {{"campaign_id", campaign.campaign_id},
       {"group_id", campaign.group_id},
       {"name", definition.name},
       {"currency", currency},
       AmountMembers("goal", definition.goal.amount_minor, currency),
       TimeMembers("deadline", definition.deadline_ms),
       {"opened_by", campaign.opened_by},
       {"fiscal_host", campaign.fiscal_host},
       {"restriction", RestrictionJson(definition.restriction)},
       {"assurance",
        threshold.has_value()
            ? JsonObject({AmountMembers("threshold", threshold->amount_minor, threshold->currency),
                          TimeMembers("deadline", definition.assurance_deadline_ms)})
            : Json(nullptr)},
       {"action_team_id", definition.action_team_id},
       {"pledge_count", campaign.pledge_count},
       AmountMembers("pledged", campaign.pledged_minor, currency),
       AmountMembers("received", campaign.received_minor, currency),
       AmountMembers("outstanding", campaign.outstanding_minor, currency),
       AmountMembers("conditional", campaign.conditional_minor, currency),
       HlcMembers("opened", campaign.opened_hlc)});
}

const RecordFormat<Campaign> kCampaignFormat = {ToJson, kCampaignColumns, CampaignDetails};

Output CampaignOpenedOutput(const CampaignWrite& write, std::string_view request_id) {
  const Campaign& campaign = write.campaign;
  const Money& goal = campaign.definition.goal;
  return WriteOutput("campaign_id", campaign.campaign_id, write.event, request_id, "campaign",
                     ToJson(campaign),
                     {{"name", campaign.definition.name},
                      {"goal", MoneyText(goal.amount_minor, goal.currency)},
                      {"fiscal_host", campaign.fiscal_host}});
}

Json ToJson(const Pledge& pledge) {
  const std::string& currency = pledge.terms.amount.currency;
  return JsonObject({{"pledge_id", pledge.pledge_id},
                     {"group_id", pledge.group_id},
                     {"campaign_id", pledge.campaign_id},
                     {"pledger", pledge.pledger},
                     {"status", pledge.status},
                     {"version", pledge.version},
                     {"currency", currency},
                     AmountMembers("amount", pledge.terms.amount.amount_minor, currency),
                     AmountMembers("received", pledge.received_minor, currency),
                     AmountMembers("written_off", pledge.written_off_minor, currency),
                     AmountMembers("outstanding", pledge.outstanding_minor, currency),
                     {"terms", TermsJson(pledge.terms)},
                     {"cancel_reason", pledge.cancel_reason},
                     HlcMembers("created", pledge.created_hlc),
                     HlcMembers("updated", pledge.updated_hlc)});
}

const RecordFormat<Pledge> kPledgeFormat = {ToJson, kPledgeColumns, PledgeDetails, kPledgeSections};

Table PledgesTable(const std::vector<Pledge>& pledges) { return kPledgeFormat.TableOf(pledges); }

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

Json ToJson(const PledgeVersionEntry& entry) {
  const PledgeVersion& version = entry.version;
  return JsonObject(
      {{"pledge_id", entry.pledge_id},
       {"version", version.version},
       {"kind", version.kind},
       {"event_id", version.event_id},
       {"author", version.author},
       HlcMembers("time", version.hlc),
       {"terms", version.terms.has_value() ? TermsJson(*version.terms) : Json(nullptr)},
       {"reason", version.reason},
       {"amount", version.amount.has_value() ? ToJson(*version.amount) : Json(nullptr)},
       {"external_ref", version.external_ref},
       TimeMembers("received", version.received_ms)});
}

const RecordFormat<PledgeVersionEntry> kPledgeVersionFormat = {ToJson, kPledgeHistoryColumns};

Table PledgeHistoryTable(const std::vector<PledgeVersionEntry>& entries) {
  return kPledgeVersionFormat.TableOf(entries);
}

}  // namespace constellation::cli
