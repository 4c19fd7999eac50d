// server/app/keyfile.h
//
// The org key file: the 32-byte Ed25519 seed as 64 hex characters and a newline, mode 0600.
// This is the organisation's identity; losing it means the org must be re-admitted under a
// new key, leaking it lets others sign as the org.
#pragma once

#include <string>

#include <absl/status/statusor.h>

#include "server/core/crypto.h"

namespace constellation::app {

// Creates a new key file at `path` (fails with kAlreadyExists rather than overwrite one).
absl::StatusOr<core::SigningKey> CreateKeyFile(const std::string& path);

// Reads the key file. kNotFound if missing; kFailedPrecondition if readable by group/others;
// kDataLoss if malformed.
absl::StatusOr<core::SigningKey> ReadKeyFile(const std::string& path);

}  // namespace constellation::app
