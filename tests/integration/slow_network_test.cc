// Integration tests over a slow network: a real node in-process reached through a TcpProxy
// (tests/testing/tcp_proxy.h) that holds every new connection for 300 ms and every chunk for
// 300 ms each way, as a node on another continent (or behind a slow VPN) would be. The SDK, the
// real `constellation` binary and replication between nodes must all work over such a path.
#include <fcntl.h>
#include <spawn.h>
#include <sys/wait.h>
#include <unistd.h>

#include <fstream>
#include <sstream>
#include <string>
#include <vector>

#include <constellation/client.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "tests/testing/status_matchers.h"
#include "tests/testing/tcp_proxy.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/test_node.h"

extern char** environ;

namespace constellation {
namespace {

using ::constellation::testing::CampaignCharter;
using ::constellation::testing::TcpProxy;
using ::constellation::testing::TcpProxyDelays;
using ::constellation::testing::TempDir;
using ::constellation::testing::TestNode;
using ::testing::HasSubstr;

// A connection handshake takes at least 600 ms through this proxy (300 ms before the node sees
// the connection, then 300 ms for its SETTINGS frame to come back): gRPC 1.51 gave it 100 ms.
constexpr TcpProxyDelays kDistantNode = {.connection_delay_ms = 300, .chunk_delay_ms = 300};

int PortOf(const std::string& endpoint) {
  return std::stoi(endpoint.substr(endpoint.rfind(':') + 1));
}

// What a run of the `constellation` binary printed and how it ended.
struct CliRun {
  int exit_code = -1;
  std::string out;
  std::string err;
};

class SlowHandshakeTest : public ::testing::Test {
 protected:
  void SetUp() override {
    origin_ = TestNode::Create(dir_.Sub("origin"), "Riverside Food Bank");
    ASSERT_NE(origin_, nullptr);
    proxy_ = std::make_unique<TcpProxy>(PortOf(origin_->endpoint()), kDistantNode);
  }

  // An SDK client of the origin node, through the slow proxy.
  std::unique_ptr<Client> DistantClient() {
    ClientOptions options;
    options.endpoint = proxy_->endpoint();
    options.token = origin_->admin_token();
    absl::StatusOr<std::unique_ptr<Client>> client = Client::Connect(options);
    EXPECT_TRUE(client.ok()) << client.status();
    return client.ok() ? *std::move(client) : nullptr;
  }

