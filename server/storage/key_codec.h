// server/storage/key_codec.h
//
// Big-endian integer encoding for storage keys (DESIGN §5). Keys compare bytewise, so integers
// are written most significant byte first: the byte order of two encodings is then their
// numeric order, and a scan over `group | seq_be` visits sequence numbers in ascending order.
//
// Readers consume from the front of a std::string_view and advance it. On error the view is
// left unchanged and the code is kDataLoss: a key that does not decode was written wrong or
// was corrupted on disk; retrying will not help.
// Thread safety: stateless free functions; safe to call concurrently.
#pragma once

#include <cstddef>
#include <cstdint>
#include <string>
#include <string_view>

#include <absl/status/statusor.h>

namespace constellation::storage {

// Appends `v` to `out` as 8 big-endian bytes.
void AppendU64(std::string* out, uint64_t v);

// Appends `v` to `out` as 4 big-endian bytes.
void AppendU32(std::string* out, uint32_t v);

// Decodes 8 big-endian bytes from the front of `*in` and removes them from `*in`.
// kDataLoss if `*in` is shorter than 8 bytes (then `*in` is unchanged).
absl::StatusOr<uint64_t> ReadU64(std::string_view* in);

// Decodes 4 big-endian bytes from the front of `*in` and removes them from `*in`.
// kDataLoss if `*in` is shorter than 4 bytes (then `*in` is unchanged).
absl::StatusOr<uint32_t> ReadU32(std::string_view* in);

// Returns the first `n` bytes of `*in` and removes them from `*in`. The result points into the
// same buffer as `*in`: it is valid only while that buffer is. kDataLoss if `*in` is shorter
// than `n` bytes (then `*in` is unchanged).
absl::StatusOr<std::string_view> ReadBytes(std::string_view* in, size_t n);

}  // namespace constellation::storage
