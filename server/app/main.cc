// constellationd: the Constellation node (DESIGN §5).
//
//   constellationd init --data-dir DIR --name NAME [--listen HOST:PORT] [--advertise HOST:PORT]
//                       [--admin-token-file FILE]
//   constellationd run  (--data-dir DIR | --config FILE) [--listen HOST:PORT] [--port-file FILE]
//                       [--metrics-listen HOST:PORT|off] [--log-format text|json]
//   constellationd verify --data-dir DIR
//   constellationd backup --data-dir DIR --to BACKUP_DIR
//   constellationd restore --from BACKUP_DIR --data-dir DIR [--force]
//   constellationd version
#include <signal.h>
#include <sys/stat.h>
#include <unistd.h>

#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <iostream>
#include <map>
#include <string>
#include <vector>

#include <absl/strings/numbers.h>
#include <absl/strings/str_format.h>
#include <absl/synchronization/mutex.h>

#include "server/app/backup.h"
#include "server/app/config.h"
#include "server/app/init.h"
#include "server/app/log.h"
#include "server/app/node.h"
#include "server/app/verify.h"

namespace constellation::app {
namespace {

constexpr char kVersion[] = "0.1.0";

// Exit codes of constellationd.
enum ExitCode {
  kOk = 0,
  kError = 1,
  kUsage = 2,
  kDiskFull = 3,
  kSchemaMismatch = 4,  // storage::IsSchemaMismatch: the data was written by another version
  kTargetNotEmpty = 5,  // backup / restore: the target directory is not empty
};

constexpr char kUsageText[] =
    R"(constellationd - a Constellation node: one per member organisation.

Usage:
  constellationd init --data-dir DIR --name NAME [--listen HOST:PORT] [--advertise HOST:PORT]...
                      [--admin-token-file FILE]
      Creates the node: DIR/org.key (the org's Ed25519 identity, mode 0600), the database in
      DIR/db and DIR/constellationd.toml. Prints the first admin token once (and writes it to
      FILE if given). Refuses to touch an existing node.

  constellationd run (--data-dir DIR | --config FILE) [--listen HOST:PORT] [--port-file FILE]
                     [--anti-entropy-interval-ms MS] [--metrics-listen HOST:PORT|off]
                     [--log-format text|json]
                     [--accept-restored-state]
      Serves the node until SIGINT or SIGTERM, then shuts down gracefully. --listen overrides the
      config (port 0 picks a free port; --port-file receives the bound port). Replication pushes
      new events to member nodes at once and runs a sync round with each member every
      --anti-entropy-interval-ms (config replication.anti_entropy_interval_ms; default 5000).
      Prometheus metrics are served at http://HOST:PORT/metrics, --metrics-listen (config
      metrics.listen; default 127.0.0.1:0, a free loopback port, logged at start; off = none).
      Logs go to stderr, one line per record, as logfmt text or JSON objects: --log-format
      (config log.format; default text).
      A node restored from a backup refuses writes of its own records until its peers have
      returned its latest events; --accept-restored-state lifts that at once (only when a
      member node is gone for good: see docs/OPERATIONS.md, "Backup and restore").

  constellationd verify --data-dir DIR
      Checks the data directory of a stopped node offline: re-verifies every stored event's
      signature and its author's chain, refolds every group from its genesis and prints one
      line per group: its id, event count and state hash (equal to what a running node reports
      for the same events). Exit 1 when anything does not verify.

  constellationd backup --data-dir DIR --to BACKUP_DIR
      Copies the node's data directory (org.key, config, database) into BACKUP_DIR, a new or
      empty directory, while the node runs and keeps writing: the copy is one consistent point
      of what the node had made durable. Prints a summary line (events, groups, bytes).

  constellationd restore --from BACKUP_DIR --data-dir DIR [--force]
      Copies a backup into DIR, a new or empty directory (--force replaces what DIR holds; the
      node must be stopped), and marks it restored: started on it, the node is read-only for
      its own records until its peers have returned its latest events (node info shows it).

