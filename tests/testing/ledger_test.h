// tests/testing/ledger_test.h
//
// LedgerTest: the fixture of a domain ledger's unit tests (tests/unit/<domain>_ledger_test.cc).
// One group founded by `founder_` ('a') with the charter a test gives, written through a
// HistoryBuilder into a core::Group as a node would hold it; members join by ADMIT decisions
// (Admit: the charter needs an ADMIT rule the founder's close decides, e.g. consent). Every record
// goes through Put: the fold's verdict is what a local write of it answers, and a refused record
// must leave the domain's part of the state hash (the `part_hash` the test gives) unchanged and be
// listed among the rejected events. Every ledger's invariants are checked after every record.
// Thread safety: one test thread.
#pragma once

#include <string>
#include <vector>

#include <gtest/gtest.h>

#include "server/core/fold/group_state.h"
#include "server/core/governance/governance_ledger.h"
#include "server/core/group.h"
#include "tests/testing/event_factory.h"
#include "tests/testing/status_matchers.h"

namespace constellation::testing {

class LedgerTest : public ::testing::Test {
 protected:
  // The domain's part of the state hash, as hex (its HashInto on a StateHasher).
  using PartHash = std::string (*)(const core::GroupState& state);

  LedgerTest(const v1::Charter& charter, PartHash part_hash)
      : part_hash_(part_hash), history_(founder_, charter), group_(history_.group()) {
    EXPECT_OK(group_.Insert(history_.genesis()).status());
    writers_.push_back(&founder_);
  }

  const core::GroupState& state() const { return group_.state(); }

  // Inserts `e` and returns the fold's verdict (a local write's answer). A refused record
  // leaves the domain's state unchanged.
  absl::Status Put(const core::VerifiedEvent& e) {
    const std::string before = part_hash_(state());
    absl::Status verdict = group_.CheckNext(e);
    EXPECT_OK(group_.Insert(e).status());
    if (!verdict.ok()) {
      EXPECT_EQ(part_hash_(state()), before) << "a refused record changed the domain's state";
      EXPECT_TRUE(state().rejected_events().contains(e.id));
    }
    state().CheckInvariants();
    last_ = e.id;
    return verdict;
  }
  absl::Status Write(const core::SigningKey& author, const v1::Event& body) {
    return Put(history_.Append(author, body));
  }
  core::EventId Ok(const core::SigningKey& author, const v1::Event& body) {
    absl::Status s = Write(author, body);
    EXPECT_TRUE(s.ok()) << s;
    return last_;
  }

  // The founder proposes to admit `invitee` and closes the proposal; every writer acknowledges
  // it; the invitee accepts and becomes a writer.
  void Admit(const core::SigningKey& invitee) {
    core::EventId p = Ok(founder_, AdmitBody(invitee.public_key()));
    Ok(founder_, ProposalCloseBody(p));
    AckAll(p);
    Ok(invitee, AcceptanceBody(p));
    writers_.push_back(&invitee);
  }
  void AckAll(const core::EventId& p) {
    for (const core::SigningKey* w : writers_) Ok(*w, AcknowledgementBody({p}));
  }
  // `proposer` proposes `body`; every writer agrees; every writer acknowledges: the outcome
  // is final and passed.
  core::EventId Decide(const core::SigningKey& proposer, const v1::Event& body) {
    core::EventId p = Ok(proposer, body);
    for (const core::SigningKey* w : writers_) Ok(*w, StanceBody(p, v1::STANCE_CHOICE_AGREE));
    AckAll(p);
    EXPECT_TRUE(core::Governance(state()).proposals().at(p).outcome.final);
    return p;
  }

  const core::SigningKey founder_ = TestKey('a');
  const core::SigningKey bea_ = TestKey('b');
  const core::SigningKey cal_ = TestKey('c');
  const core::SigningKey outsider_ = TestKey('x');

 private:
  PartHash part_hash_;

 protected:
  HistoryBuilder history_;
  core::Group group_;
  core::EventId last_;
  std::vector<const core::SigningKey*> writers_;
};

}  // namespace constellation::testing
