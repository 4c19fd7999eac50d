// crash_driver: the load and check sides of the crash harness (scripts/crash-harness.sh,
// docs/RELIABILITY.md "Crash harness"), built on the SDK only, as a member's system would be.
//
//   crash_driver load  --endpoint E --token T --group G --campaign C --journal FILE
//                      --prefix P [--clients N] [--pause-ms MS]
//       N client threads (default 4) write to the group until SIGTERM or SIGINT: pledges,
//       amendments and cancellations of their own pledges, each with its own request id
//       "P-tI-N", each thread pausing MS (default 0) between writes. A write that fails with a
//       transport error (the node was killed) is retried with the same request id until the node
//       answers, and a retried write is sent once more afterwards: both answers must name the same
//       event (idempotency, DESIGN §5). Every acknowledged write is appended to FILE at once
//       (flushed):
//         ack REQUEST_ID EVENT_ID KIND ATTEMPTS
//         replay REQUEST_ID EVENT_ID
//       After the stop signal each thread finishes the write it has started (waiting at most
//       kDrainSecondsMax for the node), then the driver exits: 0, or 1 after an unexpected
//       error (printed).
//
//   crash_driver check --endpoint E --token T --group G --journal FILE [--journal FILE]...
//       Reads the group's events from the node (GroupEvents) and checks that every journaled
//       acknowledged write is there exactly once with the event id it was acknowledged with,
//       that no request id appears twice, and that each author's events have seq 1, 2, ... in
//       canonical order. Prints one summary line and then "state_hash H" (GetGroup's hash, to
//       compare with `constellationd verify`). Exit 0 when nothing is lost or duplicated.
//
// Thread safety: the journal is shared by the load threads behind a mutex.
#include <csignal>
#include <cstdio>
#include <cstdlib>
#include <fstream>
#include <functional>
#include <map>
#include <memory>
#include <optional>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <absl/status/statusor.h>
#include <absl/strings/str_format.h>
#include <absl/synchronization/mutex.h>
#include <absl/time/clock.h>
#include <absl/time/time.h>
#include <constellation/client.h>

namespace constellation::crash {
namespace {

// How long a thread keeps retrying its started write after the stop signal.
constexpr int kDrainSecondsMax = 120;
// Pause between attempts while the node is down.
constexpr absl::Duration kRetryPause = absl::Milliseconds(100);

volatile std::sig_atomic_t stop_requested = 0;
void RequestStop(int) { stop_requested = 1; }

struct Flags {
  std::string command;
  std::map<std::string, std::vector<std::string>> values;

  std::string Get(const std::string& name, const std::string& fallback = "") const {
    auto it = values.find(name);
    return it == values.end() ? fallback : it->second.back();
  }
};

std::optional<Flags> ParseFlags(int argc, char** argv) {
  if (argc < 2) return std::nullopt;
  Flags flags;
  flags.command = argv[1];
  for (int i = 2; i + 1 < argc; i += 2) {
    std::string name = argv[i];
    if (name.rfind("--", 0) != 0) return std::nullopt;
    flags.values[name.substr(2)].push_back(argv[i + 1]);
  }
  if (argc % 2 != 0) return std::nullopt;
  return flags;
}

// A write may be retried with its request id whatever became of the first attempt: these are
// the codes a killed or restarting node produces.
bool IsTransportError(const absl::Status& status) {
  switch (status.code()) {
    case absl::StatusCode::kUnavailable:
    case absl::StatusCode::kDeadlineExceeded:
    case absl::StatusCode::kUnknown:
    case absl::StatusCode::kCancelled:
    case absl::StatusCode::kAborted:
      return true;
    default:
      return false;
  }
}

class Journal {
 public:
  explicit Journal(const std::string& path) : file_(std::fopen(path.c_str(), "a")) {}
  ~Journal() {
    if (file_ != nullptr) std::fclose(file_);
  }
  bool ok() const { return file_ != nullptr; }
  void Append(const std::string& line) {
    absl::MutexLock lock(&mu_);
    std::fprintf(file_, "%s\n", line.c_str());
    std::fflush(file_);
  }

 private:
  absl::Mutex mu_;
  std::FILE* file_ ABSL_GUARDED_BY(mu_);
};

struct LoadConfig {
  ClientOptions client;
  std::string group, campaign, prefix;
  absl::Duration pause;  // between two writes of a thread
};

// One client thread of `load`. Returns false after an unexpected error (printed).
class Writer {
 public:
  Writer(const LoadConfig& config, int index, Journal* journal)
      : config_(config), index_(index), journal_(journal) {}

  bool Run() {
    absl::StatusOr<std::unique_ptr<Client>> client = Client::Connect(config_.client);
    if (!client.ok()) return Fail("connect", client.status());
    client_ = *std::move(client);
    for (uint64_t n = 0; !stop_requested; ++n) {
      if (!WriteOne(n)) return false;
      absl::SleepFor(config_.pause);
    }
    return true;
  }

