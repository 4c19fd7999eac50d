// tests/fuzz/fuzz_world.cc
#include "tests/fuzz/fuzz_world.h"

#include <algorithm>
#include <cstdlib>
#include <utility>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/stubs/logging.h>
#include <google/protobuf/reflection.h>

#include "server/core/codec.h"
#include "tests/testing/event_factory.h"

namespace constellation::fuzz {
namespace {

using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using google::protobuf::Reflection;

// A charter with a rule for every decision type the domains check, so that fuzzed proposals
// reach each domain's rules.
v1::Charter WorldCharter() {
  v1::Charter c = testing::TestCharter();
  for (v1::DecisionType type :
       {v1::DECISION_TYPE_ADMIT, v1::DECISION_TYPE_EXPEL, v1::DECISION_TYPE_ALLOCATE_FUNDS,
        v1::DECISION_TYPE_CREATE_FUND, v1::DECISION_TYPE_WRITE_OFF}) {
    *c.add_decision_rules() = testing::MakeDecisionRule(type, v1::DECISION_PROCESS_CONSENT);
  }
  v1::StandardRate* rate = c.add_standard_rates();
  rate->set_kind(v1::CONTRIBUTION_KIND_STAFF_TIME);
  rate->set_unit("hour");
  *rate->mutable_rate() = testing::MakeMoney(8'500);
  return c;
}

void Must(const absl::Status& status) {
  if (!status.ok()) {
    std::fprintf(stderr, "fuzz world setup failed: %s\n", status.ToString().c_str());
    std::abort();
  }
}

// Fuzzed strings that are not UTF-8 make protobuf log an error per parse: noise that slows the
// fuzzer and hides its own output. The parse still fails, which is what the targets check.
[[maybe_unused]] const bool kProtobufQuiet = (google::protobuf::SetLogHandler(nullptr), true);

// Replaces `value` when it is a short non-empty bytes value (see FuzzWorld::Rewire).
void RewireValue(std::string* value, const std::vector<std::string>& pool) {
  if (value->empty() || value->size() >= 32 || pool.empty()) return;
  *value = pool[static_cast<uint8_t>((*value)[0]) % pool.size()];
}

void RewireMessage(Message* message, const std::vector<std::string>& pool) {
  const Reflection* reflection = message->GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(*message, &fields);
  for (const FieldDescriptor* field : fields) {
    if (field->type() == FieldDescriptor::TYPE_BYTES) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(*message, field); ++i) {
          std::string value = reflection->GetRepeatedString(*message, field, i);
          RewireValue(&value, pool);
          reflection->SetRepeatedString(message, field, i, std::move(value));
        }
      } else {
        std::string value = reflection->GetString(*message, field);
        RewireValue(&value, pool);
        reflection->SetString(message, field, std::move(value));
      }
    } else if (field->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (field->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(*message, field); ++i) {
          RewireMessage(reflection->MutableRepeatedMessage(message, field, i), pool);
        }
      } else {
        RewireMessage(reflection->MutableMessage(message, field), pool);
      }
    }
  }
}

}  // namespace

FuzzWorld& FuzzWorld::Get() {
  static FuzzWorld* world = new FuzzWorld();
  return *world;
}

FuzzWorld::FuzzWorld() {
  for (char fill : {'F', 'B', 'C'}) {
    members_.push_back(std::make_unique<core::SigningKey>(testing::TestKey(fill)));
  }
  const core::SigningKey& founder = *members_[0];
  testing::HistoryBuilder history(founder, WorldCharter());
  core::Group group(history.group());
  auto put = [&](const core::SigningKey& author, const v1::Event& body) {
    core::VerifiedEvent e = history.Append(author, body);
    Must(group.CheckNext(e));
    Must(group.Insert(e).status());
    return e.id;
  };
  Must(group.Insert(history.genesis()).status());
  std::vector<const core::SigningKey*> writers = {&founder};
  for (size_t i = 1; i < members_.size(); ++i) {
    const core::SigningKey& invitee = *members_[i];
    core::EventId proposal = put(founder, testing::AdmitBody(invitee.public_key()));
    put(founder, testing::ProposalCloseBody(proposal));
    for (const core::SigningKey* w : writers) put(*w, testing::AcknowledgementBody({proposal}));
    put(invitee, testing::AcceptanceBody(proposal, i == 1 ? "Bea Collective" : "Cal Works"));
    writers.push_back(&invitee);
  }
  setup_.assign(history.events().begin(), history.events().end());
  group_ = std::make_unique<core::Group>(std::move(group));
}

std::unique_ptr<core::Group> FuzzWorld::FreshGroup() const {
  return std::make_unique<core::Group>(*group_);
}

void FuzzWorld::Rewire(google::protobuf::Message* message,
                       const std::vector<core::EventId>& written) const {
  std::vector<std::string> pool;
  for (const auto& member : members_) pool.push_back(member->public_key().Bytes());
  for (auto it = written.rbegin(); it != written.rend(); ++it) pool.push_back(it->Bytes());
  for (auto it = setup_.rbegin(); it != setup_.rend(); ++it) pool.push_back(it->id.Bytes());
  RewireMessage(message, pool);
}

absl::StatusOr<core::VerifiedEvent> FuzzWorld::Seal(const core::Group& group, uint8_t author,
                                                    const v1::Event& body,
                                                    uint64_t wall_ms) const {
  const core::SigningKey& key = Member(author);
  const core::Hlc last = group.state().last_hlc();
  core::Hlc hlc{std::max(wall_ms, last.wall_ms + 1), 0};
  v1::Event event = group.Draft(key.public_key(), hlc);
  v1::Event content = body;
  content.clear_format_version();
  content.clear_group_id();
  content.clear_author();
  content.clear_seq();
  content.clear_prev();
  content.clear_deps();
  content.clear_hlc();
  event.MergeFrom(content);
  return core::SealEvent(event, key);
}

std::vector<FuzzRecord> SplitRecords(const uint8_t* data, size_t size) {
  std::vector<FuzzRecord> records;
  size_t at = 0;
  while (at < size) {
    FuzzRecord record;
    record.tag = data[at++];
    size_t length = 0;
    if (at + 2 <= size) {
      length = data[at] | (size_t{data[at + 1]} << 8);
      at += 2;
    } else {
      at = size;
    }
    length = std::min(length, size - at);
    record.bytes.assign(reinterpret_cast<const char*>(data + at), length);
    at += length;
    records.push_back(std::move(record));
  }
  return records;
}

std::string JoinRecords(const std::vector<FuzzRecord>& records) {
  std::string out;
  for (const FuzzRecord& r : records) {
    out.push_back(static_cast<char>(r.tag));
    out.push_back(static_cast<char>(r.bytes.size() & 0xFF));
    out.push_back(static_cast<char>((r.bytes.size() >> 8) & 0xFF));
    out += r.bytes;
  }
  return out;
}

}  // namespace constellation::fuzz
