// Disk full (issue 11; docs/RELIABILITY.md, "Disk full"): a real node whose disk fills refuses
// writes UNAVAILABLE "disk full", keeps serving reads, and resumes writes by itself when space
// returns; nothing acknowledged is lost or duplicated, and a restart shows the same state.
// Two ways to fill the disk: RocksDB writing through FullDiskFileSystem (every machine), and a
// real tmpfs of a few MiB (only as root, which mounting needs).
#include <sys/mount.h>
#include <unistd.h>

#include <cerrno>
#include <chrono>
#include <cstring>
#include <fstream>
#include <map>
#include <memory>
#include <string>
#include <thread>
#include <vector>

#include <constellation/client.h>
#include <absl/strings/str_format.h>
#include <gmock/gmock.h>
#include <gtest/gtest.h>

#include "server/storage/store.h"
#include "tests/testing/full_disk.h"
#include "tests/testing/status_matchers.h"
#include "tests/testing/temp_dir.h"
#include "tests/testing/test_node.h"

namespace constellation {
namespace {

using ::constellation::testing::CampaignCharter;
using ::constellation::testing::FullDiskFileSystem;
using ::constellation::testing::StatusIs;
using ::constellation::testing::TempDir;
using ::constellation::testing::TestNode;
using ::testing::AllOf;
using ::testing::HasSubstr;

constexpr uint64_t kJan2027Ms = 1798761600000;  // 2027-01-01T00:00:00Z

// A client that does not retry UNAVAILABLE by itself: each call shows what the node answered.
std::unique_ptr<Client> SingleAttemptClient(const TestNode& node) {
  ClientOptions options;
  options.endpoint = node.endpoint();
  options.token = node.admin_token();
  options.max_attempts = 1;
  absl::StatusOr<std::unique_ptr<Client>> c = Client::Connect(options);
  EXPECT_TRUE(c.ok()) << c.status();
  return c.ok() ? *std::move(c) : nullptr;
}

PledgeTerms Terms(int64_t amount_minor, std::string note = "") {
  PledgeTerms t;
  t.amount = Money{amount_minor, "EUR"};
  t.note = std::move(note);
  return t;
}

// The pledges of `group`, counted by id (a count above 1 would be a duplicate).
std::map<std::string, int> PledgeCounts(Client& client, const std::string& group) {
  std::map<std::string, int> counts;
  absl::StatusOr<std::vector<Pledge>> pledges = client.ListPledges(group);
  EXPECT_TRUE(pledges.ok()) << pledges.status();
  if (pledges.ok()) {
    for (const Pledge& p : *pledges) ++counts[p.pledge_id];
  }
  return counts;
}

// Retries one write (same request_id, so at most one pledge results) until the node accepts
// it; every refusal must be "disk full". Polls: the node probes for space on its housekeeping
// tick. The bound only keeps a broken build from hanging.
absl::StatusOr<PledgeWrite> PledgeOnceSpaceReturns(Client& client, const std::string& group,
                                                   const std::string& campaign,
                                                   const std::string& request_id) {
  const auto give_up = std::chrono::steady_clock::now() + std::chrono::minutes(2);
  while (true) {
    absl::StatusOr<PledgeWrite> w =
        client.RecordPledge(group, campaign, Terms(700), WriteOptions{.request_id = request_id});
    // The SDK keeps the node's message at the start of its own.
    if (w.ok() || !storage::IsDiskFull(w.status()) ||
        std::chrono::steady_clock::now() > give_up) {
      return w;
    }
    std::this_thread::sleep_for(std::chrono::milliseconds(20));
  }
}

// A group with a campaign on `node`, written through `client`.
struct Campaign {
  std::string group;
  std::string campaign;
};
Campaign OpenCampaign(Client& client) {
  Campaign out;
  absl::StatusOr<GroupWrite> g = client.CreateGroup(CampaignCharter("Northside Food Partnership"));
  EXPECT_TRUE(g.ok()) << g.status();
  if (!g.ok()) return out;
  out.group = g->group.group_id;
  CampaignInput campaign;
  campaign.name = "Winter appeal";
  campaign.goal = Money{5'000'000, "EUR"};
  campaign.deadline_ms = kJan2027Ms;
  absl::StatusOr<CampaignWrite> c = client.OpenCampaign(out.group, campaign);
  EXPECT_TRUE(c.ok()) << c.status();
  if (c.ok()) out.campaign = c->campaign.campaign_id;
  return out;
}

class DiskFullTest : public ::testing::Test {
 protected:
  // A node in data_dir_ whose RocksDB writes through disk_.
  std::unique_ptr<TestNode> CreateNode() {
    return TestNode::Create(data_dir_, "Riverside Food Bank", nullptr, {.file_system = disk_});
  }

