// tests/integration/three_org_cluster.h
//
// ThreeOrgCluster: the fixture of the domain integration tests. Three real nodes in-process
// (RocksDB, gRPC on 127.0.0.1:0), one per org ("Harbour Trust", "Tide Lab", "Dune Keepers"),
// each with an SDK client; A founds a group (with the charter rules a test adds, CharterRules)
// and admits B and C by decision, each joining through A's node; every node then holds the
// same state hash. Helpers decide proposals, wait for replication and compare state hashes.
// Thread safety: one test thread.
#pragma once

#include <chrono>
#include <functional>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <constellation/client.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/test_node.h"

namespace constellation::testing {

// Polls `done` every 20 ms until it holds or `timeout` passes; its last answer.
inline bool Eventually(const std::function<bool()>& done,
                       std::chrono::milliseconds timeout = std::chrono::seconds(30)) {
  const auto deadline = std::chrono::steady_clock::now() + timeout;
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

struct Org {
  std::unique_ptr<TestNode> node;
  std::unique_ptr<Client> client;
  std::string key;
};

class ThreeOrgCluster : public ::testing::Test {
 protected:
  void SetUp() override {
    for (const char* name : {"Harbour Trust", "Tide Lab", "Dune Keepers"}) {
      Org org;
      org.node = TestNode::Create(dir_.Sub(name), name);
      ASSERT_NE(org.node, nullptr);
      org.client = org.node->NewClient();
      ASSERT_OK_AND_ASSIGN(OrgCard card, org.client->GetOrgCard());
      org.key = card.key;
      orgs_.push_back(std::move(org));
    }
    FormGroup();
  }

  // The decision rules of the charter the group is founded with (besides the defaults).
  virtual std::vector<DecisionRule> CharterRules() const { return {}; }

  Org& a() { return orgs_[0]; }
  Org& b() { return orgs_[1]; }  // the fiscal host
  Org& c() { return orgs_[2]; }
  std::vector<Org*> all() { return {&a(), &b(), &c()}; }

  OrgCard CardOf(Org& org) {
    absl::StatusOr<OrgCard> card = org.client->GetOrgCard();
    EXPECT_TRUE(card.ok()) << card.status();
    card->endpoints = {org.node->endpoint()};
    return *card;
  }

  // `proposer` proposes `spec`; every member in `voters` agrees; returns the proposal id once
  // the outcome is final on every node.
  std::string Decide(Org& proposer, const ProposalSpec& spec, const std::vector<Org*>& voters) {
    absl::StatusOr<ProposalWrite> p = proposer.client->Propose(group_, spec);
    EXPECT_TRUE(p.ok()) << p.status();
    if (!p.ok()) return "";
    const std::string id = p->proposal.proposal_id;
    for (Org* voter : voters) {
      EXPECT_TRUE(Eventually([&] { return voter->client->GetProposal(group_, id).ok(); }));
      EXPECT_OK(voter->client->CastStance(group_, id, "agree").status());
    }
    for (Org* voter : voters) {
      EXPECT_TRUE(Eventually([&] {
        absl::StatusOr<Proposal> view = voter->client->GetProposal(group_, id);
        return view.ok() && view->final;
      })) << "proposal "
          << id << " never became final";
    }
    return id;
  }

  void FormGroup() {
    CharterInput charter;
    charter.name = "Estuary Partnership";
    charter.founder.endpoints = {a().node->endpoint()};
    charter.decision_rules = CharterRules();
    ASSERT_OK_AND_ASSIGN(GroupWrite g, a().client->CreateGroup(charter));
    group_ = g.group.group_id;
    std::vector<Org*> voters = {&a()};
    for (Org* invitee : {&b(), &c()}) {
      ProposalSpec spec;
      spec.decision_type = "admit";
      spec.title = "Admit " + CardOf(*invitee).name;
      spec.admit = AdmitPayload{CardOf(*invitee), "partner", "strategic", 0};
      Decide(a(), spec, voters);
      ASSERT_OK(invitee->client
                    ->JoinGroup(group_, a().node->endpoint(),
                                MemberProfile{"", "", "", 0, {invitee->node->endpoint()}})
                    .status());
      voters.push_back(invitee);
      // The next proposal's electorate is what A's node has seen: wait for the acceptance.
      ASSERT_TRUE(Eventually([&] {
        absl::StatusOr<Group> g = a().client->GetGroup(group_);
        return g.ok() && g->members.size() == voters.size();
      }));
    }
    ExpectConverged();
  }

  std::string StateHash(Org& org) {
    absl::StatusOr<Group> g = org.client->GetGroup(group_);
    return g.ok() ? g->state_hash : "unavailable: " + g.status().ToString();
  }

  // The seq of `author`'s latest event in `org`'s view: a write by `author` that was refused
  // stored nothing when it stays the same (the state hash also moves with other members'
  // events, which replication delivers meanwhile).
  uint64_t LastSeq(Org& org, const std::string& author) {
    absl::StatusOr<Group> g = org.client->GetGroup(group_);
    if (!g.ok()) return 0;
    for (const Member& m : g->members) {
      if (m.key == author) return m.last_seq;
    }
    return 0;
  }

  void ExpectConverged() {
    const bool converged = Eventually([&] {
      const std::string h = StateHash(a());
      return h == StateHash(b()) && h == StateHash(c());
    });
    EXPECT_TRUE(converged) << "state hashes: " << StateHash(a()) << " " << StateHash(b()) << " "
                           << StateHash(c());
  }

  TempDir dir_;
  std::vector<Org> orgs_;
  std::string group_;
};

}  // namespace constellation::testing
