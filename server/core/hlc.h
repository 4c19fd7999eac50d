// server/core/hlc.h
//
// Hybrid logical clock (DESIGN §2): (wall_ms, logical), ordered lexicographically. HLC stamps
// events for people, deadlines and "as of" queries; it never decides canonical order (§3).
// Pure: the physical time comes in as an argument.
// Thread safety: HlcClock is not thread-safe; the apply loop owns it.
#pragma once

#include <compare>
#include <cstdint>

#include "constellation/v1/event.pb.h"

namespace constellation::core {

struct Hlc {
  uint64_t wall_ms = 0;
  uint32_t logical = 0;

  friend auto operator<=>(const Hlc&, const Hlc&) = default;
  friend bool operator==(const Hlc&, const Hlc&) = default;

  static Hlc FromProto(const v1::Hlc& p) { return Hlc{p.wall_ms(), p.logical()}; }
  v1::Hlc ToProto() const {
    v1::Hlc p;
    p.set_wall_ms(wall_ms);
    p.set_logical(logical);
    return p;
  }
};

class HlcClock {
 public:
  // A stamp for a new local event: greater than every stamp issued or observed so far, and
  // >= (now_ms, 0).
  Hlc Tick(uint64_t now_ms);

  // Takes a stamp seen on another event into account, so later ticks exceed it.
  void Observe(const Hlc& seen);

  const Hlc& last() const { return last_; }

 private:
  Hlc last_;
};

}  // namespace constellation::core
