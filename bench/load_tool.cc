// bench/load_tool.cc: constellation-load, a load generator that drives a running constellationd
// through the public SDK (constellation::Client) the way an evaluator would: N threads, each with
// its own Client, bounded in operations and in time (issue 10; bench/compare/run.sh runs it
// beside PostgreSQL's pgbench and prints the ratios).
//
//   constellation-load --endpoint HOST:PORT (--token TOKEN | --token-file FILE)
//                      [--mode write|batch|query|fill] [--clients N] [--count N] [--seconds S]
//                      [--group ID] [--campaign ID] [--batch-size N] [--page-size N] [--expect N]
//
// Modes:
//   write  each client records pledges (RecordPledge: the node fsyncs its batch before it
//          answers), every one with its own request id, until --count or --seconds.
//   batch  each client records batches of --batch-size pledges (RecordPledges: bulk ingest, one
//          call and one commit per batch); an operation is one batch, and `items` counts the
//          pledges recorded.
//   fill   the same writes as `write`, bounded by --count first (default 10,000; --seconds
//          3600): it sets up data for the query mode.
//   query  each client reads one campaign's pledges, every page, again and again
//          (ListPledges; with --page-size, ListPledgesPage with that page size).
// Without --group the tool founds a group whose charter lets a member open campaigns alone;
// without --campaign it opens a campaign in the group. It prints the ids it used to stderr and
// in its result: one line of JSON on stdout.
//
// Latencies are those of the operations that succeeded (one RecordPledge, one batch, or one
// whole list of every page), kept per thread and merged at the end; percentiles are nearest-rank.
// Errors are counted and the first is printed to stderr.
// Exit codes: 0 at least one operation succeeded, 1 every operation failed (or none ran),
// 2 usage error or failed setup.
#include <algorithm>
#include <atomic>
#include <cerrno>
#include <chrono>
#include <cmath>
#include <cstdint>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <iostream>
#include <latch>
#include <memory>
#include <mutex>
#include <string>
#include <thread>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <constellation/client.h>

