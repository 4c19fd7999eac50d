// server/storage/key_codec.cc
#include "server/storage/key_codec.h"

#include <absl/status/status.h>
#include <absl/strings/str_format.h>

namespace constellation::storage {
namespace {

// Appends the low `width_bytes` bytes of `v`, most significant first.
void AppendBigEndian(std::string* out, uint64_t v, size_t width_bytes) {
  for (size_t i = width_bytes; i > 0; --i) {
    out->push_back(static_cast<char>((v >> (8 * (i - 1))) & 0xff));
  }
}

absl::StatusOr<uint64_t> ReadBigEndian(std::string_view* in, size_t width_bytes) {
  if (in->size() < width_bytes) {
    return absl::DataLossError(absl::StrFormat(
        "storage key truncated: need %d bytes for an integer, %d left", width_bytes, in->size()));
  }
  uint64_t v = 0;
  for (size_t i = 0; i < width_bytes; ++i) {
    v = (v << 8) | static_cast<unsigned char>((*in)[i]);
  }
  in->remove_prefix(width_bytes);
  return v;
}

}  // namespace

void AppendU64(std::string* out, uint64_t v) { AppendBigEndian(out, v, 8); }

void AppendU32(std::string* out, uint32_t v) { AppendBigEndian(out, v, 4); }

absl::StatusOr<uint64_t> ReadU64(std::string_view* in) { return ReadBigEndian(in, 8); }

absl::StatusOr<uint32_t> ReadU32(std::string_view* in) {
  absl::StatusOr<uint64_t> v = ReadBigEndian(in, 4);
  if (!v.ok()) return v.status();
  return static_cast<uint32_t>(*v);
}

absl::StatusOr<std::string_view> ReadBytes(std::string_view* in, size_t n) {
  if (in->size() < n) {
    return absl::DataLossError(
        absl::StrFormat("storage key truncated: need %d bytes, %d left", n, in->size()));
  }
  std::string_view bytes = in->substr(0, n);
  in->remove_prefix(n);
  return bytes;
}

}  // namespace constellation::storage
