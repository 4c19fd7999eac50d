// tests/fuzz/fold_fuzz.cc
//
// Fuzz target: every domain's Check and Apply (server/core/fold registry). An input is a
// sequence of records (fuzz_world.h SplitRecords): the tag's low two bits choose the author
// (founder, bea, cal), its high six bits how far the clock moves (0 to ~165 days, so that
// deadlines, voting windows and installments fall due); the bytes are a v1::Event whose body
// is kept and whose short references are rewired to real ids and keys. Each event is signed as
// the author's next event and inserted into a fresh copy of the three-member world.
// Properties checked (a failure aborts, which libFuzzer reports as a crash):
//   - a correctly chained event always inserts (the fold may reject it, never the chain);
//   - the fold lists an event as rejected exactly when Check refused it;
//   - every ledger's invariants hold after every event (GroupState::CheckInvariants);
//   - the same events inserted into another fresh copy give the same state hash.
#include <cstddef>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <vector>

#include "server/base/check.h"
#include "tests/fuzz/fuzz_world.h"

namespace constellation::fuzz {
namespace {

constexpr size_t kEventsPerInputMax = 24;
constexpr uint64_t kHourMs = 3'600'000;

}  // namespace
}  // namespace constellation::fuzz

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace constellation;
  using namespace constellation::fuzz;
  const FuzzWorld& world = FuzzWorld::Get();
  // CONSTELLATION_FUZZ_VERBOSE=1: print the fold's verdict on each event (to check seeds).
  static const bool verbose = std::getenv("CONSTELLATION_FUZZ_VERBOSE") != nullptr;
  std::unique_ptr<core::Group> group = world.FreshGroup();
  std::vector<core::EventId> written;
  std::vector<core::VerifiedEvent> events;
  uint64_t wall_ms = group->state().last_hlc().wall_ms;
  for (const FuzzRecord& record : SplitRecords(data, size)) {
    if (events.size() == kEventsPerInputMax) break;
    v1::Event body;
    if (!body.ParseFromString(record.bytes) || body.body_case() == v1::Event::BODY_NOT_SET) {
      continue;
    }
    world.Rewire(&body, written);
    const uint64_t step = record.tag >> 2;
    absl::StatusOr<core::VerifiedEvent> e =
        world.Seal(*group, record.tag & 3, body, wall_ms + step * step * kHourMs);
    if (!e.ok()) continue;
    wall_ms = e->hlc.wall_ms;
    const absl::Status verdict = group->CheckNext(*e);
    const bool inserted = group->Insert(*e).ok();
    CONSTELLATION_CHECK(inserted);
    if (verbose) {
      std::fprintf(stderr, "fold: %s by member %d: %s\n", e->event.GetDescriptor()
                                                           ->FindFieldByNumber(e->event.body_case())
                                                           ->name()
                                                           .c_str(),
                   record.tag & 3, verdict.ToString().c_str());
    }
    const bool rejected = group->state().rejected_events().contains(e->id);
    CONSTELLATION_CHECK(rejected == !verdict.ok());
    group->state().CheckInvariants();
    written.push_back(e->id);
    events.push_back(*std::move(e));
  }
  std::unique_ptr<core::Group> again = world.FreshGroup();
  for (const core::VerifiedEvent& e : events) CONSTELLATION_CHECK(again->Insert(e).ok());
  CONSTELLATION_CHECK(again->StateHash() == group->StateHash());
  return 0;
}
