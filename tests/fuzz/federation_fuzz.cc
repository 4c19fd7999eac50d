// tests/fuzz/federation_fuzz.cc
//
// Fuzz target: what a node does with a peer's requests (server/rpc/federation_service.cc), on
// the pure core it hands them to: a node of the three-member world (fuzz_world.h) receives a
// sequence of records (SplitRecords); the tag's low two bits choose the request:
//   0: a Frontier (GetFrontier / PullEvents): ValidateFrontier, then the sync Diff of what the
//      caller lacks;
//   1: an event whose header is the fuzzer's (seq, prev, deps, hlc, group, author as rewired
//      references), signed by the member it names (PushEvents: NodeState::Receive, with its
//      pending buffer, held events, chain rules and fork detection);
//   2: a ForkProof (GossipForkProof: NodeState::ReceiveForkProof);
//   3: call credentials, four lines "org\ntimestamp\nnonce\nsignature" then the request bytes
//      (ParseCallCredentials, then ReplayGuard::Accept).
// The tag's high six bits move the receiver's clock (held events, skew window). Properties:
// nothing crashes; the ledgers' invariants hold after every record; a receipt never changes
// the state of a group whose events it did not insert.
#include <cstddef>
#include <cstdint>
#include <string>
#include <vector>

#include <absl/strings/str_split.h>

#include "server/base/check.h"
#include "server/core/federation_auth.h"
#include "server/core/node_state.h"
#include "server/core/sync.h"
#include "tests/fuzz/fuzz_world.h"

namespace {

constexpr size_t kRecordsPerInputMax = 24;
constexpr uint64_t kMinuteMs = 60'000;

}  // namespace

extern "C" int LLVMFuzzerTestOneInput(const uint8_t* data, size_t size) {
  using namespace constellation;
  using namespace constellation::fuzz;
  const FuzzWorld& world = FuzzWorld::Get();
  core::NodeState node(world.Member(0));
  for (const core::VerifiedEvent& e : world.setup()) CONSTELLATION_CHECK(node.Ingest(e).ok());
  const core::GroupId group_id = world.setup().front().group;
  core::ReplayGuard guard;
  std::vector<core::EventId> written;
  uint64_t now_ms = node.FindGroup(group_id)->state().last_hlc().wall_ms;
  size_t count = 0;
  for (const FuzzRecord& record : SplitRecords(data, size)) {
    if (++count > kRecordsPerInputMax) break;
    now_ms += static_cast<uint64_t>(record.tag >> 2) * kMinuteMs;
    switch (record.tag & 3) {
      case 0: {
        v1::Frontier frontier;
        if (!frontier.ParseFromString(record.bytes)) break;
        world.Rewire(&frontier, written);
        if (!core::ValidateFrontier(frontier, group_id).ok()) break;
        (void)core::Diff(*node.FindGroup(group_id), frontier, 0);
        break;
      }
      case 1: {
        v1::Event event;
        if (!event.ParseFromString(record.bytes)) break;
        world.Rewire(&event, written);
        uint8_t author = 0;
        for (uint8_t i = 0; i < 3; ++i) {
          if (event.author() == world.Member(i).public_key().Bytes()) author = i;
        }
        const core::SigningKey& key = world.Member(author);
        event.set_author(key.public_key().Bytes());
        absl::StatusOr<core::VerifiedEvent> sealed = core::SealEvent(event, key);
        if (!sealed.ok()) break;
        const core::EventId id = sealed->id;
        absl::StatusOr<core::ReceiveResult> received = node.Receive(*std::move(sealed), now_ms);
        if (received.ok()) written.push_back(id);
        break;
      }
      case 2: {
        v1::ForkProof proof;
        if (!proof.ParseFromString(record.bytes)) break;
        world.Rewire(&proof, written);
        (void)node.ReceiveForkProof(proof);
        break;
      }
      case 3: {
        std::vector<std::string> parts = absl::StrSplit(record.bytes, absl::MaxSplits('\n', 4));
        parts.resize(5);
        absl::StatusOr<core::CallCredentials> credentials =
            core::ParseCallCredentials(parts[0], parts[1], parts[2], parts[3]);
        if (credentials.ok()) (void)guard.Accept(*credentials, "PushEvents", parts[4], now_ms);
        break;
      }
    }
    for (const auto& [id, group] : node.groups()) group->state().CheckInvariants();
  }
  return 0;
}
