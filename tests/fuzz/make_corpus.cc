// tests/fuzz/make_corpus.cc
//
// Writes the seed corpus of the fuzz targets (tests/fuzz/corpus/<target>/): short, valid
// inputs that reach deep into each target, so that fuzzing starts from real histories rather
// than from noise. Deterministic: the same files on every run (keys from fixed seeds, fixed
// clocks). Run it after a change to the record formats and commit the result:
//   build/tests/fuzz/fuzz_make_corpus tests/fuzz/corpus
// References inside fold and federation seeds use the targets' rewiring convention
// (fuzz_world.h): a one-byte value k names pool entry k (0..2 the members' keys, 3 the latest
// event of the input, 4 the one before, ...).
#include <cstdio>
#include <filesystem>
#include <fstream>
#include <functional>
#include <string>
#include <vector>

#include <google/protobuf/descriptor.h>
#include <google/protobuf/reflection.h>

#include "server/core/codec.h"
#include "server/core/federation_auth.h"
#include "tests/fuzz/fuzz_world.h"
#include "tests/testing/event_factory.h"
#include "tests/testing/pooled_events.h"

namespace constellation::fuzz {
namespace {

namespace fs = std::filesystem;
using google::protobuf::FieldDescriptor;
using google::protobuf::Message;
using namespace constellation::testing;

// An id of 32 copies of `k`: a placeholder that Shorten turns into the one-byte reference k.
core::EventId Ref(int k) {
  std::array<uint8_t, 32> bytes;
  bytes.fill(static_cast<uint8_t>(k));
  return core::EventId::FromArray(bytes);
}

// Replaces every placeholder (32 identical bytes below 64) by its one-byte reference.
void Shorten(Message* message) {
  const auto* reflection = message->GetReflection();
  std::vector<const FieldDescriptor*> fields;
  reflection->ListFields(*message, &fields);
  auto shorten = [](std::string value) {
    if (value.size() == 32 && static_cast<uint8_t>(value[0]) < 64 &&
        value == std::string(32, value[0])) {
      return value.substr(0, 1);
    }
    return value;
  };
  for (const FieldDescriptor* f : fields) {
    if (f->type() == FieldDescriptor::TYPE_BYTES) {
      if (f->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(*message, f); ++i) {
          reflection->SetRepeatedString(message, f, i,
                                        shorten(reflection->GetRepeatedString(*message, f, i)));
        }
      } else {
        reflection->SetString(message, f, shorten(reflection->GetString(*message, f)));
      }
    } else if (f->cpp_type() == FieldDescriptor::CPPTYPE_MESSAGE) {
      if (f->is_repeated()) {
        for (int i = 0; i < reflection->FieldSize(*message, f); ++i) {
          Shorten(reflection->MutableRepeatedMessage(message, f, i));
        }
      } else {
        Shorten(reflection->MutableMessage(message, f));
      }
    }
  }
}

// A fold input under construction. Add returns the event's number; RefTo(n) is the reference
// to event n as seen by the next event.
class FoldSeed {
 public:
  int Add(int author, int step, v1::Event body) {
    Shorten(&body);
    records_.push_back({static_cast<uint8_t>(author | (step << 2)), body.SerializeAsString()});
    return count_++;
  }
  core::EventId RefTo(int n) const { return Ref(3 + (count_ - 1 - n)); }
  core::OrgKey Key(int member) const { return FuzzWorld::Get().Member(member).public_key(); }
  std::string Bytes() const { return JoinRecords(records_); }

  // A decision on `proposal` (event number) that every member agrees to and acknowledges.
  void Agree(int proposal) {
    for (int m = 0; m < 3; ++m) Add(m, 0, StanceBody(RefTo(proposal), v1::STANCE_CHOICE_AGREE));
    for (int m = 0; m < 3; ++m) Add(m, 0, AcknowledgementBody({RefTo(proposal)}));
  }