 private:
  // Chooses the next write from the thread's live pledge: a new pledge, an amendment (with
  // exact terms, so that a retry is the same write) or a cancellation.
  bool WriteOne(uint64_t n) {
    const std::string request_id = absl::StrFormat("%s-t%d-%d", config_.prefix, index_, n);
    WriteOptions write{.request_id = request_id};
    terms_.amount = Money{static_cast<int64_t>(100 + (n * 37) % 9900), "EUR"};
    terms_.note = absl::StrFormat("crash harness write %s", request_id);
    std::string kind;
    std::function<absl::StatusOr<PledgeWrite>()> call;
    if (pledge_id_.empty() || n % 4 == 3) {
      kind = "pledge";
      call = [&] { return client_->RecordPledge(config_.group, config_.campaign, terms_, write); };
    } else if (n % 4 == 2) {
      kind = "cancel";
      call = [&] { return client_->CancelPledge(config_.group, pledge_id_, "harness", write); };
    } else {
      kind = "amend";
      call = [&] {
        return client_->AmendPledge(config_.group, pledge_id_, terms_, "harness", write);
      };
    }
    int attempts = 0;
    absl::StatusOr<PledgeWrite> result = Acknowledge(call, &attempts);
    if (!result.ok()) return Fail(kind + " " + request_id, result.status());
    const std::string event_id = result->event.event_id;
    journal_->Append(absl::StrFormat("ack %s %s %s %d", request_id, event_id, kind, attempts));
    if (attempts > 1) {
      // The write spanned an outage: the same request again must name the same event.
      absl::StatusOr<PledgeWrite> again = Acknowledge(call, &attempts);
      if (!again.ok()) return Fail("replay " + request_id, again.status());
      journal_->Append(absl::StrFormat("replay %s %s", request_id, again->event.event_id));
      if (again->event.event_id != event_id) {
        return Fail("replay " + request_id,
                    absl::DataLossError(absl::StrFormat("a retry answered event %s, not %s",
                                                        again->event.event_id, event_id)));
      }
    }
    pledge_id_ = kind == "cancel" ? "" : result->pledge.pledge_id;
    return true;
  }

  // Calls `call` until it does not fail with a transport error; after the stop signal, for at
  // most kDrainSecondsMax.
  absl::StatusOr<PledgeWrite> Acknowledge(const std::function<absl::StatusOr<PledgeWrite>()>& call,
                                          int* attempts) {
    std::optional<absl::Time> drain_deadline;
    while (true) {
      ++*attempts;
      absl::StatusOr<PledgeWrite> result = call();
      if (result.ok() || !IsTransportError(result.status())) return result;
      if (stop_requested && !drain_deadline) {
        drain_deadline = absl::Now() + absl::Seconds(kDrainSecondsMax);
      }
      if (drain_deadline && absl::Now() > *drain_deadline) return result.status();
      absl::SleepFor(kRetryPause);
    }
  }

  bool Fail(const std::string& what, const absl::Status& status) {
    std::fprintf(stderr, "crash_driver: client %d: %s: %s\n", index_, what.c_str(),
                 status.ToString().c_str());
    return false;
  }

