// sdk/src/hex.h
//
// Hex encoding of ids and keys at the SDK edge: the wire carries raw 32-byte ids, people and
// the public API see 64 lowercase hex characters (event.proto conventions).
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>

#include <absl/status/status.h>

namespace constellation::internal {

// Raw bytes -> lowercase hex (two characters per byte).
std::string HexEncode(std::string_view bytes);

// Decodes a 32-byte id given as 64 hex characters (either case) into *bytes. kInvalidArgument
// naming `field` and what was wrong otherwise; *bytes is then unchanged.
absl::Status DecodeId(std::string_view hex, std::string_view field, std::string* bytes);

// As DecodeId, but an empty `hex` means "not set" and gives empty *bytes.
absl::Status DecodeOptionalId(std::string_view hex, std::string_view field, std::string* bytes);

// Decodes the ids that name a record of a group (a proposal, campaign or pledge): `group_id`
// into *group_bytes, then `record_id` (`record_field` in messages) into *record_bytes. Errors
// as DecodeId, the group id's first.
absl::Status DecodeRecordIds(std::string_view group_id, std::string_view record_id,
                             std::string_view record_field, std::string* group_bytes,
                             std::string* record_bytes);

}  // namespace constellation::internal
