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
#include <vector>

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

// Which page of a long list to read (the List*Page methods; client.proto "Paged lists"). The
// List* methods without "Page" read every page and return the whole list.
struct PageOptions {
  // Items wanted: 0 = the node's default (100); more than the maximum (1000) reads the
  // maximum. A page may hold fewer (a page also ends at 2 MiB of views): only an empty
  // next_page_token marks the last page.
  uint32_t page_size = 0;
  // "" = the first page; otherwise the next_page_token of the previous page of the same list
  // with the same arguments.
  std::string page_token;
};

// One page of a list, in the list's order. Every item that exists from the first page to the
// last is read exactly once; items added or changed meanwhile may or may not be.
template <typename Item>
struct Page {
  std::vector<Item> items;
  std::string next_page_token;  // "" = this was the last page
};

}  // namespace constellation