  constellationd version
  constellationd help | --help | -h

Exit codes: 0 ok, 1 error (the message says what to fix), 2 usage error, 3 disk full (the
disk of the data directory has no space left: free space, then start again), 4 schema mismatch
(the data directory or backup was written by another version of constellationd), 5 the target
directory of backup or restore is not empty.
)";

struct Args {
  std::string command;
  std::map<std::string, std::vector<std::string>> flags;
};

// `switches` are flags without a value (--force).
absl::StatusOr<Args> ParseArgs(int argc, char** argv, const std::vector<std::string>& allowed,
                               const std::vector<std::string>& switches = {}) {
  Args args;
  if (argc < 2) return absl::InvalidArgumentError("missing command");
  args.command = argv[1];
  for (int i = 2; i < argc; ++i) {
    std::string a = argv[i];
    if (a == "--help" || a == "-h") {
      args.flags["help"].push_back("");
      continue;
    }
    if (a.rfind("--", 0) != 0) {
      return absl::InvalidArgumentError(absl::StrFormat("unexpected argument '%s'", a));
    }
    std::string name = a.substr(2), value;
    if (std::find(switches.begin(), switches.end(), name) != switches.end()) {
      args.flags[name].push_back("true");
      continue;
    }
    if (size_t eq = name.find('='); eq != std::string::npos) {
      value = name.substr(eq + 1);
      name = name.substr(0, eq);
    } else if (i + 1 < argc) {
      value = argv[++i];
    } else {
      return absl::InvalidArgumentError(absl::StrFormat("flag --%s needs a value", name));
    }
    if (std::find(allowed.begin(), allowed.end(), name) == allowed.end()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("unknown flag --%s for '%s'", name, args.command));
    }
    args.flags[name].push_back(value);
  }
  return args;
}

std::string Flag(const Args& args, const std::string& name, const std::string& fallback = "") {
  auto it = args.flags.find(name);
  return it == args.flags.end() ? fallback : it->second.back();
}

int Fail(const absl::Status& status) {
  std::fprintf(stderr, "error: %s\n", std::string(status.message()).c_str());
  if (storage::IsSchemaMismatch(status)) return kSchemaMismatch;
  return storage::IsDiskFull(status) ? kDiskFull : kError;
}

int Usage(const std::string& message) {
  std::fprintf(stderr, "error: %s\n\n%s", message.c_str(), kUsageText);
  return kUsage;
}

absl::Status WriteSecretFile(const std::string& path, const std::string& content) {
  std::ofstream out(path, std::ios::trunc);
  out << content << "\n";
  out.close();
  if (!out || ::chmod(path.c_str(), 0600) != 0) {
    return absl::UnavailableError(absl::StrFormat("cannot write %s", path));
  }
  return absl::OkStatus();
}

int Init(const Args& args) {
  InitOptions options;
  options.data_dir = Flag(args, "data-dir");
  options.org_name = Flag(args, "name");
  if (options.data_dir.empty()) return Usage("init needs --data-dir DIR");
  if (options.org_name.empty()) {
    return Usage("init needs --name NAME (the organisation's display name)");
  }
  options.listen = Flag(args, "listen", options.listen);
  if (auto it = args.flags.find("advertise"); it != args.flags.end()) {
    options.advertise = it->second;
  }
  absl::StatusOr<InitResult> result = InitDataDir(options);
  if (!result.ok()) return Fail(result.status());
  const std::string token_file = Flag(args, "admin-token-file");
  if (!token_file.empty()) {
    if (absl::Status s = WriteSecretFile(token_file, result->admin_token); !s.ok()) return Fail(s);
  }
  std::printf(
      "Initialised node for \"%s\"\n"
      "  org key:     %s\n"
      "  data dir:    %s\n"
      "  config:      %s\n"
      "  admin token: %s\n"
      "The admin token is shown once; keep it safe. Start the node with:\n"
      "  constellationd run --data-dir %s\n",
      options.org_name.c_str(), result->org_key.Hex().c_str(), result->data_dir.c_str(),
      result->config_path.c_str(), result->admin_token.c_str(), options.data_dir.c_str());
  return kOk;
}

