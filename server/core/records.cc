// server/core/records.cc
#include "server/core/records.h"

#include <set>
#include <string>

#include <absl/strings/str_format.h>

#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/core/fold/registry.h"

namespace constellation::core {
namespace {

struct CurrencyInfo {
  std::string_view code;
  int exponent;
};

constexpr CurrencyInfo kKnownCurrencies[] = {
#define CONSTELLATION_CURRENCY(code, exponent) {code, exponent},
#include "proto/constellation/v1/currencies.inc"
#undef CONSTELLATION_CURRENCY
};

const CurrencyInfo* FindCurrency(std::string_view code) {
  for (const CurrencyInfo& c : kKnownCurrencies) {
    if (c.code == code) return &c;
  }
  return nullptr;
}

}  // namespace

absl::Status InvalidField(std::string_view field, const std::string& what) {
  return absl::InvalidArgumentError(absl::StrFormat("%s: %s", std::string(field), what));
}

std::string FieldPath(std::string_view a, std::string_view b) {
  return absl::StrFormat("%s.%s", std::string(a), std::string(b));
}

int FirstControlCharacter(std::string_view s, TextKind kind) {
  for (size_t i = 0; i < s.size(); ++i) {
    const auto c = static_cast<unsigned char>(s[i]);
    const bool line_break = c == '\n' || c == '\r' || c == '\t';
    if ((c < 0x20 && !(kind == TextKind::kMultiline && line_break)) || c == 0x7F) return c;
    if (c == 0xC2 && i + 1 < s.size()) {
      const auto next = static_cast<unsigned char>(s[i + 1]);
      if (next >= 0x80 && next <= 0x9F) return next;
    }
  }
  return -1;
}

absl::Status CheckText(const std::string& s, size_t max, std::string_view field,
                       std::string_view limit_name, TextKind kind) {
  if (s.size() > max) {
    return InvalidField(field, absl::StrFormat("is %d bytes; the limit %s is %d", s.size(),
                                               std::string(limit_name), max));
  }
  if (int c = FirstControlCharacter(s, kind); c >= 0) {
    return InvalidField(
        field,
        absl::StrFormat("holds the control character U+%04X; %s", c,
                        kind == TextKind::kLine ? "text of one line may hold none"
                                                : "free text may hold line breaks and tabs only"));
  }
  return absl::OkStatus();
}

absl::Status CheckRequiredText(const std::string& s, size_t max, std::string_view field,
                               std::string_view limit_name, TextKind kind) {
  if (s.empty()) return InvalidField(field, "is required");
  return CheckText(s, max, field, limit_name, kind);
}

absl::Status CheckName(const std::string& s, std::string_view field) {
  return CheckText(s, limits::kNameSizeBytesMax, field, "kNameSizeBytesMax");
}

absl::Status CheckShort(const std::string& s, std::string_view field) {
  return CheckText(s, limits::kShortTextSizeBytesMax, field, "kShortTextSizeBytesMax");
}

absl::Status CheckLong(const std::string& s, std::string_view field) {
  return CheckText(s, limits::kTextSizeBytesMax, field, "kTextSizeBytesMax", TextKind::kMultiline);
}

absl::Status CheckTime(uint64_t ms, std::string_view field) {
  if (ms <= limits::kHlcWallMsMax) return absl::OkStatus();
  return InvalidField(field, absl::StrFormat("is %d, after 9999-12-31T23:59:59.999Z (the limit "
                                             "kHlcWallMsMax is %d ms)",
                                             ms, limits::kHlcWallMsMax));
}

absl::Status CheckId(const std::string& id, std::string_view field, bool required) {
  if (id.empty() && !required) return absl::OkStatus();
  if (id.size() != 32) {
    return InvalidField(field, absl::StrFormat("must be a 32-byte id, got %d bytes", id.size()));
  }
  return absl::OkStatus();
}

absl::Status CheckIdList(const google::protobuf::RepeatedPtrField<std::string>& ids,
                         std::string_view field) {
  if (static_cast<size_t>(ids.size()) > limits::kListFieldCountMax) {
    return InvalidField(field, absl::StrFormat("has %d entries; the limit kListFieldCountMax is %d",
                                               ids.size(), limits::kListFieldCountMax));
  }
  std::set<std::string> seen;
  for (const std::string& id : ids) {
    CONSTELLATION_RETURN_IF_ERROR(CheckId(id, field, true));
    if (!seen.insert(id).second) return InvalidField(field, "names the same id twice");
  }
  return absl::OkStatus();
}

absl::Status CheckKeys(int count, std::string_view field) {
  if (static_cast<size_t>(count) > limits::kListFieldCountMax) {
    return InvalidField(field, absl::StrFormat("has %d entries; the limit kListFieldCountMax is %d",
                                               count, limits::kListFieldCountMax));
  }
  return absl::OkStatus();
}

absl::Status CheckCurrency(const std::string& code, std::string_view field) {
  if (!IsKnownCurrency(code)) {
    return InvalidField(
        field,
        absl::StrFormat("'%s' is not an ISO-4217 currency code (use e.g. EUR, USD, JPY)", code));
  }
  return absl::OkStatus();
}

absl::Status CheckRestriction(const v1::Restriction& r, std::string_view field) {
  if (!v1::RestrictionKind_IsValid(r.kind()))
    return InvalidField(field, "unknown restriction kind");
  CONSTELLATION_RETURN_IF_ERROR(CheckShort(r.text(), FieldPath(field, "text")));
  if (r.kind() != v1::RESTRICTION_KIND_UNSPECIFIED && r.text().empty() &&
      r.kind() != v1::RESTRICTION_KIND_TIME) {
    return InvalidField(field, "a purpose or perpetual restriction needs a text saying what it is");
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckTime(r.until_ms(), FieldPath(field, "until_ms")));
  if (r.kind() == v1::RESTRICTION_KIND_TIME && r.until_ms() == 0) {
    return InvalidField(field, "a time restriction needs until_ms");
  }
  return absl::OkStatus();
}

absl::Status CheckWeight(uint32_t weight, std::string_view field) {
  if (weight > limits::kVotingWeightMax) {
    return InvalidField(field, absl::StrFormat("is %d; the limit kVotingWeightMax is %d", weight,
                                               limits::kVotingWeightMax));
  }
  return absl::OkStatus();
}

absl::Status CheckEndpoints(const google::protobuf::RepeatedPtrField<std::string>& endpoints,
                            std::string_view field) {
  if (static_cast<size_t>(endpoints.size()) > limits::kEndpointCountMax) {
    return InvalidField(field, absl::StrFormat("has %d entries; the limit kEndpointCountMax is %d",
                                               endpoints.size(), limits::kEndpointCountMax));
  }
  for (const std::string& e : endpoints) CONSTELLATION_RETURN_IF_ERROR(CheckName(e, field));
  return absl::OkStatus();
}

absl::Status CheckProfile(const v1::MemberProfile& p, std::string_view field) {
  CONSTELLATION_RETURN_IF_ERROR(CheckName(p.name(), FieldPath(field, "name")));
  if (!v1::Role_IsValid(p.role())) return InvalidField(FieldPath(field, "role"), "unknown role");
  if (!v1::Segment_IsValid(p.segment()))
    return InvalidField(FieldPath(field, "segment"), "unknown segment");
  CONSTELLATION_RETURN_IF_ERROR(CheckWeight(p.voting_weight(), FieldPath(field, "voting_weight")));
  return CheckEndpoints(p.endpoints(), FieldPath(field, "endpoints"));
}

bool IsKnownCurrency(std::string_view code) { return FindCurrency(code) != nullptr; }

std::optional<int> CurrencyExponent(std::string_view code) {
  const CurrencyInfo* c = FindCurrency(code);
  if (c == nullptr) return std::nullopt;
  return c->exponent;
}

std::string FormatMoney(int64_t amount_minor, std::string_view currency) {
  const CurrencyInfo* info = FindCurrency(currency);
  const int exponent = info == nullptr ? 0 : info->exponent;
  const bool negative = amount_minor < 0;
  // Work in uint64 so that INT64_MIN has a magnitude.
  uint64_t magnitude =
      negative ? 0 - static_cast<uint64_t>(amount_minor) : static_cast<uint64_t>(amount_minor);
  uint64_t scale = 1;
  for (int i = 0; i < exponent; ++i) scale *= 10;
  std::string out = absl::StrFormat("%s%d", negative ? "-" : "", magnitude / scale);
  if (exponent > 0) out += absl::StrFormat(".%0*d", exponent, magnitude % scale);
  return absl::StrFormat("%s %s", out, std::string(currency));
}

absl::Status ValidatePositiveMoney(const v1::Money& money, std::string_view field) {
  CONSTELLATION_RETURN_IF_ERROR(CheckCurrency(money.currency(), FieldPath(field, "currency")));
  if (money.amount_minor() <= 0) {
    return InvalidField(FieldPath(field, "amount_minor"),
                        absl::StrFormat("must be positive, got %d", money.amount_minor()));
  }
  if (money.amount_minor() > limits::kMoneyAmountMinorMax) {
    return InvalidField(FieldPath(field, "amount_minor"),
                        absl::StrFormat("is %d; the limit kMoneyAmountMinorMax is %d",
                                        money.amount_minor(), limits::kMoneyAmountMinorMax));
  }
  return absl::OkStatus();
}

absl::Status ValidateBody(const v1::Event& e) {
  if (e.body_case() == v1::Event::BODY_NOT_SET) {
    return absl::InvalidArgumentError("event has no body");
  }
  // Each domain validates its own records (the registry's `validate`); a body this version
  // keeps as history only, or does not know, passes: the fold decides what to do with it.
  const RecordKind* kind = FindRecordKind(e.body_case());
  if (kind == nullptr || kind->validate == nullptr) return absl::OkStatus();
  return kind->validate(e);
}

}  // namespace constellation::core
