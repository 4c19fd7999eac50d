// sdk/include/constellation/measurement.h
//
// Shared measurement domain of the client API (MeasurementService, docs/PROTOCOL.md §5.16):
// members report their value of a strategy version's indicator per period ("2026-Q3"); a
// correction revises the latest report; every indicator's series shows each member's value and
// the total per period against the indicator's baseline and target.
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <string>
#include <vector>

#include <constellation/common.h>
#include <constellation/strategy.h>

namespace constellation {

// What a member reports (Client::ReportIndicator).
struct IndicatorReportInput {
  std::string version_id;  // hex strategy version id
  std::string indicator_key;
  std::string period;  // "2026-07" | "2026-Q3" | "2026-H2" | "2026", by the frequency
  int64_t value = 0;
  std::string note;
  std::string revises;  // hex id of this org's latest report of that period; "" = first
};

struct IndicatorReport {
  std::string report_id;  // hex
  std::string group_id;   // hex
  std::string member;     // hex org key
  Hlc hlc;
  IndicatorReportInput report;  // as signed
  std::string revised_by;       // hex; "" = this report counts
};

struct IndicatorReportWrite {
  EventRef event;
  IndicatorReport report;
};

struct MemberValue {
  std::string member;  // hex org key
  int64_t value = 0;
  std::string report_id;  // hex
};

struct PeriodValues {
  std::string period;
  int64_t total = 0;
  std::vector<MemberValue> values;  // ascending by member key
};

struct IndicatorSeries {
  std::string version_id;             // hex
  Indicator indicator;                // as the version defines it
  std::vector<PeriodValues> periods;  // ascending by period
};

struct Measurement {
  std::string group_id;
  std::vector<IndicatorSeries> indicators;  // early, then intermediate, then long-term
};

}  // namespace constellation