int Run(const Args& args) {
  std::string config_path = Flag(args, "config");
  const std::string dir = Flag(args, "data-dir");
  if (config_path.empty() && dir.empty()) return Usage("run needs --data-dir DIR or --config FILE");
  if (config_path.empty()) config_path = dir + "/" + kConfigFileName;
  absl::StatusOr<Config> config = LoadConfig(config_path);
  if (!config.ok()) return Fail(config.status());
  if (!dir.empty()) config->data_dir = dir;
  config->listen = Flag(args, "listen", config->listen);
  config->metrics_listen = Flag(args, "metrics-listen", config->metrics_listen);
  if (const std::string format = Flag(args, "log-format"); !format.empty()) {
    absl::StatusOr<LogFormat> parsed = ParseLogFormat(format);
    if (!parsed.ok()) return Usage(absl::StrFormat("--log-format: %s", parsed.status().message()));
    config->log_format = format;
  }
  absl::StatusOr<LogFormat> log_format = ParseLogFormat(config->log_format);
  if (!log_format.ok()) {
    return Fail(absl::InvalidArgumentError(
        absl::StrFormat("config %s: log.format: %s", config_path, log_format.status().message())));
  }
  SetLogFormat(*log_format);
  if (const std::string interval = Flag(args, "anti-entropy-interval-ms"); !interval.empty()) {
    uint64_t ms = 0;
    if (!absl::SimpleAtoi(interval, &ms) || ms < 100 || ms > 3'600'000) {
      return Usage("--anti-entropy-interval-ms must be an integer from 100 to 3600000");
    }
    config->anti_entropy_interval_ms = ms;
  }

  // Block the shutdown signals in every thread; the main thread waits for them below.
  sigset_t signals;
  sigemptyset(&signals);
  sigaddset(&signals, SIGINT);
  sigaddset(&signals, SIGTERM);
  pthread_sigmask(SIG_BLOCK, &signals, nullptr);

  NodeOptions options;
  options.data_dir = config->data_dir;
  options.org_name = config->org_name;
  options.listen_address = config->listen;
  options.advertise_endpoints = config->advertise;
  options.anti_entropy_interval_ms = config->anti_entropy_interval_ms;
  options.metrics_listen = config->metrics_listen == "off" ? "" : config->metrics_listen;
  options.tls = config->tls;
  options.accept_restored_state = args.flags.contains("accept-restored-state");
  absl::StatusOr<std::unique_ptr<Node>> node = Node::Open(options);
  if (!node.ok()) return Fail(node.status());
  if (absl::Status s = (*node)->Start(); !s.ok()) return Fail(s);
  const std::string port_file = Flag(args, "port-file");
  if (!port_file.empty()) {
    std::ofstream out(port_file, std::ios::trunc);
    out << (*node)->port() << "\n";
  }
  std::printf("constellationd listening on %s\n", (*node)->address().c_str());
  std::fflush(stdout);

  int signal_number = 0;
  sigwait(&signals, &signal_number);
  LogInfo("shutting down", {{"signal", strsignal(signal_number)}});
  (*node)->Shutdown();
  return kOk;
}

int Verify(const Args& args) {
  const std::string dir = Flag(args, "data-dir");
  if (dir.empty()) return Usage("verify needs --data-dir DIR");
  absl::StatusOr<std::vector<VerifiedGroup>> groups = VerifyDataDir(dir);
  if (!groups.ok()) return Fail(groups.status());
  for (const VerifiedGroup& g : *groups) {
    std::printf("group %s events %llu state_hash %s\n", g.group_id_hex.c_str(),
                static_cast<unsigned long long>(g.event_count), g.state_hash_hex.c_str());
  }
  std::printf("verified %zu groups\n", groups->size());
  return kOk;
}

// A backup or restore failure: a target that is not empty has its own exit code.
int FailCopy(const absl::Status& status) {
  if (absl::IsAlreadyExists(status)) {
    std::fprintf(stderr, "error: %s\n", std::string(status.message()).c_str());
    return kTargetNotEmpty;
  }
  return Fail(status);
}

void PrintSummary(const char* what, const std::string& dir, const storage::BackupSummary& s) {
  std::printf("%s %s: %llu events in %llu groups, %llu entries, %llu bytes, schema %u\n", what,
              dir.c_str(), static_cast<unsigned long long>(s.events),
              static_cast<unsigned long long>(s.groups), static_cast<unsigned long long>(s.entries),
              static_cast<unsigned long long>(s.bytes), s.schema_version);
}

