#include "server/core/measurement/periods.h"

#include <absl/strings/str_format.h>
#include <absl/time/civil_time.h>
#include <absl/time/time.h>

#include "server/base/check.h"

namespace constellation::core {
namespace {

constexpr int64_t kYearMin = 1970;
constexpr int64_t kYearMax = 9999;

// Months per period of `frequency`.
int MonthsPer(v1::ReportingFrequency frequency) {
  switch (frequency) {
    case v1::REPORTING_FREQUENCY_MONTHLY:
      return 1;
    case v1::REPORTING_FREQUENCY_QUARTERLY:
      return 3;
    case v1::REPORTING_FREQUENCY_SEMIANNUAL:
      return 6;
    case v1::REPORTING_FREQUENCY_ANNUAL:
      return 12;
    default:
      CONSTELLATION_CHECK(false);
      return 12;
  }
}

uint64_t MsAt(absl::CivilMonth month) {
  return static_cast<uint64_t>(
      absl::ToUnixMillis(absl::FromCivil(absl::CivilSecond(month), absl::UTCTimeZone())));
}

Period Make(v1::ReportingFrequency frequency, int64_t year, int index) {
  Period p{frequency, year, index, 0, 0};
  const int months = MonthsPer(frequency);
  const absl::CivilMonth start(year, 1 + (index - 1) * months);
  p.start_ms = MsAt(start);
  p.end_ms = MsAt(start + months);
  return p;
}

}  // namespace

std::string Period::Name() const {
  switch (frequency) {
    case v1::REPORTING_FREQUENCY_MONTHLY:
      return absl::StrFormat("%04d-%02d", year, index);
    case v1::REPORTING_FREQUENCY_QUARTERLY:
      return absl::StrFormat("%04d-Q%d", year, index);
    case v1::REPORTING_FREQUENCY_SEMIANNUAL:
      return absl::StrFormat("%04d-H%d", year, index);
    default:
      return absl::StrFormat("%04d", year);
  }
}

std::optional<Period> ParsePeriod(std::string_view text) {
  auto digits = [](std::string_view s) {
    for (char c : s) {
      if (c < '0' || c > '9') return false;
    }
    return !s.empty();
  };
  if (text.size() < 4 || !digits(text.substr(0, 4))) return std::nullopt;
  int64_t year = 0;
  for (char c : text.substr(0, 4)) year = year * 10 + (c - '0');
  if (year < kYearMin || year > kYearMax) return std::nullopt;
  if (text.size() == 4) return Make(v1::REPORTING_FREQUENCY_ANNUAL, year, 1);
  if (text[4] != '-') return std::nullopt;
  const std::string_view rest = text.substr(5);
  int index = 0;
  if (rest.size() == 2 && digits(rest)) {
    index = (rest[0] - '0') * 10 + (rest[1] - '0');
    if (index < 1 || index > 12) return std::nullopt;
    return Make(v1::REPORTING_FREQUENCY_MONTHLY, year, index);
  }
  if (rest.size() != 2 || rest[1] < '1' || rest[1] > '9') return std::nullopt;
  index = rest[1] - '0';
  if (rest[0] == 'Q' && index <= 4) return Make(v1::REPORTING_FREQUENCY_QUARTERLY, year, index);
  if (rest[0] == 'H' && index <= 2) return Make(v1::REPORTING_FREQUENCY_SEMIANNUAL, year, index);
  return std::nullopt;
}

Period PeriodAt(v1::ReportingFrequency frequency, uint64_t ms) {
  const absl::CivilMonth month =
      absl::ToCivilMonth(absl::FromUnixMillis(static_cast<int64_t>(ms)), absl::UTCTimeZone());
  const int months = MonthsPer(frequency);
  return Make(frequency, month.year(), 1 + (month.month() - 1) / months);
}

std::optional<Period> PeriodBefore(const Period& p) {
  if (p.index > 1) return Make(p.frequency, p.year, p.index - 1);
  if (p.year <= kYearMin) return std::nullopt;
  return Make(p.frequency, p.year - 1, 12 / MonthsPer(p.frequency));
}

std::string_view PeriodExample(v1::ReportingFrequency frequency) {
  switch (frequency) {
    case v1::REPORTING_FREQUENCY_MONTHLY:
      return "2026-07";
    case v1::REPORTING_FREQUENCY_QUARTERLY:
      return "2026-Q3";
    case v1::REPORTING_FREQUENCY_SEMIANNUAL:
      return "2026-H2";
    default:
      return "2026";
  }
}

}  // namespace constellation::core
