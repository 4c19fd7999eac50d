// bench/unread_streams.cc: the resident memory of a real constellationd while a client holds
// many server streams open without reading them, and after it closes them (issue 11; figures in
// docs/RELIABILITY.md "Concurrent calls and memory").
//
//   unread_streams --daemon build/server/app/constellationd [--streams 800] [--tokens 1]
//                  [--pledges 600] [--note-bytes 1024] [--window-bytes 65536]
//                  [--gdb-trim 1]
//
// Initialises a node in a temporary directory, runs the daemon as a child process, records
// `--pledges` pledges with notes of `--note-bytes`, creates `--tokens` auditor tokens, then
// opens `--streams` StreamPledgeHistory streams spread over the tokens (one channel per token,
// a fixed client window of `--window-bytes`, default 64 KiB), reads the first item of each and
// stops reading. Prints the daemon's VmRSS before, with the streams open, and after they are
// cancelled, and its VmHWM.
#include <signal.h>
#include <sys/wait.h>
#include <unistd.h>

#include <chrono>
#include <cstdio>
#include <cstdlib>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <memory>
#include <sstream>
#include <string>
#include <thread>
#include <vector>

#include <constellation/client.h>
#include <grpcpp/grpcpp.h>

#include "constellation/v1/client.grpc.pb.h"
#include "server/core/ids.h"

namespace {

using constellation::Client;

std::string Flag(const std::map<std::string, std::string>& flags, const std::string& name,
                 const std::string& fallback) {
  auto it = flags.find(name);
  return it == flags.end() ? fallback : it->second;
}

[[noreturn]] void Die(const std::string& what) {
  std::cerr << "unread_streams: " << what << "\n";
  std::exit(1);
}

// The daemon's VmRSS or VmHWM in KiB.
long ProcKib(pid_t pid, const std::string& field) {
  std::ifstream in("/proc/" + std::to_string(pid) + "/status");
  std::string line;
  while (std::getline(in, line)) {
    if (line.rfind(field + ":", 0) == 0)
      return std::strtol(line.c_str() + field.size() + 1, nullptr, 10);
  }
  return -1;
}

}  // namespace