// On a terminal (stderr), a progress line for a backup or restore: what was copied so far. It
// is erased before the summary is printed; scripts (no terminal) see only the summary.
storage::BackupProgress CopyProgress() {
  if (isatty(STDERR_FILENO) == 0) return nullptr;
  return [](const storage::BackupSummary& s) {
    std::fprintf(stderr, "\rcopied %llu entries (%.1f MiB), %llu events\033[K",
                 static_cast<unsigned long long>(s.entries), s.bytes / 1048576.0,
                 static_cast<unsigned long long>(s.events));
    std::fflush(stderr);
  };
}

void EraseProgress() {
  if (isatty(STDERR_FILENO) != 0) std::fputs("\r\033[K", stderr);
}

int Backup(const Args& args) {
  const std::string dir = Flag(args, "data-dir");
  const std::string to = Flag(args, "to");
  if (dir.empty() || to.empty()) return Usage("backup needs --data-dir DIR and --to BACKUP_DIR");
  absl::StatusOr<storage::BackupSummary> summary = BackupDataDir(dir, to, CopyProgress());
  EraseProgress();
  if (!summary.ok()) return FailCopy(summary.status());
  PrintSummary("backup written to", to, *summary);
  return kOk;
}

int Restore(const Args& args) {
  RestoreOptions options;
  options.from = Flag(args, "from");
  options.data_dir = Flag(args, "data-dir");
  options.force = args.flags.contains("force");
  options.now_ms = SystemNowMs();
  if (options.from.empty() || options.data_dir.empty()) {
    return Usage("restore needs --from BACKUP_DIR and --data-dir DIR");
  }
  options.progress = CopyProgress();
  absl::StatusOr<storage::BackupSummary> summary = RestoreDataDir(options);
  EraseProgress();
  if (!summary.ok()) return FailCopy(summary.status());
  PrintSummary("restored into", options.data_dir, *summary);
  std::printf(
      "Started on it, the node refuses writes of its own records until its peers have returned "
      "its latest events ('constellation node info' shows it):\n  constellationd run "
      "--data-dir %s\n",
      options.data_dir.c_str());
  return kOk;
}

int Main(int argc, char** argv) {
  // Debian builds abseil without NDEBUG, so its Mutex checks every lock against a global graph
  // of lock orders (deadlock detection, a debugging aid) unless told not to; a node takes
  // several locks per request. The tests, which link the same Node without this main, keep it.
  absl::SetMutexDeadlockDetectionMode(absl::OnDeadlockCycle::kIgnore);
  if (argc < 2) return Usage("missing command");
  const std::string command = argv[1];
  if (command == "help" || command == "--help" || command == "-h") {
    std::fputs(kUsageText, stdout);
    return kOk;
  }
  if (command == "version" || command == "--version") {
    std::printf("constellationd %s\n", kVersion);
    return kOk;
  }
  std::vector<std::string> allowed;
  std::vector<std::string> switches;
  if (command == "init") {
    allowed = {"data-dir", "name", "listen", "advertise", "admin-token-file"};
  } else if (command == "run") {
    allowed = {"data-dir",       "config",    "listen", "port-file", "anti-entropy-interval-ms",
               "metrics-listen", "log-format"};
    switches = {"accept-restored-state"};
  } else if (command == "verify") {
    allowed = {"data-dir"};
  } else if (command == "backup") {
    allowed = {"data-dir", "to"};
  } else if (command == "restore") {
    allowed = {"from", "data-dir"};
    switches = {"force"};
  } else {
    return Usage(absl::StrFormat("unknown command '%s'", command));
  }
  absl::StatusOr<Args> args = ParseArgs(argc, argv, allowed, switches);
  if (!args.ok()) return Usage(std::string(args.status().message()));
  if (args->flags.contains("help")) {
    std::fputs(kUsageText, stdout);
    return kOk;
  }
  if (command == "verify") return Verify(*args);
  if (command == "backup") return Backup(*args);
  if (command == "restore") return Restore(*args);
  return command == "init" ? Init(*args) : Run(*args);
}

}  // namespace
}  // namespace constellation::app

int main(int argc, char** argv) { return constellation::app::Main(argc, argv); }
