// sdk/include/constellation/strategy.h
//
// Shared strategy domain of the client API (StrategyService, docs/PROTOCOL.md §5.15): versions
// of the group's strategy documents (common agenda, guiding principles, terms of reference,
// strategic plan) with goals and shared-measurement indicators, their lineage (based_on) and
// alternatives, the adoptions (final, passed ADOPT_STRATEGY decisions) that made versions
// current, and DiffStrategy, what changed between two versions.
// Thread safety: plain values; DiffStrategy is a pure function.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <constellation/common.h>

namespace constellation {

struct Indicator {
  std::string key;  // stable within the plan, e.g. "households-reached"
  std::string name;
  std::string definition;
  std::string unit;
  std::string level;  // "early" | "intermediate" | "long_term"
  int64_t baseline = 0;
  int64_t target = 0;
  std::string frequency;  // "monthly" | "quarterly" | "semiannual" | "annual"
  std::string owner;      // hex org key; "" = none
};

struct StrategyGoal {
  std::string key;
  std::string text;
  std::vector<std::string> indicator_keys;
};

// What a member drafts (Client::DraftStrategy).
struct StrategyDraft {
  // "common_agenda" | "guiding_principles" | "terms_of_reference" | "strategic_plan"
  std::string document;
  std::string title;
  std::string content;
  std::string based_on;  // hex version id of the same document; "" = a first draft
  std::vector<StrategyGoal> goals;
  std::vector<Indicator> indicators;
};

// An adoption in effect: a final, passed ADOPT_STRATEGY proposal of a version in its past.
struct StrategyAdoption {
  std::string proposal_id;  // hex
  std::string version_id;   // hex
  std::string document;
  std::string title;      // the version's
  Hlc proposal_hlc;       // the later-proposed adoption in effect is current
  uint64_t final_ms = 0;  // when its outcome turned final
  bool current = false;
};

struct StrategyVersion {
  std::string version_id;  // hex
  std::string group_id;    // hex
  std::string author;      // hex org key
  Hlc hlc;
  StrategyDraft draft;                    // as signed
  std::string status;                     // "draft" | "current" | "superseded"
  std::vector<std::string> children;      // hex ids of versions based on this one
  std::vector<std::string> alternatives;  // hex ids of other versions on the same base
  std::vector<StrategyAdoption> adoptions;
  std::vector<std::string> open_proposals;  // hex ids of ADOPT_STRATEGY proposals not final
};

struct StrategyWrite {
  EventRef event;
  StrategyVersion version;
};

// What changed between two versions (DiffStrategy).
struct FieldChange {
  std::string field;  // "title", "target", "indicator_keys", ...
  std::string before;
  std::string after;
};
struct LineChange {
  char op = ' ';  // ' ' unchanged, '-' only in `from`, '+' only in `to`
  std::string line;
};
struct KeyedChange {
  char op = '~';  // '+' added, '-' removed, '~' changed
  std::string key;
  std::vector<FieldChange> fields;  // for '~': the fields that differ
};
struct StrategyDiff {
  std::vector<FieldChange> header;  // document, title, based_on
  std::vector<LineChange> content;  // the whole text, line by line (empty when equal)
  std::vector<KeyedChange> goals;   // by key, in `to`'s order then the removed ones
  std::vector<KeyedChange> indicators;
  bool empty() const {
    return header.empty() && content.empty() && goals.empty() && indicators.empty();
  }
};

// What changed from `from` to `to`: the header fields, a line diff of the content (a shortest
// edit script), and goals and indicators matched by key with their changed fields.
StrategyDiff DiffStrategy(const StrategyDraft& from, const StrategyDraft& to);

}  // namespace constellation