int main(int argc, char** argv) {
  std::map<std::string, std::string> flags;
  for (int i = 1; i + 1 < argc; i += 2) flags[std::string(argv[i]).substr(2)] = argv[i + 1];
  const std::string daemon = Flag(flags, "daemon", "build/server/app/constellationd");
  const int streams = std::stoi(Flag(flags, "streams", "800"));
  const int tokens = std::stoi(Flag(flags, "tokens", "1"));
  const int pledges = std::stoi(Flag(flags, "pledges", "600"));
  const size_t note_bytes = std::stoul(Flag(flags, "note-bytes", "1024"));

  char tmpl[] = "/tmp/unread_streams.XXXXXX";
  if (mkdtemp(tmpl) == nullptr) Die("mkdtemp failed");
  const std::string dir = tmpl;
  const std::string init = "'" + daemon + "' init --data-dir " + dir + "/node --name Bench" +
                           " --listen 127.0.0.1:0 --admin-token-file " + dir + "/admin.token" +
                           " > /dev/null";
  if (std::system(init.c_str()) != 0) Die("init failed: " + init);

  const pid_t pid = fork();
  if (pid == 0) {
    const std::string port_file = dir + "/port";
    execl(daemon.c_str(), daemon.c_str(), "run", "--data-dir", (dir + "/node").c_str(), "--listen",
          "127.0.0.1:0", "--port-file", port_file.c_str(), static_cast<char*>(nullptr));
    _exit(127);
  }
  std::string port;
  for (int i = 0; i < 600 && port.empty(); ++i) {
    std::this_thread::sleep_for(std::chrono::milliseconds(100));
    std::ifstream in(dir + "/port");
    std::getline(in, port);
  }
  if (port.empty()) Die("the daemon did not write its port");
  const std::string endpoint = "127.0.0.1:" + port;
  std::string admin_token;
  std::ifstream(dir + "/admin.token") >> admin_token;

  constellation::ClientOptions options;
  options.endpoint = endpoint;
  options.token = admin_token;
  auto admin = Client::Connect(options);
  if (!admin.ok()) Die(std::string(admin.status().message()));
  constellation::CharterInput charter;
  charter.name = "Bench";
  constellation::DecisionRule open_campaign;
  open_campaign.decision_type = "open_campaign";
  open_campaign.process = "consent";
  open_campaign.member_acts_alone = true;
  charter.decision_rules.push_back(open_campaign);
  auto group = (*admin)->CreateGroup(charter);
  if (!group.ok()) Die(std::string(group.status().message()));
  constellation::CampaignInput campaign;
  campaign.name = "Bench appeal";
  campaign.goal = constellation::Money{5'000'000, "EUR"};
  campaign.deadline_ms = 1798761600000;  // 2027-01-01
  auto opened = (*admin)->OpenCampaign(group->group.group_id, campaign);
  if (!opened.ok()) Die(std::string(opened.status().message()));
  constellation::PledgeTerms terms;
  terms.amount = constellation::Money{10, "EUR"};
  terms.note = std::string(note_bytes, 'n');
  for (int i = 0; i < pledges; ++i) {
    auto p = (*admin)->RecordPledge(group->group.group_id, opened->campaign.campaign_id, terms);
    if (!p.ok()) Die(std::string(p.status().message()));
  }
  std::vector<std::string> secrets;
  for (int t = 0; t < tokens; ++t) {
    auto token = (*admin)->CreateToken("auditor", "bench-" + std::to_string(t), {});
    if (!token.ok()) Die(std::string(token.status().message()));
    secrets.push_back(token->token);
  }
  const std::string group_bytes =
      constellation::core::GroupId::FromHex(group->group.group_id)->Bytes();

  std::this_thread::sleep_for(std::chrono::seconds(1));
  const long before = ProcKib(pid, "VmRSS");

  struct Stream {
    grpc::ClientContext context;
    std::unique_ptr<grpc::ClientReader<constellation::v1::StreamPledgeHistoryResponse>> reader;
  };
  std::vector<std::unique_ptr<constellation::v1::FundraisingService::Stub>> stubs;
  // --window-bytes N: the client's HTTP/2 stream window, fixed (no BDP growth), as a client
  // that reads slowly or not at all may set it. 0: gRPC's defaults, whose window grows to
  // megabytes on loopback, so that a short history ends in the client's buffers.
  const int window_bytes = std::stoi(Flag(flags, "window-bytes", "65536"));
  grpc::ChannelArguments args;
  if (window_bytes > 0) {
    args.SetInt(GRPC_ARG_HTTP2_STREAM_LOOKAHEAD_BYTES, window_bytes);
    args.SetInt(GRPC_ARG_HTTP2_BDP_PROBE, 0);
  }
  for (int t = 0; t < tokens; ++t) {
    stubs.push_back(constellation::v1::FundraisingService::NewStub(
        grpc::CreateCustomChannel(endpoint, grpc::InsecureChannelCredentials(), args)));
  }
  std::vector<std::unique_ptr<Stream>> open;
  std::map<std::string, int> refused;
  for (int i = 0; i < streams; ++i) {
    auto s = std::make_unique<Stream>();
    s->context.AddMetadata("authorization", "Bearer " + secrets[i % tokens]);
    constellation::v1::StreamPledgeHistoryRequest request;
    request.set_group_id(group_bytes);
    s->reader = stubs[i % tokens]->StreamPledgeHistory(&s->context, request);
    constellation::v1::StreamPledgeHistoryResponse first;
    if (s->reader->Read(&first)) {
      open.push_back(std::move(s));
    } else {
      const grpc::Status status = s->reader->Finish();
      ++refused[status.error_message().substr(0, 60)];
    }
  }
  std::this_thread::sleep_for(std::chrono::seconds(2));
  const long with = ProcKib(pid, "VmRSS");
  const long client_with = ProcKib(getpid(), "VmRSS");

  for (auto& s : open) s->context.TryCancel();
  for (auto& s : open) {
    constellation::v1::StreamPledgeHistoryResponse rest;
    while (s->reader->Read(&rest)) {
    }
    s->reader->Finish();
  }
  const size_t held = open.size();
  open.clear();
  std::this_thread::sleep_for(std::chrono::seconds(3));
  const long after = ProcKib(pid, "VmRSS");
  const long peak = ProcKib(pid, "VmHWM");

  // --gdb-trim 1: then asks the daemon's allocator to give back free memory (malloc_trim(0)
  // through gdb), to tell memory still in use from free memory the allocator keeps.
  long trimmed = -1;
  if (Flag(flags, "gdb-trim", "0") == "1") {
    const std::string gdb =
        "gdb -p " + std::to_string(pid) + " -batch -ex 'call (int)malloc_trim(0)' > /dev/null 2>&1";
    if (std::system(gdb.c_str()) == 0) trimmed = ProcKib(pid, "VmRSS");
  }

  std::printf("streams asked %d, open %zu, tokens %d, pledges %d x %zu B notes\n", streams, held,
              tokens, pledges, note_bytes);
  for (const auto& [message, count] : refused)
    std::printf("  refused %d: %s...\n", count, message.c_str());
  std::printf(
      "daemon VmRSS: before %ld MiB, with streams open %ld MiB, after closing %ld MiB; "
      "VmHWM %ld MiB\n",
      before / 1024, with / 1024, after / 1024, peak / 1024);
  std::printf("this client's VmRSS with the streams open: %ld MiB\n", client_with / 1024);
  if (trimmed >= 0) std::printf("after malloc_trim(0): %ld MiB\n", trimmed / 1024);
  kill(pid, SIGTERM);
  waitpid(pid, nullptr, 0);
  std::filesystem::remove_all(dir);
  return 0;
}