  TempDir dir_;
  const std::string data_dir_ = dir_.Sub("node");
  const std::shared_ptr<FullDiskFileSystem> disk_ = std::make_shared<FullDiskFileSystem>();
};

TEST_F(DiskFullTest, WritesAreRefusedUnavailableAndResumeWhenSpaceReturns) {
  const std::string& data_dir = data_dir_;
  FullDiskFileSystem* disk = disk_.get();
  std::unique_ptr<TestNode> node = CreateNode();
  ASSERT_NE(node, nullptr);
  std::unique_ptr<Client> client = SingleAttemptClient(*node);
  ASSERT_NE(client, nullptr);
  const Campaign c = OpenCampaign(*client);
  ASSERT_FALSE(c.campaign.empty());

  std::map<std::string, int> acknowledged;
  for (int i = 0; i < 5; ++i) {
    ASSERT_OK_AND_ASSIGN(PledgeWrite w, client->RecordPledge(c.group, c.campaign, Terms(100 + i)));
    ++acknowledged[w.pledge.pledge_id];
  }
  ASSERT_OK_AND_ASSIGN(Group before, client->GetGroup(c.group));

  disk->SetFull(true);
  // The write whose commit fails, then one refused at once by the read-only node.
  for (const char* request_id : {"refused-1", "refused-2"}) {
    EXPECT_THAT(client->RecordPledge(c.group, c.campaign, Terms(999),
                                     WriteOptions{.request_id = request_id}),
                StatusIs(absl::StatusCode::kUnavailable,
                         AllOf(HasSubstr("disk full"), HasSubstr("free space"),
                               HasSubstr(data_dir))));
  }
  // Reads are served, and show exactly the acknowledged writes.
  ASSERT_OK_AND_ASSIGN(Group during, client->GetGroup(c.group));
  EXPECT_EQ(during.state_hash, before.state_hash);
  EXPECT_EQ(during.event_count, before.event_count);
  EXPECT_EQ(PledgeCounts(*client, c.group), acknowledged);

  disk->SetFull(false);
  ASSERT_OK_AND_ASSIGN(PledgeWrite resumed,
                       PledgeOnceSpaceReturns(*client, c.group, c.campaign, "after-full"));
  ++acknowledged[resumed.pledge.pledge_id];
  ASSERT_OK_AND_ASSIGN(PledgeWrite more, client->RecordPledge(c.group, c.campaign, Terms(800)));
  ++acknowledged[more.pledge.pledge_id];
  // Every acknowledged write exactly once; the refused ones never reached the disk here.
  EXPECT_EQ(PledgeCounts(*client, c.group), acknowledged);
  ASSERT_OK_AND_ASSIGN(Group after, client->GetGroup(c.group));
  EXPECT_EQ(after.event_count, before.event_count + 2);

  // A restart shows the same state.
  node->Stop();
  ASSERT_OK(node->Start());
  client = SingleAttemptClient(*node);
  ASSERT_NE(client, nullptr);
  EXPECT_EQ(PledgeCounts(*client, c.group), acknowledged);
  ASSERT_OK_AND_ASSIGN(Group restarted, client->GetGroup(c.group));
  EXPECT_EQ(restarted.state_hash, after.state_hash);
}

TEST_F(DiskFullTest, StartOnAFullDiskSaysNoSpace) {
  const std::string& data_dir = data_dir_;
  FullDiskFileSystem* disk = disk_.get();
  std::unique_ptr<TestNode> node = CreateNode();
  ASSERT_NE(node, nullptr);
  std::string pledge;
  Campaign c;
  {
    std::unique_ptr<Client> client = SingleAttemptClient(*node);
    ASSERT_NE(client, nullptr);
    c = OpenCampaign(*client);
    ASSERT_OK_AND_ASSIGN(PledgeWrite w, client->RecordPledge(c.group, c.campaign, Terms(100)));
    pledge = w.pledge.pledge_id;
  }
  node->Stop();

  disk->SetFull(true);
  const absl::Status start = node->Start();
  EXPECT_THAT(start, StatusIs(absl::StatusCode::kUnavailable,
                              AllOf(HasSubstr("disk full"), HasSubstr("no space left on device"),
                                    HasSubstr(data_dir))));
  EXPECT_TRUE(storage::IsDiskFull(start)) << start;

  disk->SetFull(false);
  ASSERT_OK(node->Start());
  std::unique_ptr<Client> client = SingleAttemptClient(*node);
  ASSERT_NE(client, nullptr);
  EXPECT_EQ(PledgeCounts(*client, c.group), (std::map<std::string, int>{{pledge, 1}}));
}

// The same on a real file system that fills: a tmpfs of kTmpfsSizeBytes.
class TmpfsDisk {
 public:
  static constexpr int kTmpfsSizeBytes = 16 * 1024 * 1024;

