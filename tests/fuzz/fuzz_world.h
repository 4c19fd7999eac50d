// tests/fuzz/fuzz_world.h
//
// The fixed world the stateful fuzz targets start from (issue 11, fuzzing): a group of three
// active members (founder, bea, cal) whose charter has rules for every decision type the
// domains check, built once from signed events (tests/testing/event_factory.h). Each fuzz
// input starts from a fresh copy of it (FreshGroup), so inputs never see each other's effects
// and a crash reproduces from the one input.
//
// References. A fuzzer cannot guess a 32-byte event id or org key, so every `bytes` field of a
// fuzzed event (at any depth) that is shorter than an id is replaced, before the event is
// signed, by a value from the world's pool: the id of an earlier event or a member's key,
// chosen by the field's first byte (Rewire). The seed corpus uses the same convention.
// Thread safety: not thread-safe (libFuzzer runs one input at a time).
#pragma once

#include <cstddef>
#include <cstdint>
#include <memory>
#include <string>
#include <vector>

#include "constellation/v1/event.pb.h"
#include "server/core/crypto.h"
#include "server/core/group.h"

namespace constellation::fuzz {

class FuzzWorld {
 public:
  // The world, built on first use.
  static FuzzWorld& Get();

  // A copy of the three-member group (its setup events were inserted once, when the world was
  // built; copying the folded group costs a fraction of folding them again for every input).
  std::unique_ptr<core::Group> FreshGroup() const;

  // The member whose index is `i` modulo 3 (0: the founder).
  const core::SigningKey& Member(uint8_t i) const { return *members_[i % members_.size()]; }

  // Replaces every short `bytes` field of `message` (recursively) by a pool value: the ids of
  // `written` (events of this input so far, then the setup events) and the members' keys,
  // chosen by the field's first byte. Empty fields stay empty.
  void Rewire(google::protobuf::Message* message, const std::vector<core::EventId>& written) const;

  // Signs the next event of member `author` in `group` with `body`'s body and request_id, at
  // `wall_ms` (raised to the parents' clock when below it). kInvalidArgument when the codec
  // refuses it (body rules, sizes).
  absl::StatusOr<core::VerifiedEvent> Seal(const core::Group& group, uint8_t author,
                                           const v1::Event& body, uint64_t wall_ms) const;

  const std::vector<core::VerifiedEvent>& setup() const { return setup_; }

 private:
  FuzzWorld();

  std::vector<std::unique_ptr<core::SigningKey>> members_;
  std::vector<core::VerifiedEvent> setup_;
  std::unique_ptr<core::Group> group_;  // the setup events, folded
};

// Splits a fuzz input into records: [u8 tag][u16 little-endian length][length bytes]...; a
// truncated tail is one last record with what remains.
struct FuzzRecord {
  uint8_t tag = 0;
  std::string bytes;
};
std::vector<FuzzRecord> SplitRecords(const uint8_t* data, size_t size);

// The inverse of SplitRecords, for corpus generators and regression tests.
std::string JoinRecords(const std::vector<FuzzRecord>& records);

}  // namespace constellation::fuzz
