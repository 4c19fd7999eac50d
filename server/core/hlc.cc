#include "server/core/hlc.h"

#include "server/base/check.h"
#include "server/base/limits.h"

namespace constellation::core {

Hlc HlcClock::Tick(uint64_t now_ms) {
  if (now_ms > last_.wall_ms) {
    last_ = Hlc{now_ms, 0};
  } else if (last_.logical < limits::kHlcLogicalMax) {
    ++last_.logical;
  } else {
    // The logical counter is exhausted within one millisecond: move the clock forward.
    last_ = Hlc{last_.wall_ms + 1, 0};
  }
  return last_;
}

void HlcClock::Observe(const Hlc& seen) {
  if (seen > last_) last_ = seen;
}

}  // namespace constellation::core