  // Mounts a tmpfs at `path` (created); mounted() tells whether it worked, error() why not.
  explicit TmpfsDisk(const std::string& path) : path_(path) {
    std::filesystem::create_directories(path_);
    const std::string options = absl::StrFormat("size=%d", kTmpfsSizeBytes);
    if (::mount("tmpfs", path_.c_str(), "tmpfs", 0, options.c_str()) == 0) {
      mounted_ = true;
    } else {
      error_ = std::strerror(errno);
    }
  }
  ~TmpfsDisk() {
    if (mounted_) ::umount2(path_.c_str(), MNT_DETACH);
  }
  bool mounted() const { return mounted_; }
  const std::string& error() const { return error_; }

  // Fills the disk with the file `name` until a write fails for lack of space, then gives
  // `spare_bytes` back.
  void Fill(const std::string& name, uintmax_t spare_bytes = 0) {
    const std::string path = path_ + "/" + name;
    {
      std::ofstream out(path, std::ios::binary);
      const std::string chunk(4096, 'f');
      while (out.write(chunk.data(), chunk.size()) && out.flush()) {
      }
    }
    const uintmax_t size = std::filesystem::file_size(path);
    std::filesystem::resize_file(path, size > spare_bytes ? size - spare_bytes : 0);
  }

 private:
  std::string path_;
  bool mounted_ = false;
  std::string error_;
};

TEST_F(DiskFullTest, RealTmpfsFillsAndFreesWithoutLosingAcknowledgedWrites) {
  if (::geteuid() != 0) {
    GTEST_SKIP() << "mounting a tmpfs needs root; the FullDiskFileSystem tests above cover the "
                    "same behaviour without it";
  }
  const TempDir& dir = dir_;
  TmpfsDisk disk(dir.Sub("mnt"));
  if (!disk.mounted()) {
    GTEST_SKIP() << "cannot mount a tmpfs here (" << disk.error()
                 << "; a container without CAP_SYS_ADMIN?)";
  }
  const std::string data_dir = dir.Sub("mnt/node");
  std::unique_ptr<TestNode> node = TestNode::Create(data_dir, "Riverside Food Bank");
  ASSERT_NE(node, nullptr);
  std::unique_ptr<Client> client = SingleAttemptClient(*node);
  ASSERT_NE(client, nullptr);
  const Campaign c = OpenCampaign(*client);
  ASSERT_FALSE(c.campaign.empty());

  // Room for a few dozen writes, then the disk is full.
  disk.Fill("filler", 256 * 1024);
  std::map<std::string, int> acknowledged;
  int refused = 0;
  const std::string note(4000, 'n');
  for (int i = 0; i < 10'000 && refused == 0; ++i) {
    absl::StatusOr<PledgeWrite> w = client->RecordPledge(c.group, c.campaign, Terms(100, note));
    if (w.ok()) {
      ++acknowledged[w->pledge.pledge_id];
    } else {
      ASSERT_THAT(w.status(),
                  StatusIs(absl::StatusCode::kUnavailable,
                           AllOf(HasSubstr("disk full"), HasSubstr(data_dir))));
      ++refused;
    }
  }
  ASSERT_EQ(refused, 1) << "the disk never filled";
  EXPECT_FALSE(acknowledged.empty());
  EXPECT_THAT(client->RecordPledge(c.group, c.campaign, Terms(100)),
              StatusIs(absl::StatusCode::kUnavailable, HasSubstr("disk full")));
  EXPECT_EQ(PledgeCounts(*client, c.group), acknowledged);

  std::filesystem::remove(dir.Sub("mnt/filler"));
  ASSERT_OK_AND_ASSIGN(PledgeWrite resumed,
                       PledgeOnceSpaceReturns(*client, c.group, c.campaign, "after-full"));
  ++acknowledged[resumed.pledge.pledge_id];
  // The write refused by the failed commit may or may not have reached the disk (its WAL
  // record is replayed on reopen if whole); every acknowledged write is there exactly once.
  std::map<std::string, int> counts = PledgeCounts(*client, c.group);
  for (const auto& [id, n] : acknowledged) EXPECT_EQ(counts[id], 1) << id;
  EXPECT_LE(counts.size(), acknowledged.size() + 1);

  node->Stop();
  ASSERT_OK(node->Start());
  client = SingleAttemptClient(*node);
  ASSERT_NE(client, nullptr);
  EXPECT_EQ(PledgeCounts(*client, c.group), counts);

  // Start while the disk is full: a clear "no space" error naming the data directory.
  node->Stop();
  disk.Fill("filler");
  const absl::Status start = node->Start();
  EXPECT_TRUE(storage::IsDiskFull(start)) << start;
  EXPECT_THAT(start, StatusIs(absl::StatusCode::kUnavailable,
                              AllOf(HasSubstr("no space left on device"), HasSubstr(data_dir))));
  std::filesystem::remove(dir.Sub("mnt/filler"));
  ASSERT_OK(node->Start());
  client = SingleAttemptClient(*node);
  ASSERT_NE(client, nullptr);
  EXPECT_EQ(PledgeCounts(*client, c.group), counts);
  node->Stop();
}

}  // namespace
}  // namespace constellation
