// tests/testing/test_node.h
//
// TestNode: a real constellationd node in-process (real RocksDB in a temp directory, real gRPC
// server on 127.0.0.1:0) for integration tests, with SDK clients pointed at it.
#pragma once

#include <filesystem>
#include <memory>
#include <string>

#include <constellation/client.h>
#include <absl/strings/str_format.h>
#include <gtest/gtest.h>

#include "server/app/init.h"
#include "server/app/node.h"

namespace constellation::testing {

// A charter named `name` whose OPEN_CAMPAIGN rule lets a member open a campaign alone
// (docs/PROTOCOL.md §5.11.1), as the CLI's default charter does.
inline CharterInput CampaignCharter(const std::string& name) {
  CharterInput charter;
  charter.name = name;
  DecisionRule open_campaign;
  open_campaign.decision_type = "open_campaign";
  open_campaign.process = "consent";
  open_campaign.member_acts_alone = true;
  charter.decision_rules.push_back(open_campaign);
  // Write-offs of pledges are decided by consent (docs/PROTOCOL.md §5.10.7); without this rule
  // the charter allows none.
  DecisionRule write_off;
  write_off.decision_type = "write_off";
  write_off.process = "consent";
  charter.decision_rules.push_back(write_off);
  return charter;
}

class TestNode {
 public:
  // Initialises a data directory in `dir` (which must not hold a node yet) and starts the node.
  // With `same_org_as`, the node gets that node's org key: a second node of the same org (as
  // after a restore from backup). `store` configures its RocksDB store (tests inject a file
  // system that fills up, full_disk.h). `tls` configures TLS (rpc/tls.h; default plaintext).
  static std::unique_ptr<TestNode> Create(const std::string& dir, const std::string& name,
                                          const TestNode* same_org_as = nullptr,
                                          storage::RocksStoreOptions store = {},
                                          rpc::TlsOptions tls = {}) {
    app::InitOptions init;
    init.data_dir = dir;
    init.org_name = name;
    init.listen = "127.0.0.1:0";
    absl::StatusOr<app::InitResult> r = app::InitDataDir(init);
    EXPECT_TRUE(r.ok()) << r.status();
    if (!r.ok()) return nullptr;
    if (same_org_as != nullptr) {
      std::filesystem::copy_file(same_org_as->dir_ + "/org.key", dir + "/org.key",
                                 std::filesystem::copy_options::overwrite_existing);
      r->org_key = same_org_as->org_key();
    }
    auto node = std::unique_ptr<TestNode>(new TestNode(dir, name, *r));
    node->store_ = std::move(store);
    node->tls_ = std::move(tls);
    absl::Status s = node->Start();
    EXPECT_TRUE(s.ok()) << s;
    return s.ok() ? std::move(node) : nullptr;
  }

  ~TestNode() { Stop(); }

  // Starts the node: the first time on a free port, later on the same port again (its
  // endpoint is in the group profiles other nodes replicate to). Replication and housekeeping
  // run on short intervals so that tests converge in well under a second.
  absl::Status Start() {
    app::NodeOptions options;
    options.data_dir = dir_;
    options.org_name = name_;
    options.listen_address = port_ == 0 ? "127.0.0.1:0" : absl::StrFormat("127.0.0.1:%d", port_);
    options.anti_entropy_interval_ms = kAntiEntropyIntervalMs;
    options.housekeeping_interval_ms = kHousekeepingIntervalMs;
    options.store = store_;
    options.tls = tls_;
    absl::StatusOr<std::unique_ptr<app::Node>> node = app::Node::Open(options);
    if (!node.ok()) return node.status();
    if (absl::Status s = (*node)->Start(); !s.ok()) return s;
    node_ = *std::move(node);
    port_ = node_->port();
    return absl::OkStatus();
  }

  static constexpr uint64_t kAntiEntropyIntervalMs = 200;
  static constexpr uint64_t kHousekeepingIntervalMs = 50;

  // Graceful shutdown; the data directory stays.
  void Stop() {
    if (node_) node_->Shutdown();
    node_.reset();
  }

  std::string endpoint() const { return node_->address(); }
  const std::string& admin_token() const { return init_.admin_token; }
  const core::OrgKey& org_key() const { return init_.org_key; }

  // An SDK client with `token` (the admin token by default), connecting with `tls` (the
  // tls_* fields of ClientOptions; plaintext by default).
  std::unique_ptr<Client> NewClient(const std::string& token = "",
                                    const ClientOptions& tls = {}) const {
    ClientOptions options = tls;
    options.endpoint = endpoint();
    options.token = token.empty() ? init_.admin_token : token;
    absl::StatusOr<std::unique_ptr<Client>> c = Client::Connect(options);
    EXPECT_TRUE(c.ok()) << c.status();
    return c.ok() ? *std::move(c) : nullptr;
  }

 private:
  TestNode(std::string dir, std::string name, app::InitResult init)
      : dir_(std::move(dir)), name_(std::move(name)), init_(std::move(init)) {}

  std::string dir_;
  std::string name_;
  app::InitResult init_;
  storage::RocksStoreOptions store_;
  rpc::TlsOptions tls_;
  std::unique_ptr<app::Node> node_;
  int port_ = 0;
};

}  // namespace constellation::testing