 private:
  std::vector<FuzzRecord> records_;
  int count_ = 0;
};

void Write(const fs::path& dir, const std::string& name, const std::string& bytes) {
  fs::create_directories(dir);
  std::ofstream(dir / name, std::ios::binary) << bytes;
}

void FoldSeeds(const fs::path& dir) {
  {
    FoldSeed s;
    int c = s.Add(0, 0, CampaignBody(TestCampaign(1'000'000)));
    int p = s.Add(1, 1, PledgeBody(s.RefTo(c), TestTerms(50'000)));
    s.Add(0, 1, PaymentBody(s.RefTo(p), 20'000));
    s.Add(1, 2, AmendmentBody(s.RefTo(p), TestTerms(60'000)));
    int q = s.Add(2, 0, PledgeBody(s.RefTo(c), TestTerms(30'000)));
    s.Add(2, 3, CancellationBody(s.RefTo(q)));
    Write(dir, "campaign_pledge_payment_amend_cancel", s.Bytes());
  }
  {
    FoldSeed s;
    int c = s.Add(0, 0, CampaignBody(TestCampaign(1'000'000)));
    int p = s.Add(1, 0,
                  PledgeBody(s.RefTo(c), TestTermsWithInstallments(
                                             {{1'000 + 3'600'000, 10'000}, {1'000 + 7'200'000, 10'000}})));
    int w = s.Add(0, 8, WriteOffProposalBody(s.RefTo(p), 10'000));
    s.Agree(w);
    s.Add(0, 1, WriteOffBody(s.RefTo(p), s.RefTo(w), 10'000));
    Write(dir, "installments_overdue_write_off", s.Bytes());
  }
  {
    FoldSeed s;
    v1::Fund fund = TestFund(s.Key(0));
    int f = s.Add(0, 0, CreateFundProposalBody(fund));
    s.Agree(f);
    int fund_event = s.Add(0, 0, FundBody(fund, s.RefTo(f)));
    core::EventId fund_ref = s.RefTo(fund_event);
    int cash = s.Add(1, 0, CashContributionBody(100'000, "EUR", &fund_ref));
    s.Add(0, 0, ReceiptBody(s.RefTo(cash), 100'000));
    s.Add(2, 0, StaffTimeBody(2'500, 8'500, v1::VALUATION_METHOD_STANDARD_RATE));
    int d = s.Add(2, 0, DrawdownBody(s.RefTo(fund_event), 40'000, s.Key(2)));
    s.Agree(d);
    s.Add(0, 0, DisbursementBody(s.RefTo(d), 40'000));
    Write(dir, "fund_contribution_receipt_drawdown_disbursement", s.Bytes());
  }
  {
    FoldSeed s;
    int e = s.Add(0, 0, ExpelBody(s.Key(1)));
    s.Add(0, 0, StanceBody(s.RefTo(e), v1::STANCE_CHOICE_AGREE));
    s.Add(2, 0, StanceBody(s.RefTo(e), v1::STANCE_CHOICE_BLOCK, "not without a hearing"));
    s.Add(2, 4, NoticeBody(0, "refocusing"));
    s.Add(2, 10, WithdrawalBody("leaving"));
    s.Add(1, 0, PulseCheckBody(3));
    Write(dir, "expel_blocked_notice_withdrawal", s.Bytes());
  }
}

void DecodeSeeds(const fs::path& dir) {
  const FuzzWorld& world = FuzzWorld::Get();
  for (size_t i = 0; i < world.setup().size(); i += 3) {
    Write(dir, "signed_event_" + std::to_string(i), std::string(1, '\0') +
                                                        world.setup()[i].SerializeSigned());
  }
  v1::Event pledge = PledgeBody(world.setup().front().id, TestTerms(50'000));
  pledge.set_group_id(world.setup().front().group.Bytes());
  pledge.set_seq(1);
  pledge.mutable_hlc()->set_wall_ms(5'000);
  Write(dir, "event_to_seal", std::string(1, '\1') + pledge.SerializeAsString());
}

void FederationSeeds(const fs::path& dir) {
  const FuzzWorld& world = FuzzWorld::Get();
  std::unique_ptr<core::Group> group = world.FreshGroup();
  std::vector<FuzzRecord> records;
  records.push_back({0, group->Frontier().SerializeAsString()});
  const core::Hlc hlc{group->state().last_hlc().wall_ms + 1, 0};
  v1::Event next = group->Draft(world.Member(1).public_key(), hlc);
  *next.mutable_pulse_check() = PulseCheckBody(4).pulse_check();
  records.push_back({1, next.SerializeAsString()});
  v1::Event conflicting = next;
  conflicting.mutable_pulse_check()->set_alignment(1);
  records.push_back({1, conflicting.SerializeAsString()});
  Write(dir, "frontier_next_event_fork", JoinRecords(records));

  v1::Event a = group->Draft(world.Member(2).public_key(), hlc);
  *a.mutable_pulse_check() = PulseCheckBody(5).pulse_check();
  v1::Event b = a;
  b.mutable_pulse_check()->set_alignment(2);
  absl::StatusOr<core::VerifiedEvent> sa = core::SealEvent(a, world.Member(2));
  absl::StatusOr<core::VerifiedEvent> sb = core::SealEvent(b, world.Member(2));
  if (sa.ok() && sb.ok()) {
    Write(dir, "fork_proof",
          JoinRecords({{2, core::MakeForkProof(*sa, *sb).SerializeAsString()}}));
  }
  const std::string request = "push";
  core::CallCredentials c = core::SignCall(world.Member(1), "PushEvents", hlc.wall_ms,
                                           std::string(16, 'n'), request);
  Write(dir, "call_credentials",
        JoinRecords({{3, absl::StrFormat("%s\n%d\n%s\n%s\n%s", c.caller.Hex(), c.timestamp_ms,
                                         c.nonce_hex, c.signature_hex, request)}}));
}

void CliSeeds(const fs::path& dir) {
  auto args = [](std::vector<std::string> words) {
    std::string out(1, '\0');
    for (size_t i = 0; i < words.size(); ++i) out += (i ? std::string(1, '\0') : "") + words[i];
    return out;
  };
  Write(dir, "args_pledge_record",
        args({"pledge", "record", "--group", "ab12", "--campaign", "cd34", "--amount", "1250.50",
              "--currency", "EUR", "--installments", "3", "--every", "month", "-o", "json"}));
  Write(dir, "args_group_create",
        args({"group", "create", "--name", "Northside", "--rule", "admit=consent",
              "--standard-rate", "staff_time=85.00 EUR/hour", "--help"}));
  Write(dir, "config",
        std::string(1, '\1') +
            "current = \"riverside\"\n[contexts.riverside]\nendpoint = \"127.0.0.1:7400\"\n"
            "token = \"ctok_abc\"\n");
  Write(dir, "money", std::string(1, '\2') + "1250.50 EUR");
  Write(dir, "date", std::string(1, '\3') + "2027-01-31T10:00:00+01:00");
  Write(dir, "installment", std::string(1, '\4') + "2027-01-31=100.00");
  Write(dir, "restriction", std::string(1, '\5') + "time:2027-06-30");
  Write(dir, "timeout", std::string(1, '\6') + "1m30s");
}

}  // namespace
}  // namespace constellation::fuzz

int main(int argc, char** argv) {
  using namespace constellation::fuzz;
  if (argc != 2) {
    std::fprintf(stderr, "usage: fuzz_make_corpus DIR   (writes DIR/<target>/...)\n");
    return 2;
  }
  const fs::path root(argv[1]);
  FoldSeeds(root / "fold");
  DecodeSeeds(root / "event_decode");
  FederationSeeds(root / "federation");
  CliSeeds(root / "cli");
  std::printf("fuzz_make_corpus: wrote the seeds under %s\n", argv[1]);
  return 0;
}
