// sdk/include/constellation/fundraising.h
//
// Joint fundraising domain of the client API (FundraisingService, DESIGN §1): campaigns, pledges
// with their terms and derived status, payments, and the signed history of every pledge version.
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <optional>
#include <string>
#include <vector>

#include <constellation/common.h>

namespace constellation {

// A donor restriction; kind "" means unrestricted.
struct Restriction {
  std::string kind;  // "purpose" | "time" | "perpetual" | ""
  std::string text;
  uint64_t until_ms = 0;  // "time" only
};

// What a campaign is; the input of OpenCampaign.
struct CampaignInput {
  std::string name;
  Money goal;
  uint64_t deadline_ms = 0;
  std::string fiscal_host;  // hex org key of the member holding the money; "" = the author
  Restriction restriction;
  // Assurance contract: pledges bind only if the total reaches this by the deadline.
  std::optional<Money> assurance_threshold;
  uint64_t assurance_deadline_ms = 0;
  std::string action_team_id;  // hex, optional
  // The final, passed OPEN_CAMPAIGN proposal this campaign executes (hex); "" when the
  // charter lets a member open one alone.
  std::string proposal_id;
  std::vector<std::string> accepted_currencies;  // besides the goal's
  // Assurance contract by count: pledges bind only if this many members pledge by the
  // assurance deadline (either threshold met suffices); 0 = none.
  uint32_t assurance_member_count = 0;
};

// A campaign's totals in one currency, of all its pledges or of one member's.
struct CampaignTotals {
  std::string currency;
  std::string member;  // hex org key; "" = the whole campaign
  uint32_t pledge_count = 0;  // live pledges
  int64_t pledged_minor = 0;
  int64_t received_minor = 0;
  int64_t written_off_minor = 0;
  int64_t outstanding_minor = 0;
  int64_t conditional_minor = 0;
  int64_t cancelled_minor = 0;  // remainder dropped by cancellations
  int64_t lapsed_minor = 0;     // remainder dropped by lapses
  int64_t unapplied_minor = 0;
  int64_t closed_received_minor = 0;
  int64_t closed_written_off_minor = 0;
};

// A campaign as the node derives it. Totals are over pledges that are not cancelled, in the
// campaign currency.
struct Campaign {
  std::string campaign_id;  // hex
  std::string group_id;     // hex
  std::string opened_by;    // hex org key
  CampaignInput definition;
  std::string fiscal_host;  // hex org key, resolved (never empty)
  uint32_t pledge_count = 0;
  int64_t pledged_minor = 0;
  int64_t received_minor = 0;
  int64_t outstanding_minor = 0;  // pledged - received - written off
  int64_t conditional_minor = 0;  // part of pledged that is conditional
  Hlc opened_hlc;
  std::string threshold_state;  // "none" | "pending" | "met" | "not_met"
  int64_t written_off_minor = 0;
  int64_t lapsed_minor = 0;
  int64_t cancelled_minor = 0;
  int64_t unapplied_minor = 0;
  std::vector<CampaignTotals> totals;         // per currency, the goal's first
  std::vector<CampaignTotals> member_totals;  // per member and currency
};

// One scheduled installment; installments of a pledge sum to its amount.
struct Installment {
  uint64_t due_ms = 0;
  int64_t amount_minor = 0;
};

// An installment schedule the node expands into explicit installments: `count` of
// floor(amount / count), the last taking the remainder, every `frequency` from `start_ms`.
struct InstallmentSchedule {
  uint32_t count = 0;
  std::string frequency;  // "weekly" | "monthly" | "quarterly" | "yearly"
  uint64_t start_ms = 0;
};

// One line of a pledge's schedule: paid + written_off + outstanding + dropped = amount.
struct InstallmentLine {
  uint64_t due_ms = 0;  // 0 = never due
  int64_t amount_minor = 0;
  int64_t paid_minor = 0;
  int64_t written_off_minor = 0;
  int64_t outstanding_minor = 0;
  int64_t dropped_minor = 0;  // cancelled or lapsed
};

// A condition: both a barrier and a right of release (ASC 958-605).
struct PledgeCondition {
  std::string barrier;
  std::string right_of_release;
};

// The terms of a pledge, as in its first version or an amendment.
struct PledgeTerms {
  Money amount;
  std::vector<Installment> installments;  // empty = one installment due at campaign deadline
  std::optional<PledgeCondition> condition;
  Restriction restriction;
  std::string note;
  std::string donor_name;       // an external donor the author represents; "" = the author
  std::string evidence_sha256;  // hex, optional
};

// A change of a pledge's terms (Client::AmendPledge): what is set replaces the current term,
// the rest is kept by the node. At most one of installments, remaining_installments and
// remaining_schedule; for the remaining forms, installments already fully paid are kept as
// the prefix. A new amount without any of them changes the last installment by the
// difference (kInvalidArgument when it is paid or would not stay positive).
struct PledgeTermsPatch {
  std::optional<Money> amount;  // currency "" = the pledge's
  std::optional<std::vector<Installment>> installments;  // the whole schedule
  std::optional<PledgeCondition> condition;
  bool clear_condition = false;
  std::optional<Restriction> restriction;
  std::optional<std::string> evidence_sha256;  // hex
  std::optional<std::string> note;
  std::optional<std::string> donor_name;
  std::optional<std::vector<Installment>> remaining_installments;
  std::optional<InstallmentSchedule> remaining_schedule;
};

// One pledge of a batch (Client::RecordPledges): what RecordPledge takes for one pledge.
struct PledgeInput {
  std::string campaign_id;  // hex
  PledgeTerms terms;
  // Set: the node expands it into the installments (terms.installments must then be empty).
  std::optional<InstallmentSchedule> schedule;
  // Idempotency key of this pledge (as WriteOptions::request_id). Empty: the SDK generates one,
  // fixed for the retries of this call only; pass your own to retry a batch safely across calls
  // and process restarts.
  std::string request_id;
};

// A pledge as the node derives it (as of the query time).
struct Pledge {
  std::string pledge_id;    // hex
  std::string group_id;     // hex
  std::string campaign_id;  // hex
  std::string pledger;      // hex org key
  PledgeTerms terms;        // the current version's terms
  uint32_t version = 0;     // 1 + number of amendments
  // "pending" | "in_progress" | "overdue" | "completed" | "cancelled" | "conditional" |
  // "written_off" | "lapsed"
  std::string status;
  int64_t received_minor = 0;
  int64_t written_off_minor = 0;
  int64_t outstanding_minor = 0;
  Hlc created_hlc;
  Hlc updated_hlc;
  std::string cancel_reason;
  std::string conditional_reason;  // "condition" | "threshold" | ""
  std::string lapse_reason;        // "" unless lapsed
  int64_t unapplied_minor = 0;
  std::vector<InstallmentLine> installments;
  std::string condition_outcome;  // "" | "met" | "waived" | "released"
  std::string threshold_state;    // its campaign's
};

// One entry of a pledge's history, with who signed it.
struct PledgeVersion {
  uint32_t version = 0;  // 1 = the pledge itself, 2.. = amendments
  std::string event_id;  // hex
  std::string author;    // hex org key: who signed this entry
  Hlc hlc;
  // "pledge" | "amendment" | "cancellation" | "payment" | "write_off" | "condition"
  std::string kind;
  std::optional<PledgeTerms> terms;  // pledge and amendment
  std::string reason;                // amendment and cancellation
  std::optional<Money> amount;       // payment and write-off
  std::string external_ref;
  uint64_t received_ms = 0;
};

struct PledgeVersionEntry {
  std::string pledge_id;  // hex
  PledgeVersion version;
};

// A campaign write (OpenCampaign) and the campaign as it is afterwards.
struct CampaignWrite {
  EventRef event;
  Campaign campaign;
};

// A pledge write (record, amend, cancel, payment) and the pledge as it is afterwards.
struct PledgeWrite {
  EventRef event;
  Pledge pledge;
};

}  // namespace constellation
