// sdk/include/constellation/common.h
//
// The value types every domain of the client API shares: money, hybrid logical clock readings
// and the reference to the event a write created. Conventions of every SDK type (see types.h):
// ids and keys are 64 lowercase hex characters, "" meaning "not set"; money is int64 minor units
// plus an ISO-4217 code (see money.h); times are milliseconds since the Unix epoch (UTC), named
// *_ms, 0 meaning "not set".
// Thread safety: plain values.
#pragma once

#include <cstdint>
#include <string>

namespace constellation {

// An amount: integer minor units (cents for EUR) and a currency code.
struct Money {
  int64_t amount_minor = 0;
  std::string currency;
};

// Hybrid logical clock reading (DESIGN §2): for people and "as of" queries, not for ordering.
struct Hlc {
  uint64_t wall_ms = 0;
  uint32_t logical = 0;
};

// The event a write created (or, when the write was a retry, created earlier).
struct EventRef {
  std::string event_id;  // hex
  std::string group_id;  // hex
  std::string author;    // hex org key
  uint64_t seq = 0;
  Hlc hlc;
};

}  // namespace constellation
