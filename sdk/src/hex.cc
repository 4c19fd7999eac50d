// sdk/src/hex.cc
#include "sdk/src/hex.h"

#include <absl/strings/str_format.h>

namespace constellation::internal {
namespace {

constexpr size_t kIdSizeBytes = 32;

int HexValue(char c) {
  if (c >= '0' && c <= '9') return c - '0';
  if (c >= 'a' && c <= 'f') return c - 'a' + 10;
  if (c >= 'A' && c <= 'F') return c - 'A' + 10;
  return -1;
}

// Long input is cut in messages so that a pasted blob does not flood the terminal.
std::string Shown(std::string_view hex) {
  constexpr size_t kShownMax = 80;
  if (hex.size() <= kShownMax) return std::string(hex);
  return std::string(hex.substr(0, kShownMax)) + "...";
}

}  // namespace

std::string HexEncode(std::string_view bytes) {
  static constexpr char kDigits[] = "0123456789abcdef";
  std::string out;
  out.reserve(2 * bytes.size());
  for (unsigned char b : bytes) {
    out.push_back(kDigits[b >> 4]);
    out.push_back(kDigits[b & 0xF]);
  }
  return out;
}

absl::Status DecodeId(std::string_view hex, std::string_view field, std::string* bytes) {
  if (hex.size() != 2 * kIdSizeBytes) {
    return absl::InvalidArgumentError(absl::StrFormat("%s must be %d hex characters, got %d: '%s'",
                                                      std::string(field), 2 * kIdSizeBytes,
                                                      hex.size(), Shown(hex)));
  }
  std::string out(kIdSizeBytes, '\0');
  for (size_t i = 0; i < kIdSizeBytes; ++i) {
    const int hi = HexValue(hex[2 * i]);
    const int lo = HexValue(hex[2 * i + 1]);
    if (hi < 0 || lo < 0) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s must be hex (0-9, a-f), got '%s'", std::string(field), Shown(hex)));
    }
    out[i] = static_cast<char>(hi * 16 + lo);
  }
  *bytes = std::move(out);
  return absl::OkStatus();
}

absl::Status DecodeOptionalId(std::string_view hex, std::string_view field, std::string* bytes) {
  if (hex.empty()) {
    bytes->clear();
    return absl::OkStatus();
  }
  return DecodeId(hex, field, bytes);
}

absl::Status DecodeRecordIds(std::string_view group_id, std::string_view record_id,
                             std::string_view record_field, std::string* group_bytes,
                             std::string* record_bytes) {
  absl::Status status = DecodeId(group_id, "group_id", group_bytes);
  if (!status.ok()) return status;
  return DecodeId(record_id, record_field, record_bytes);
}

}  // namespace constellation::internal
