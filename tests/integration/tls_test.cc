// TLS (issue 12, docs/OPERATIONS.md "TLS"): three real nodes whose server and peer calls use
// mutual TLS with certificates this test makes with Debian's openssl (tests/testing/
// test_certs.h) form a group by decision and converge; a client whose certificate another CA
// signed, or that presents none, is refused in the handshake, while one that trusts the CA and
// presents a certificate it signed is served.
#include <chrono>
#include <functional>
#include <thread>

#include <constellation/client.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/test_certs.h"
#include "tests/testing/test_node.h"

namespace constellation {
namespace {

using ::constellation::testing::CampaignCharter;
using ::constellation::testing::StatusIs;
using ::constellation::testing::TempDir;
using ::constellation::testing::TestCa;
using ::constellation::testing::TestCert;
using ::constellation::testing::TestNode;

// Replication is asynchronous: poll until `done` holds (at most 30 s).
bool Eventually(const std::function<bool()>& done) {
  const auto deadline = std::chrono::steady_clock::now() + std::chrono::seconds(30);
  while (std::chrono::steady_clock::now() < deadline) {
    if (done()) return true;
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
  return done();
}

class TlsTest : public ::testing::Test {
 protected:
  void SetUp() override {
    ASSERT_OK_AND_ASSIGN(TestCa ca, TestCa::Create(dir_.path(), "constellation"));
    ca_ = std::make_unique<TestCa>(std::move(ca));
    ASSERT_OK_AND_ASSIGN(client_cert_, ca_->Issue("member-system"));
  }

  // Mutual TLS on both sides, as docs/OPERATIONS.md recommends for peers.
  rpc::TlsOptions NodeTls(const std::string& name) {
    absl::StatusOr<TestCert> cert = ca_->Issue(name);
    EXPECT_TRUE(cert.ok()) << cert.status();
    rpc::TlsOptions tls;
    tls.cert_file = cert->cert_file;
    tls.key_file = cert->key_file;
    tls.client_ca_file = ca_->cert_file();
    tls.require_client_cert = true;
    tls.ca_file = ca_->cert_file();
    return tls;
  }

  std::unique_ptr<TestNode> StartNode(const std::string& name) {
    return TestNode::Create(dir_.Sub(name), name, nullptr, {}, NodeTls(name));
  }

  // What a member organisation's system sets to reach its node.
  ClientOptions TrustingClient() const {
    ClientOptions options;
    options.tls_ca_file = ca_->cert_file();
    options.tls_cert_file = client_cert_.cert_file;
    options.tls_key_file = client_cert_.key_file;
    return options;
  }

  TempDir dir_;
  std::unique_ptr<TestCa> ca_;
  TestCert client_cert_;
};

TEST_F(TlsTest, ThreeNodesReplicateOverMutualTls) {
  const std::vector<std::string> names = {"Riverside Food Bank", "Northside Shelter",
                                          "Eastgate Kitchen"};
  std::vector<std::unique_ptr<TestNode>> nodes;
  std::vector<std::unique_ptr<Client>> clients;
  std::vector<OrgCard> cards;
  for (const std::string& name : names) {
    nodes.push_back(StartNode(name));
    ASSERT_NE(nodes.back(), nullptr);
    clients.push_back(nodes.back()->NewClient("", TrustingClient()));
    ASSERT_OK_AND_ASSIGN(OrgCard card, clients.back()->GetOrgCard());
    cards.push_back(card);
  }
  CharterInput charter = CampaignCharter("Northside Food Partnership");
  charter.founder.endpoints = cards[0].endpoints;
  ASSERT_OK_AND_ASSIGN(GroupWrite created, clients[0]->CreateGroup(charter));
  const std::string group = created.group.group_id;

  // Each newcomer is admitted by every member so far, then joins through the last member's
  // node: every proposal, stance, acceptance and join crosses mutual-TLS peer links.
  for (size_t n = 1; n < nodes.size(); ++n) {
    // The proposer's node must count every member so far in the electorate.
    ASSERT_TRUE(Eventually([&] {
      absl::StatusOr<Group> g = clients[0]->GetGroup(group);
      size_t active = 0;
      for (const Member& m : g.ok() ? g->members : std::vector<Member>{}) {
        active += m.status == "active" ? 1 : 0;
      }
      return active == n;
    }));
    ProposalSpec spec;
    spec.decision_type = "admit";
    spec.title = "Admit " + cards[n].name;
    spec.admit = AdmitPayload{cards[n], "partner", "strategic", 0};
    ASSERT_OK_AND_ASSIGN(ProposalWrite proposal, clients[0]->Propose(group, spec));
    const std::string id = proposal.proposal.proposal_id;
    for (size_t voter = 0; voter < n; ++voter) {
      ASSERT_TRUE(Eventually([&] { return clients[voter]->GetProposal(group, id).ok(); }))
          << "the proposal never reached " << names[voter];
      ASSERT_OK(clients[voter]->CastStance(group, id, "agree").status());
    }
    ASSERT_TRUE(Eventually([&] {
      absl::StatusOr<Proposal> view = clients[0]->GetProposal(group, id);
      return view.ok() && view->final && view->outcome == "passed";
    })) << "admission of " << names[n] << " never passed";
    ASSERT_OK_AND_ASSIGN(
        JoinResult joined,
        clients[n]->JoinGroup(group, cards[n - 1].endpoints[0],
                              MemberProfile{"", "", "", 0, cards[n].endpoints}));
    EXPECT_GT(joined.sync.inserted, 0u);
  }

  // A pledge on every node; all three converge to one state hash with all pledges.
  CampaignInput campaign;
  campaign.name = "Winter appeal";
  campaign.goal = Money{5'000'000, "EUR"};
  ASSERT_TRUE(Eventually([&] {
    absl::StatusOr<Group> g = clients[0]->GetGroup(group);
    return g.ok() && g->members.size() == 3;
  }));
  ASSERT_OK_AND_ASSIGN(CampaignWrite opened, clients[0]->OpenCampaign(group, campaign));
  const std::string campaign_id = opened.campaign.campaign_id;
  for (size_t n = 0; n < nodes.size(); ++n) {
    ASSERT_TRUE(Eventually([&] { return clients[n]->GetCampaign(group, campaign_id).ok(); }));
    PledgeTerms terms;
    terms.amount = Money{static_cast<int64_t>(10'000 * (n + 1)), "EUR"};
    ASSERT_OK(clients[n]->RecordPledge(group, campaign_id, terms).status());
  }
  // "pledged state-hash" as node n sees the group.
  auto state = [&](size_t n) {
    absl::StatusOr<Campaign> c = clients[n]->GetCampaign(group, campaign_id);
    absl::StatusOr<Group> g = clients[n]->GetGroup(group);
    if (!c.ok() || !g.ok()) return std::string("unavailable");
    return absl::StrFormat("%d %s", c->pledged_minor, g->state_hash);
  };
  const bool converged = Eventually([&] {
    const std::string first = state(0);
    return first.rfind("60000 ", 0) == 0 && first == state(1) && first == state(2);
  });
  EXPECT_TRUE(converged) << state(0) << " | " << state(1) << " | " << state(2);
}

TEST_F(TlsTest, ClientsMustTrustTheNodeAndPresentACertificateItsCaSigned) {
  std::unique_ptr<TestNode> node = StartNode("Riverside Food Bank");
  ASSERT_NE(node, nullptr);
  ASSERT_OK_AND_ASSIGN(TestCa rogue, TestCa::Create(dir_.Sub(""), "rogue"));
  ASSERT_OK_AND_ASSIGN(TestCert intruder, rogue.Issue("intruder"));

  // Trusting the node's CA and presenting a certificate it signed: served.
  ASSERT_OK(node->NewClient("", TrustingClient())->GetOrgCard().status());

  // A certificate signed by another CA: refused in the handshake.
  ClientOptions untrusted = TrustingClient();
  untrusted.tls_cert_file = intruder.cert_file;
  untrusted.tls_key_file = intruder.key_file;
  EXPECT_THAT(node->NewClient("", untrusted)->GetOrgCard(),
              StatusIs(absl::StatusCode::kUnavailable));

  // No client certificate at all, while the node requires one: refused.
  ClientOptions no_certificate;
  no_certificate.tls_ca_file = ca_->cert_file();
  EXPECT_THAT(node->NewClient("", no_certificate)->GetOrgCard(),
              StatusIs(absl::StatusCode::kUnavailable));

  // A client that trusts another CA does not accept the node's certificate.
  ClientOptions wrong_ca = TrustingClient();
  wrong_ca.tls_ca_file = rogue.cert_file();
  EXPECT_THAT(node->NewClient("", wrong_ca)->GetOrgCard(),
              StatusIs(absl::StatusCode::kUnavailable));

  // Plaintext against a TLS node: refused.
  EXPECT_THAT(node->NewClient()->GetOrgCard(), StatusIs(absl::StatusCode::kUnavailable));
}

TEST_F(TlsTest, ServerTlsWithoutClientCertificatesServesAnyClientThatTrustsIt) {
  ASSERT_OK_AND_ASSIGN(TestCert cert, ca_->Issue("node"));
  rpc::TlsOptions tls;
  tls.cert_file = cert.cert_file;
  tls.key_file = cert.key_file;
  std::unique_ptr<TestNode> node =
      TestNode::Create(dir_.Sub("node-data"), "Riverside Food Bank", nullptr, {}, tls);
  ASSERT_NE(node, nullptr);
  ClientOptions ca_only;
  ca_only.tls_ca_file = ca_->cert_file();
  ASSERT_OK_AND_ASSIGN(OrgCard card, node->NewClient("", ca_only)->GetOrgCard());
  EXPECT_EQ(card.name, "Riverside Food Bank");
  // The SDK refuses files it cannot use before connecting.
  ClientOptions missing = ca_only;
  missing.tls_ca_file = dir_.Sub("missing.pem");
  missing.endpoint = node->endpoint();
  EXPECT_THAT(Client::Connect(missing), StatusIs(absl::StatusCode::kNotFound));
}

}  // namespace
}  // namespace constellation