namespace constellation::load {
namespace {

using Clock = std::chrono::steady_clock;

// Limits on the flags: a typo must not start a run that never ends or a thousand threads.
constexpr int kClientsMax = 256;
constexpr int64_t kSecondsMax = 86'400;
constexpr int64_t kCountMax = 100'000'000;
constexpr int64_t kPageSizeMax = 1'000;  // the node's kListPageSizeMax
constexpr int64_t kBatchSizeMax = 500;   // the node's kPledgeBatchCountMax

constexpr char kUsageText[] =
    R"(constellation-load - drives a running constellationd through the SDK and prints one line
of JSON: mode, clients, ops, errors, seconds, ops_per_s, p50_ms, p90_ms, p99_ms, max_ms,
items (pledges recorded or read), items_per_s, group, campaign.

Usage:
  constellation-load --endpoint HOST:PORT (--token TOKEN | --token-file FILE) [flags]

Flags:
  --endpoint HOST:PORT  the node (plaintext; loopback)
  --token TOKEN         an admin token (or --token-file FILE holding it)
  --mode MODE           write (default): durable RecordPledge calls, each with its own
                        request id; batch: RecordPledges calls of --batch-size pledges;
                        fill: as write, bounded by --count first (set-up data);
                        query: one campaign's pledges, every page, in a loop
  --clients N           concurrent clients, one thread and one Client each (default 1, max 256)
  --count N             total operations, over all clients (default 1000000; fill: 10000)
  --seconds S           time bound, whichever of --count and --seconds comes first
                        (default 10; fill: 3600)
  --group ID            use this group (hex) instead of founding one
  --campaign ID         use this campaign (hex) instead of opening one in the group
  --batch-size N        batch: pledges per call (1..500, default 100)
  --page-size N         query: read with ListPledgesPage pages of N (1..1000) instead of
                        ListPledges (the node's default page)
  --expect N            query: count a list that does not hold exactly N pledges as an error
  --help                this text

Exit codes: 0 at least one operation succeeded, 1 every operation failed, 2 usage or setup.
)";

enum class Mode { kWrite, kBatch, kQuery, kFill };

struct Flags {
  std::string endpoint;
  std::string token;
  Mode mode = Mode::kWrite;
  int clients = 1;
  int64_t count = -1;    // -1: the mode's default
  int64_t seconds = -1;  // -1: the mode's default
  std::string group_id;
  std::string campaign_id;
  int64_t batch_size = 100;
  int64_t page_size = 0;  // 0: ListPledges
  int64_t expect_count = -1;
};

const char* ModeName(Mode mode) {
  switch (mode) {
    case Mode::kWrite:
      return "write";
    case Mode::kBatch:
      return "batch";
    case Mode::kQuery:
      return "query";
    case Mode::kFill:
      return "fill";
  }
  return "?";
}

[[noreturn]] void UsageError(const std::string& what) {
  std::cerr << "constellation-load: " << what << " (--help lists the flags)\n";
  std::exit(2);
}

[[noreturn]] void SetupError(const std::string& what, const absl::Status& status) {
  std::cerr << "constellation-load: " << what << ": " << status << "\n";
  std::exit(2);
}

// Parses a whole decimal integer in [low, high], or exits with a usage error naming the flag.
int64_t ParseInteger(const std::string& flag, const std::string& text, int64_t low, int64_t high) {
  char* end = nullptr;
  errno = 0;
  const long long value = std::strtoll(text.c_str(), &end, 10);
  if (text.empty() || errno != 0 || *end != '\0' || value < low || value > high) {
    UsageError(flag + " must be an integer from " + std::to_string(low) + " to " +
               std::to_string(high) + ", not \"" + text + "\"");
  }
  return value;
}

Flags ParseFlags(int argc, char** argv) {
  Flags flags;
  std::string token_file;
  for (int i = 1; i < argc; ++i) {
    const std::string name = argv[i];
    if (name == "--help" || name == "-h") {
      std::cout << kUsageText;
      std::exit(0);
    }
    if (i + 1 >= argc) UsageError(name + " needs a value");
    const std::string value = argv[++i];
    if (name == "--endpoint") {
      flags.endpoint = value;
    } else if (name == "--token") {
      flags.token = value;
    } else if (name == "--token-file") {
      token_file = value;
    } else if (name == "--mode") {
      if (value == "write") {
        flags.mode = Mode::kWrite;
      } else if (value == "batch") {
        flags.mode = Mode::kBatch;
      } else if (value == "query") {
        flags.mode = Mode::kQuery;
      } else if (value == "fill") {
        flags.mode = Mode::kFill;
      } else {
        UsageError("--mode must be write, batch, query or fill, not \"" + value + "\"");
      }
    } else if (name == "--clients") {
      flags.clients = static_cast<int>(ParseInteger(name, value, 1, kClientsMax));
    } else if (name == "--count") {
      flags.count = ParseInteger(name, value, 0, kCountMax);
    } else if (name == "--seconds") {
      flags.seconds = ParseInteger(name, value, 1, kSecondsMax);
    } else if (name == "--group") {
      flags.group_id = value;
    } else if (name == "--campaign") {
      flags.campaign_id = value;
    } else if (name == "--batch-size") {
      flags.batch_size = ParseInteger(name, value, 1, kBatchSizeMax);
    } else if (name == "--page-size") {
      flags.page_size = ParseInteger(name, value, 1, kPageSizeMax);
    } else if (name == "--expect") {
      flags.expect_count = ParseInteger(name, value, 0, kCountMax);
    } else {
      UsageError("unknown flag " + name);
    }
  }
  if (!token_file.empty()) {
    std::ifstream in(token_file);
    if (!(in >> flags.token)) UsageError("cannot read a token from " + token_file);
  }
  if (flags.endpoint.empty()) UsageError("--endpoint is required");
  if (flags.token.empty()) UsageError("--token or --token-file is required");
  if (!flags.campaign_id.empty() && flags.group_id.empty()) {
    UsageError("--campaign needs the --group it belongs to");
  }
  const bool fill = flags.mode == Mode::kFill;
  if (flags.count < 0) flags.count = fill ? 10'000 : 1'000'000;
  if (flags.seconds < 0) flags.seconds = fill ? 3'600 : 10;
  return flags;
}

std::unique_ptr<Client> Connect(const Flags& flags) {
  ClientOptions options;
  options.endpoint = flags.endpoint;
  options.token = flags.token;
  absl::StatusOr<std::unique_ptr<Client>> client = Client::Connect(options);
  if (!client.ok()) SetupError("cannot make a client for " + flags.endpoint, client.status());
  return *std::move(client);
}

// The minimal charter under which the node's own org may open a campaign alone (as the
// integration tests' CampaignCharter; docs/PROTOCOL.md §5.11.1).
CharterInput LoadCharter() {
  CharterInput charter;
  charter.name = "Load partnership";
  DecisionRule open_campaign;
  open_campaign.decision_type = "open_campaign";
  open_campaign.process = "consent";
  open_campaign.member_acts_alone = true;
  charter.decision_rules.push_back(open_campaign);
  return charter;
}

// Founds the group and opens the campaign the flags do not name.
void SetUp(Client& client, Flags& flags) {
  if (flags.group_id.empty()) {
    absl::StatusOr<GroupWrite> group = client.CreateGroup(LoadCharter());
    if (!group.ok()) SetupError("cannot found a group", group.status());
    flags.group_id = group->group.group_id;
  }
  if (flags.campaign_id.empty()) {
    CampaignInput campaign;
    campaign.name = "Load appeal";
    campaign.goal = Money{1'000'000'000'000, "EUR"};
    absl::StatusOr<CampaignWrite> opened = client.OpenCampaign(flags.group_id, campaign);
    if (!opened.ok()) SetupError("cannot open a campaign in " + flags.group_id, opened.status());
    flags.campaign_id = opened->campaign.campaign_id;
  }
  std::cerr << "constellation-load: group " << flags.group_id << " campaign " << flags.campaign_id
            << "\n";
}

// What one client thread saw.
struct ThreadResult {
  std::vector<double> latencies_ms;  // of the operations that succeeded
  int64_t error_count = 0;
  int64_t item_count = 0;  // query: pledges read; batch: pledges recorded
};

// Shared by the client threads.
struct RunState {
  std::atomic<int64_t> next_op{0};  // operations claimed so far, against --count
  Clock::time_point deadline;
  std::once_flag first_error;
};

// One query operation: every page of the campaign's pledges. Returns how many were read.
absl::StatusOr<int64_t> ReadCampaign(Client& client, const Flags& flags) {
  if (flags.page_size == 0) {
    absl::StatusOr<std::vector<Pledge>> pledges =
        client.ListPledges(flags.group_id, flags.campaign_id);
    if (!pledges.ok()) return pledges.status();
    return static_cast<int64_t>(pledges->size());
  }
  int64_t item_count = 0;
  PageOptions page;
  page.page_size = static_cast<uint32_t>(flags.page_size);
  do {
    absl::StatusOr<Page<Pledge>> next =
        client.ListPledgesPage(flags.group_id, flags.campaign_id, 0, page);
    if (!next.ok()) return next.status();
    item_count += static_cast<int64_t>(next->items.size());
    page.page_token = std::move(next->next_page_token);
  } while (!page.page_token.empty());
  return item_count;
}

void RunClient(int thread_index, const std::string& run_id, const Flags& flags, Client& client,
               std::latch& start, RunState& state, ThreadResult& result) {
  PledgeTerms terms;
  terms.amount = Money{100, "EUR"};
  terms.note = "load pledge";
  start.arrive_and_wait();
  for (int64_t op_index = 0;; ++op_index) {
    if (state.next_op.fetch_add(1) >= flags.count || Clock::now() >= state.deadline) break;
    const Clock::time_point began = Clock::now();
    absl::Status status;
    if (flags.mode == Mode::kQuery) {
      absl::StatusOr<int64_t> read = ReadCampaign(client, flags);
      if (!read.ok()) {
        status = read.status();
      } else if (flags.expect_count >= 0 && *read != flags.expect_count) {
        status = absl::FailedPreconditionError("the list held " + std::to_string(*read) +
                                               " pledges, not the " +
                                               std::to_string(flags.expect_count) + " expected");
      } else {
        result.item_count += *read;
      }
    } else if (flags.mode == Mode::kBatch) {
      std::vector<PledgeInput> batch(flags.batch_size);
      for (int64_t i = 0; i < flags.batch_size; ++i) {
        batch[i].campaign_id = flags.campaign_id;
        batch[i].terms = terms;
        batch[i].request_id = run_id + "-" + std::to_string(thread_index) + "-" +
                              std::to_string(op_index) + "-" + std::to_string(i);
      }
      absl::StatusOr<std::vector<EventRef>> recorded = client.RecordPledges(flags.group_id, batch);
      status = recorded.status();
      if (recorded.ok()) result.item_count += static_cast<int64_t>(recorded->size());
    } else {
      // A request id of its own per write: the node would answer a repeated id with the
      // original event instead of writing again.
      WriteOptions write;
      write.request_id =
          run_id + "-" + std::to_string(thread_index) + "-" + std::to_string(op_index);
      status = client.RecordPledge(flags.group_id, flags.campaign_id, terms, write).status();
    }
    const std::chrono::duration<double, std::milli> took = Clock::now() - began;
    if (status.ok()) {
      result.latencies_ms.push_back(took.count());
    } else {
      ++result.error_count;
      std::call_once(state.first_error, [&] {
        std::cerr << "constellation-load: first error (client " << thread_index << "): " << status
                  << "\n";
      });
    }
  }
}

// Nearest-rank percentile of sorted values; 0 when there are none.
double Percentile(const std::vector<double>& sorted, double fraction) {
  if (sorted.empty()) return 0;
  const double rank = std::ceil(fraction * static_cast<double>(sorted.size()));
  return sorted[std::clamp<size_t>(static_cast<size_t>(rank), 1, sorted.size()) - 1];
}

int Main(int argc, char** argv) {
  Flags flags = ParseFlags(argc, argv);
  std::unique_ptr<Client> setup_client = Connect(flags);
  SetUp(*setup_client, flags);

  // One Client per thread, each connected (an untimed call) before the clock starts, so that
  // the run measures calls, not connection set-up.
  std::vector<std::unique_ptr<Client>> clients;
  for (int i = 0; i < flags.clients; ++i) {
    clients.push_back(Connect(flags));
    absl::StatusOr<NodeInfo> info = clients.back()->GetNodeInfo();
    if (!info.ok()) SetupError("cannot reach " + flags.endpoint, info.status());
  }

  const std::string run_id = "load-" + NewRequestId().substr(0, 12);
  RunState state;
  std::vector<ThreadResult> results(flags.clients);
  std::latch start(flags.clients + 1);
  std::vector<std::thread> threads;
  for (int i = 0; i < flags.clients; ++i) {
    threads.emplace_back(RunClient, i, std::cref(run_id), std::cref(flags), std::ref(*clients[i]),
                         std::ref(start), std::ref(state), std::ref(results[i]));
  }
  const Clock::time_point began = Clock::now();
  state.deadline = began + std::chrono::seconds(flags.seconds);
  start.count_down();  // the deadline is set before any thread reads it
  for (std::thread& thread : threads) thread.join();
  const std::chrono::duration<double> elapsed = Clock::now() - began;

  std::vector<double> latencies_ms;
  int64_t error_count = 0;
  int64_t item_count = 0;
  for (ThreadResult& result : results) {
    latencies_ms.insert(latencies_ms.end(), result.latencies_ms.begin(), result.latencies_ms.end());
    error_count += result.error_count;
    item_count += result.item_count;
  }
  std::sort(latencies_ms.begin(), latencies_ms.end());
  const int64_t op_count = static_cast<int64_t>(latencies_ms.size());
  const double seconds = elapsed.count();
  std::printf(
      "{\"mode\":\"%s\",\"clients\":%d,\"ops\":%lld,\"errors\":%lld,\"seconds\":%.3f,"
      "\"ops_per_s\":%.1f,\"p50_ms\":%.3f,\"p90_ms\":%.3f,\"p99_ms\":%.3f,\"max_ms\":%.3f,"
      "\"items\":%lld,\"items_per_s\":%.1f,\"group\":\"%s\",\"campaign\":\"%s\"}\n",
      ModeName(flags.mode), flags.clients, static_cast<long long>(op_count),
      static_cast<long long>(error_count), seconds,
      seconds > 0 ? static_cast<double>(op_count) / seconds : 0.0, Percentile(latencies_ms, 0.50),
      Percentile(latencies_ms, 0.90), Percentile(latencies_ms, 0.99),
      latencies_ms.empty() ? 0.0 : latencies_ms.back(), static_cast<long long>(item_count),
      seconds > 0 ? static_cast<double>(item_count) / seconds : 0.0, flags.group_id.c_str(),
      flags.campaign_id.c_str());
  std::fflush(stdout);
  return op_count > 0 ? 0 : 1;
}

}  // namespace
}  // namespace constellation::load

int main(int argc, char** argv) { return constellation::load::Main(argc, argv); }