  // Runs the real CLI binary with `args` against the origin node through the slow proxy, with
  // its own config file (never the user's), as a coordinator would from another continent.
  CliRun RunCli(const std::vector<std::string>& args) {
    std::vector<std::string> argv = {CONSTELLATION_CLI_PATH, "--endpoint", proxy_->endpoint(),
                                     "--token", origin_->admin_token()};
    argv.insert(argv.end(), args.begin(), args.end());
    std::vector<char*> argv_c;
    for (std::string& a : argv) argv_c.push_back(a.data());
    argv_c.push_back(nullptr);
    std::vector<std::string> env = {"CONSTELLATION_CONFIG=" + dir_.Sub("cli.toml")};
    for (char** e = environ; *e != nullptr; ++e) {
      if (std::string_view(*e).rfind("CONSTELLATION_", 0) != 0) env.emplace_back(*e);
    }
    std::vector<char*> env_c;
    for (std::string& e : env) env_c.push_back(e.data());
    env_c.push_back(nullptr);

    const std::string out_path = dir_.Sub("cli.out");
    const std::string err_path = dir_.Sub("cli.err");
    posix_spawn_file_actions_t actions;
    posix_spawn_file_actions_init(&actions);
    posix_spawn_file_actions_addopen(&actions, STDOUT_FILENO, out_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    posix_spawn_file_actions_addopen(&actions, STDERR_FILENO, err_path.c_str(),
                                     O_WRONLY | O_CREAT | O_TRUNC, 0600);
    pid_t pid = 0;
    const int spawned =
        posix_spawn(&pid, argv_c[0], &actions, nullptr, argv_c.data(), env_c.data());
    posix_spawn_file_actions_destroy(&actions);
    CliRun run;
    EXPECT_EQ(spawned, 0) << "cannot run " << argv_c[0];
    if (spawned != 0) return run;
    int status = 0;
    ::waitpid(pid, &status, 0);
    run.exit_code = WIFEXITED(status) ? WEXITSTATUS(status) : 128 + WTERMSIG(status);
    run.out = ReadFile(out_path);
    run.err = ReadFile(err_path);
    return run;
  }

  static std::string ReadFile(const std::string& path) {
    std::ifstream in(path);
    std::stringstream s;
    s << in.rdbuf();
    return s.str();
  }

  TempDir dir_;
  std::unique_ptr<TestNode> origin_;
  std::unique_ptr<TcpProxy> proxy_;
};

// Regression (slow handshakes fail): the SDK set GRPC_ARG_MIN_RECONNECT_BACKOFF_MS to 100 ms,
// which gRPC 1.51 also takes as the minimum connect timeout, so no call reached a node whose
// handshake took longer, whatever the call's deadline.
TEST_F(SlowHandshakeTest, SlowHandshakeSdkCallsReachADistantNode) {
  std::unique_ptr<Client> client = DistantClient();
  ASSERT_NE(client, nullptr);
  ASSERT_OK_AND_ASSIGN(NodeInfo info, client->GetNodeInfo());
  EXPECT_EQ(info.org_name, "Riverside Food Bank");
  CharterInput charter = CampaignCharter("Transatlantic Food Partnership");
  ASSERT_OK_AND_ASSIGN(GroupWrite created, client->CreateGroup(charter));

  // After the path breaks, the client reconnects through the slow handshake again.
  proxy_->SetCut(true);
  proxy_->SetCut(false);
  ASSERT_OK_AND_ASSIGN(Group group, client->GetGroup(created.group.group_id));
  EXPECT_EQ(group.charter.name, "Transatlantic Food Partnership");
}

// Regression (slow handshakes fail): every `constellation` command opens a new connection, so
// with the SDK's 100 ms connect timeout none reached a node whose handshake took longer.
TEST_F(SlowHandshakeTest, SlowHandshakeCliCommandsReachADistantNode) {
  CliRun info = RunCli({"node", "info", "-o", "json"});
  EXPECT_EQ(info.exit_code, 0) << info.err;
  EXPECT_THAT(info.out, HasSubstr("Riverside Food Bank"));

  CliRun create = RunCli({"group", "create", "--name", "Transatlantic Food Partnership"});
  EXPECT_EQ(create.exit_code, 0) << create.err;

  CliRun list = RunCli({"group", "list", "-o", "csv"});
  EXPECT_EQ(list.exit_code, 0) << list.err;
  EXPECT_THAT(list.out, HasSubstr("Transatlantic Food Partnership"));
}

// Regression (slow handshakes fail): the peer client set the same 100 ms minimum, so a node
// could not pull a group from a distant peer ("timed out before receiving SETTINGS frame").
TEST_F(SlowHandshakeTest, SlowHandshakePeerSyncPullsFromADistantNode) {
  std::unique_ptr<Client> origin_admin = origin_->NewClient();
  CharterInput charter = CampaignCharter("Transatlantic Food Partnership");
  ASSERT_OK_AND_ASSIGN(GroupWrite g, origin_admin->CreateGroup(charter));
  const std::string group = g.group.group_id;
  CampaignInput campaign;
  campaign.name = "Winter appeal";
  campaign.goal = Money{1'000'000, "EUR"};
  ASSERT_OK_AND_ASSIGN(CampaignWrite c, origin_admin->OpenCampaign(group, campaign));
  PledgeTerms terms;
  terms.amount = Money{2'500, "EUR"};
  ASSERT_OK(origin_admin->RecordPledge(group, c.campaign.campaign_id, terms).status());

  // A second node of the same org (as after a restore) pulls the group over the slow path.
  auto replica = TestNode::Create(dir_.Sub("replica"), "Riverside Food Bank", origin_.get());
  ASSERT_NE(replica, nullptr);
  std::unique_ptr<Client> replica_admin = replica->NewClient();
  ASSERT_OK_AND_ASSIGN(SyncResult result, replica_admin->SyncGroup(proxy_->endpoint(), group));
  EXPECT_EQ(result.inserted, 3u);  // charter, campaign, pledge
  ASSERT_OK_AND_ASSIGN(Group origin_view, origin_admin->GetGroup(group));
  EXPECT_EQ(result.state_hash, origin_view.state_hash);
  ASSERT_OK_AND_ASSIGN(Campaign pulled, replica_admin->GetCampaign(group, c.campaign.campaign_id));
  EXPECT_EQ(pulled.pledged_minor, 2'500);
}

}  // namespace
}  // namespace constellation