  const LoadConfig& config_;
  const int index_;
  Journal* journal_;
  std::unique_ptr<Client> client_;
  PledgeTerms terms_;
  std::string pledge_id_;  // the thread's live pledge ("" = none)
};

int Load(const Flags& flags, const ClientOptions& client) {
  LoadConfig config{client, flags.Get("group"), flags.Get("campaign"), flags.Get("prefix"),
                    absl::Milliseconds(std::atoi(flags.Get("pause-ms", "0").c_str()))};
  const int clients = std::atoi(flags.Get("clients", "4").c_str());
  if (config.group.empty() || config.campaign.empty() || config.prefix.empty() || clients < 1) {
    std::fprintf(stderr, "crash_driver load: needs --group, --campaign, --prefix, --journal\n");
    return 2;
  }
  Journal journal(flags.Get("journal"));
  if (!journal.ok()) {
    std::fprintf(stderr, "crash_driver load: cannot open the journal '%s'\n",
                 flags.Get("journal").c_str());
    return 1;
  }
  std::signal(SIGTERM, RequestStop);
  std::signal(SIGINT, RequestStop);
  std::vector<std::thread> threads;
  std::vector<char> ok(clients, 0);
  for (int i = 0; i < clients; ++i) {
    threads.emplace_back([&, i] { ok[i] = Writer(config, i, &journal).Run(); });
  }
  for (std::thread& t : threads) t.join();
  for (char each : ok) {
    if (!each) return 1;
  }
  return 0;
}

struct Acknowledged {
  std::string event_id, kind;
  int attempts = 0;
};

int Check(const Flags& flags, const ClientOptions& options) {
  const std::string group = flags.Get("group");
  // Every acknowledged write of every journal, and the replays' answers.
  std::map<std::string, Acknowledged> acknowledged;
  std::vector<std::pair<std::string, std::string>> replays;
  auto journals = flags.values.find("journal");
  if (group.empty() || journals == flags.values.end()) {
    std::fprintf(stderr, "crash_driver check: needs --group and --journal\n");
    return 2;
  }
  int problems = 0;
  auto problem = [&](const std::string& message) {
    if (++problems <= 20) std::fprintf(stderr, "crash_driver check: %s\n", message.c_str());
  };
  for (const std::string& path : journals->second) {
    std::ifstream in(path);
    std::string line;
    while (std::getline(in, line)) {
      std::istringstream fields(line);
      std::string type, request_id, event_id;
      fields >> type >> request_id >> event_id;
      if (type == "ack") {
        Acknowledged a{event_id, "", 0};
        fields >> a.kind >> a.attempts;
        if (!acknowledged.emplace(request_id, a).second) {
          problem("request id " + request_id + " acknowledged twice in the journals");
        }
      } else if (type == "replay") {
        replays.emplace_back(request_id, event_id);
      }
    }
  }

  absl::StatusOr<std::unique_ptr<Client>> client = Client::Connect(options);
  if (!client.ok()) {
    std::fprintf(stderr, "crash_driver check: %s\n", client.status().ToString().c_str());
    return 1;
  }
  absl::StatusOr<GroupEventStream> stream = (*client)->GroupEvents(group);
  if (!stream.ok()) {
    std::fprintf(stderr, "crash_driver check: %s\n", stream.status().ToString().c_str());
    return 1;
  }
  std::map<std::string, std::vector<std::string>> events_by_request;
  std::map<std::string, uint64_t> last_seq_by_author;
  uint64_t events = 0;
  GroupEventEntry entry;
  while (true) {
    absl::StatusOr<bool> next = stream->Next(&entry);
    if (!next.ok()) {
      std::fprintf(stderr, "crash_driver check: %s\n", next.status().ToString().c_str());
      return 1;
    }
    if (!*next) break;
    ++events;
    if (!entry.request_id.empty()) events_by_request[entry.request_id].push_back(entry.event_id);
    uint64_t& last_seq = last_seq_by_author[entry.author];
    if (entry.seq != last_seq + 1) {
      problem(
          absl::StrFormat("author %s: seq %d follows seq %d", entry.author, entry.seq, last_seq));
    }
    last_seq = entry.seq;
  }

  uint64_t lost = 0, duplicated = 0, retried = 0;
  for (const auto& [request_id, ack] : acknowledged) {
    if (ack.attempts > 1) ++retried;
    auto it = events_by_request.find(request_id);
    if (it == events_by_request.end()) {
      ++lost;
      problem("lost: " + request_id + " (acknowledged as event " + ack.event_id + ")");
    } else if (it->second.front() != ack.event_id) {
      ++lost;
      problem("changed: " + request_id + " is event " + it->second.front() + ", acknowledged " +
              ack.event_id);
    }
  }
  for (const auto& [request_id, ids] : events_by_request) {
    if (ids.size() > 1) {
      ++duplicated;
      problem(absl::StrFormat("duplicated: %s appears %d times", request_id, ids.size()));
    }
  }
  for (const auto& [request_id, event_id] : replays) {
    auto it = acknowledged.find(request_id);
    if (it == acknowledged.end() || it->second.event_id != event_id) {
      problem("replay of " + request_id + " answered another event " + event_id);
    }
  }
  absl::StatusOr<Group> view = (*client)->GetGroup(group);
  if (!view.ok()) {
    std::fprintf(stderr, "crash_driver check: %s\n", view.status().ToString().c_str());
    return 1;
  }
  absl::PrintF(
      "check: %zu acknowledged writes checked (%d retried across a kill, %zu replays), %d lost, "
      "%d duplicated; %d events, %zu authors' chains contiguous\n",
      acknowledged.size(), retried, replays.size(), lost, duplicated, events,
      last_seq_by_author.size());
  absl::PrintF("state_hash %s\n", view->state_hash.c_str());
  return problems == 0 ? 0 : 1;
}

int Main(int argc, char** argv) {
  std::optional<Flags> flags = ParseFlags(argc, argv);
  if (!flags || (flags->command != "load" && flags->command != "check")) {
    std::fprintf(stderr,
                 "usage: crash_driver load|check --endpoint E --token T --group G ... "
                 "(see tests/crash/crash_driver.cc)\n");
    return 2;
  }
  ClientOptions client;
  client.endpoint = flags->Get("endpoint");
  client.token = flags->Get("token");
  return flags->command == "load" ? Load(*flags, client) : Check(*flags, client);
}

}  // namespace
}  // namespace constellation::crash

int main(int argc, char** argv) { return constellation::crash::Main(argc, argv); }
