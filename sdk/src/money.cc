// sdk/src/money.cc: decimal <-> minor units over the shared currency table.
#include <array>
#include <cstdlib>
#include <limits>
#include <string>

#include <absl/status/status.h>
#include <absl/strings/str_format.h>
#include <constellation/money.h>

namespace constellation {
namespace {

struct CurrencyEntry {
  std::string_view code;
  int exponent;
};

constexpr CurrencyEntry kCurrencies[] = {
#define CONSTELLATION_CURRENCY(code, exponent) {code, exponent},
#include "proto/constellation/v1/currencies.inc"
#undef CONSTELLATION_CURRENCY
};

// Minor units per major unit for exponents 0..3 (the table has no larger exponent).
constexpr std::array<int64_t, 4> kPowersOfTen = {1, 10, 100, 1000};

const CurrencyEntry* FindCurrency(std::string_view code) {
  for (const CurrencyEntry& entry : kCurrencies) {
    if (entry.code == code) return &entry;
  }
  return nullptr;
}

bool IsDigit(char c) { return c >= '0' && c <= '9'; }

}  // namespace

bool IsKnownCurrency(std::string_view code) { return FindCurrency(code) != nullptr; }

absl::StatusOr<int> CurrencyExponent(std::string_view code) {
  const CurrencyEntry* entry = FindCurrency(code);
  if (entry == nullptr) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "unknown currency '%s': use an ISO-4217 code in upper case, e.g. EUR", std::string(code)));
  }
  return entry->exponent;
}

absl::StatusOr<int64_t> ParseAmount(std::string_view decimal, std::string_view currency) {
  absl::StatusOr<int> exponent = CurrencyExponent(currency);
  if (!exponent.ok()) return exponent.status();
  const std::string shown(decimal);
  const std::string code(currency);
  if (decimal.empty()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("amount is empty: give a decimal such as 250.00 (%s)", code));
  }
  if (decimal.front() == '-') {
    return absl::InvalidArgumentError(
        absl::StrFormat("amount '%s' is negative: amounts must be >= 0", shown));
  }
  const size_t dot = decimal.find('.');
  std::string_view whole = decimal.substr(0, dot);
  std::string_view fraction =
      dot == std::string_view::npos ? std::string_view() : decimal.substr(dot + 1);
  bool well_formed = !whole.empty();
  for (char c : whole) well_formed = well_formed && IsDigit(c);
  for (char c : fraction) well_formed = well_formed && IsDigit(c);
  if (dot != std::string_view::npos && fraction.empty()) well_formed = false;
  if (!well_formed) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "amount '%s' is not a decimal number: use digits with an optional '.', e.g. 250.50",
        shown));
  }
  if (fraction.size() > static_cast<size_t>(*exponent)) {
    if (*exponent == 0) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "amount '%s' has decimals, but %s has no minor unit: give a whole number", shown, code));
    }
    return absl::InvalidArgumentError(
        absl::StrFormat("amount '%s' has %d decimals, but %s allows at most %d", shown,
                        fraction.size(), code, *exponent));
  }
  constexpr int64_t kMax = std::numeric_limits<int64_t>::max();
  const std::string overflow = absl::StrFormat(
      "amount '%s' is too large: it must fit %d minor units of %s", shown, kMax, code);
  int64_t minor = 0;
  for (char c : whole) {
    const int digit = c - '0';
    if (minor > (kMax - digit) / 10) return absl::InvalidArgumentError(overflow);
    minor = minor * 10 + digit;
  }
  int64_t fraction_minor = 0;
  for (char c : fraction) fraction_minor = fraction_minor * 10 + (c - '0');
  fraction_minor *= kPowersOfTen[*exponent - fraction.size()];
  const int64_t scale = kPowersOfTen[*exponent];
  if (minor > (kMax - fraction_minor) / scale) return absl::InvalidArgumentError(overflow);
  return minor * scale + fraction_minor;
}

std::string FormatAmount(int64_t minor, std::string_view currency) {
  absl::StatusOr<int> exponent = CurrencyExponent(currency);
  const int places = exponent.ok() ? *exponent : 2;
  // Work on the magnitude as unsigned so that INT64_MIN formats correctly.
  const bool negative = minor < 0;
  const uint64_t magnitude =
      negative ? uint64_t{0} - static_cast<uint64_t>(minor) : static_cast<uint64_t>(minor);
  const uint64_t scale = static_cast<uint64_t>(kPowersOfTen[places]);
  std::string out = negative ? "-" : "";
  out += std::to_string(magnitude / scale);
  if (places > 0) {
    out += absl::StrFormat(".%0*d", places, magnitude % scale);
  }
  return out;
}

}  // namespace constellation
