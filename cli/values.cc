// cli/values.cc
#include "cli/values.h"

#include <absl/strings/numbers.h>
#include <absl/strings/str_format.h>
#include <absl/time/time.h>
#include <constellation/money.h>

namespace constellation::cli {
namespace {

constexpr char kDateFormat[] = "%Y-%m-%d";

bool LooksLikeDate(std::string_view text) {
  if (text.size() != 10 || text[4] != '-' || text[7] != '-') return false;
  for (size_t i : {0, 1, 2, 3, 5, 6, 8, 9}) {
    if (text[i] < '0' || text[i] > '9') return false;
  }
  return true;
}

}  // namespace

absl::StatusOr<uint64_t> ParseDateMs(std::string_view text, std::string_view flag) {
  const std::string input(text);
  const std::string what = absl::StrFormat("--%s '%s'", std::string(flag), input);
  absl::Time time;
  std::string error;
  if (LooksLikeDate(text)) {
    // Round-trip so that 2027-02-30 is an error instead of March 2nd.
    if (!absl::ParseTime(kDateFormat, input, absl::UTCTimeZone(), &time, &error) ||
        absl::FormatTime(kDateFormat, time, absl::UTCTimeZone()) != input) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s is not a calendar date: use YYYY-MM-DD", what));
    }
  } else if (!absl::ParseTime(absl::RFC3339_full, input, &time, &error)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s is not a date: use YYYY-MM-DD (UTC midnight) or RFC 3339, e.g. "
                        "2026-11-20T10:00:00Z",
                        what));
  }
  if (time < absl::UnixEpoch()) {
    return absl::InvalidArgumentError(absl::StrFormat("%s is before 1970-01-01", what));
  }
  return static_cast<uint64_t>(absl::ToUnixMillis(time));
}

absl::StatusOr<uint64_t> ParseInstantMs(std::string_view text, std::string_view flag,
                                        absl::Time now) {
  const std::string input(text);
  const std::string what = absl::StrFormat("--%s '%s'", std::string(flag), input);
  if (!input.empty() && input.find_first_not_of("0123456789") == std::string::npos) {
    uint64_t ms = 0;
    if (!absl::SimpleAtoi(input, &ms) || ms == 0) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s is not a time in milliseconds since 1970-01-01", what));
    }
    return ms;
  }
  if (!input.empty() && input[0] == '+') {
    const std::string duration_text = input.substr(1);
    absl::Duration duration;
    int64_t days = 0;
    bool parsed = false;
    if (duration_text.size() > 1 && duration_text.back() == 'd' &&
        absl::SimpleAtoi(duration_text.substr(0, duration_text.size() - 1), &days)) {
      duration = absl::Hours(24) * days;
      parsed = true;
    } else {
      parsed = absl::ParseDuration(duration_text, &duration);
    }
    if (!parsed || duration <= absl::ZeroDuration()) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "%s is not a positive duration from now: use e.g. +72h, +90m or +7d", what));
    }
    const absl::Time time = now + duration;
    if (time < absl::UnixEpoch()) {
      return absl::InvalidArgumentError(absl::StrFormat("%s is before 1970-01-01", what));
    }
    return static_cast<uint64_t>(absl::ToUnixMillis(time));
  }
  absl::StatusOr<uint64_t> ms = ParseDateMs(text, flag);
  if (!ms.ok() && !LooksLikeDate(text)) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "%s is not a time: use YYYY-MM-DD (UTC midnight), RFC 3339 (2026-11-20T10:00:00Z), "
        "milliseconds since 1970, or +DURATION from now (+72h, +7d)",
        what));
  }
  return ms;
}

std::string FormatTimeMs(uint64_t ms) {
  if (ms == 0) return "";
  const absl::Time time = absl::FromUnixMillis(static_cast<int64_t>(ms));
  if (ms % 86'400'000 == 0) return absl::FormatTime(kDateFormat, time, absl::UTCTimeZone());
  if (ms % 1000 == 0) {
    return absl::FormatTime("%Y-%m-%dT%H:%M:%SZ", time, absl::UTCTimeZone());
  }
  return absl::FormatTime("%Y-%m-%dT%H:%M:%E3SZ", time, absl::UTCTimeZone());
}

absl::StatusOr<Money> ParseMoney(std::string_view amount, std::string_view currency,
                                 std::string_view flag) {
  absl::StatusOr<int64_t> minor = ParseAmount(amount, currency);
  if (!minor.ok()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--%s: %s", std::string(flag), std::string(minor.status().message())));
  }
  return Money{*minor, std::string(currency)};
}

absl::StatusOr<Installment> ParseInstallment(std::string_view text, std::string_view currency) {
  const size_t equals = text.find('=');
  if (equals == std::string_view::npos) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "--installment '%s' must be DATE=AMOUNT, e.g. 2027-01-31=100.00", std::string(text)));
  }
  absl::StatusOr<uint64_t> due_ms = ParseDateMs(text.substr(0, equals), "installment");
  if (!due_ms.ok()) return due_ms.status();
  absl::StatusOr<Money> amount = ParseMoney(text.substr(equals + 1), currency, "installment");
  if (!amount.ok()) return amount.status();
  return Installment{*due_ms, amount->amount_minor};
}

absl::StatusOr<Restriction> ParseRestriction(std::string_view text) {
  const size_t colon = text.find(':');
  const std::string kind(text.substr(0, colon));
  const std::string rest(colon == std::string_view::npos ? "" : text.substr(colon + 1));
  if (kind == "purpose" || kind == "perpetual") {
    if (kind == "purpose" && rest.empty()) {
      return absl::InvalidArgumentError(
          "--restriction purpose needs a text: purpose:TEXT, e.g. 'purpose:school meals'");
    }
    return Restriction{kind, rest, 0};
  }
  if (kind == "time") {
    absl::StatusOr<uint64_t> until_ms = ParseDateMs(rest, "restriction time");
    if (!until_ms.ok()) return until_ms.status();
    return Restriction{kind, "", *until_ms};
  }
  return absl::InvalidArgumentError(absl::StrFormat(
      "--restriction '%s' must be purpose:TEXT, perpetual[:TEXT] or time:DATE", std::string(text)));
}

}  // namespace constellation::cli
