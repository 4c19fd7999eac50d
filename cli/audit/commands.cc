// cli/audit/commands.cc
#include "cli/audit/commands.h"

#include <cerrno>
#include <cstdio>
#include <cstring>
#include <filesystem>
#include <fstream>
#include <optional>
#include <string>
#include <utility>

#include <absl/status/status.h>
#include <absl/strings/str_format.h>
#include <absl/time/clock.h>
#include <absl/time/time.h>

#include "cli/audit/bundle.h"
#include "cli/audit/render.h"
#include "cli/audit/verify.h"
#include "cli/exit_code.h"

namespace constellation::cli {
namespace {

// How often an export starts again when the group changed while it was read, before it settles
// for the node's hash of the events it read, without totals.
constexpr int kExportAttemptsMax = 3;

absl::Status WriteError(const std::string& path) {
  return absl::InvalidArgumentError(
      absl::StrFormat("--to '%s' cannot be written: %s", path, std::strerror(errno)));
}

BundleEvent ToBundleEvent(const GroupEventEntry& entry) {
  BundleEvent e;
  e.position = entry.position;
  e.event_id = entry.event_id;
  e.event_bytes = entry.event_bytes;
  e.signature = entry.signature;
  return e;
}

absl::StatusOr<BundleTotals> StatedTotals(Client& client, const std::string& group_id) {
  absl::StatusOr<std::vector<Campaign>> campaigns = client.ListCampaigns(group_id);
  if (!campaigns.ok()) return campaigns.status();
  absl::StatusOr<std::vector<Fund>> funds = client.ListFunds(group_id);
  if (!funds.ok()) return funds.status();
  BundleTotals totals;
  for (Campaign& c : *campaigns) {
    totals.campaigns.push_back({c.campaign_id, std::move(c.totals), std::move(c.member_totals)});
  }
  for (const Fund& f : *funds) {
    totals.funds.push_back(
        {f.fund_id, f.definition.currency, f.received_minor, f.disbursed_minor, f.balance_minor});
  }
  return totals;
}

// What one pass of an export wrote.
struct ExportPass {
  BundleStatement statement;
  uint64_t fork_proof_count = 0;
};

// Writes each line of a bundle to its file and checks it as `audit verify` will, so that an
// export never ends with a bundle that does not verify.
class CheckedWriter {
 public:
  explicit CheckedWriter(std::ofstream& file) : file_(file) {}
  void Write(const std::string& line) {
    file_ << line << "\n";
    (void)verifier_.AddLine(line);  // the first error is kept and returned by Finish
  }
  absl::Status Finish() { return verifier_.Finish().status(); }

 private:
  std::ofstream& file_;
  BundleVerifier verifier_;
};

absl::Status GroupChanged(const std::string& group_id) {
  return absl::AbortedError(absl::StrFormat(
      "group %s changed while it was exported %d times (events arrived in the middle of its "
      "order); export it again, e.g. when its members pause writing",
      group_id, kExportAttemptsMax));
}

// Writes one bundle of the group to `file`: the events as the node streams them, its fork
// proofs and the statement. When the group did not change meanwhile (the node's state hash
// before and after is the same, of exactly the events read) the statement has the node's
// totals. nullopt: the group changed; the caller starts again, or, with `settle`, this pass
// states the node's hash of the events it read, without totals, if the bundle verifies
// (events that arrived in the middle of the order while it was streamed make it fail: then
// kAborted). Every line is checked as it is written (CheckedWriter).
absl::StatusOr<std::optional<ExportPass>> ExportOnce(Client& client, CommandContext& context,
                                                     const BundleHeader& header, uint64_t total,
                                                     bool settle, std::ofstream& file) {
  absl::StatusOr<StateHashAt> before = client.GetStateHash(header.group_id);
  if (!before.ok()) return before.status();
  CheckedWriter writer(file);
  writer.Write(HeaderLine(header));
  absl::StatusOr<GroupEventStream> stream = client.GroupEvents(header.group_id);
  if (!stream.ok()) return stream.status();
  Progress progress(context.err(), context.show_progress(), "events", total);
  ExportPass pass;
  GroupEventEntry entry;
  while (true) {
    absl::StatusOr<bool> more = stream->Next(&entry);
    if (!more.ok()) return more.status();
    if (!*more) break;
    writer.Write(EventLine(ToBundleEvent(entry)));
    ++pass.statement.event_count;
    pass.statement.last_event_id = entry.event_id;
    progress.Update(pass.statement.event_count);
  }
  progress.Finish();
  absl::StatusOr<std::vector<ForkProofEntry>> forks = client.ListForkProofs(header.group_id);
  if (!forks.ok()) return forks.status();
  for (const ForkProofEntry& f : *forks) {
    writer.Write(ForkProofLine({ToBundleEvent(f.first), ToBundleEvent(f.second)}));
  }
  pass.fork_proof_count = forks->size();
  absl::StatusOr<BundleTotals> totals = StatedTotals(client, header.group_id);
  if (!totals.ok()) return totals.status();
  absl::StatusOr<StateHashAt> after = client.GetStateHash(header.group_id);
  if (!after.ok()) return after.status();
  const bool unchanged = before->state_hash == after->state_hash &&
                         before->event_count == after->event_count &&
                         after->event_count == pass.statement.event_count &&
                         after->last_event_id == pass.statement.last_event_id;
  if (unchanged) {
    pass.statement.state_hash = after->state_hash;
    pass.statement.totals = std::move(*totals);
  } else if (!settle) {
    return std::nullopt;
  } else {
    // The node's hash of the first event_count events of its canonical order: the events read,
    // unless events sorted in among them while they were read.
    absl::StatusOr<StateHashAt> prefix =
        client.GetStateHash(header.group_id, pass.statement.event_count);
    if (!prefix.ok()) return prefix.status();
    if (prefix->last_event_id != pass.statement.last_event_id) return GroupChanged(header.group_id);
    pass.statement.state_hash = prefix->state_hash;
  }
  writer.Write(StatementLine(pass.statement));
  if (absl::Status verified = writer.Finish(); !verified.ok()) {
    if (!unchanged) return GroupChanged(header.group_id);
    // The group did not change while it was read, yet what the node sent does not verify.
    return absl::InternalError(absl::StrFormat(
        "the node's export of group %s does not verify (%s); this is a fault of the node: "
        "report it",
        header.group_id, verified.message()));
  }
  return pass;
}

absl::StatusOr<Output> AuditExportCommand(const Invocation& inv, CommandContext& context) {
  const std::string group_id = inv.Get("group");
  const std::string path = inv.Get("to");
  std::error_code error;
  if (!inv.Has("force") && std::filesystem::exists(path, error)) {
    return absl::AlreadyExistsError(
        absl::StrFormat("--to '%s' exists; pass --force to replace it", path));
  }
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<Group> group = (*client)->GetGroup(group_id);
  if (!group.ok()) return group.status();
  absl::StatusOr<std::string> exporter = context.own_org_key();
  if (!exporter.ok()) return exporter.status();
  BundleHeader header;
  header.group_id = group->group_id;
  header.group_name = group->charter.name;
  header.exported_by = *exporter;
  header.exported_at_ms = static_cast<uint64_t>(absl::ToUnixMillis(absl::Now()));

  // Written beside the target and renamed over it at the end, so that a bundle at `path` is
  // always whole.
  const std::string partial = path + ".partial";
  std::optional<ExportPass> pass;
  for (int attempt = 1; !pass.has_value(); ++attempt) {
    std::ofstream file(partial, std::ios::binary | std::ios::trunc);
    if (!file) return WriteError(path);
    absl::StatusOr<std::optional<ExportPass>> once = ExportOnce(
        **client, context, header, group->event_count, attempt == kExportAttemptsMax, file);
    file.close();
    if (once.ok() && once->has_value() && !file) {
      std::remove(partial.c_str());
      return absl::InternalError(
          absl::StrFormat("writing '%s' failed: %s", partial, std::strerror(errno)));
    }
    if (!once.ok()) {
      std::remove(partial.c_str());
      return once.status();
    }
    pass = std::move(*once);
  }
  if (std::rename(partial.c_str(), path.c_str()) != 0) {
    const absl::Status status = WriteError(path);
    std::remove(partial.c_str());
    return status;
  }
  const uint64_t size = std::filesystem::file_size(path, error);
  Output output = ExportOutput(path, pass->statement, pass->fork_proof_count, error ? 0 : size);
  if (!pass->statement.totals.has_value()) {
    output.notes.push_back(
        "note: the group changed while it was exported; the bundle holds the node's state hash "
        "of the events it read, but not the node's totals (verify recomputes them anyway). "
        "Export again when writes pause to have them compared too.");
  }
  return output;
}

// Reads `path` line by line into `verifier`, never holding a line over kBundleLineSizeBytesMax.
absl::Status FeedBundle(const std::string& path, BundleVerifier& verifier, Progress& progress) {
  std::error_code error;
  if (std::filesystem::is_directory(path, error)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("'%s' is a directory; give the bundle file 'audit export' wrote", path));
  }
  std::ifstream file(path, std::ios::binary);
  if (!file) {
    return absl::NotFoundError(
        absl::StrFormat("bundle '%s' cannot be read: %s", path, std::strerror(errno)));
  }
  constexpr size_t kBlockSizeBytes = 1 << 20;
  std::string block(kBlockSizeBytes, '\0');
  std::string line;
  uint64_t read_bytes = 0;
  while (file) {
    file.read(block.data(), static_cast<std::streamsize>(block.size()));
    const size_t n = static_cast<size_t>(file.gcount());
    read_bytes += n;
    size_t start = 0;
    while (start < n) {
      const void* found = std::memchr(block.data() + start, '\n', n - start);
      const size_t end = found == nullptr ? n : static_cast<const char*>(found) - block.data();
      line.append(block, start, end - start);
      if (line.size() > kBundleLineSizeBytesMax) {
        return verifier.AddLine(line);  // refused by its size, with the line number
      }
      if (found == nullptr) break;
      absl::Status added = verifier.AddLine(line);
      if (!added.ok()) return added;
      line.clear();
      start = end + 1;
    }
    progress.Update(read_bytes / 1024);
  }
  if (file.bad()) {
    return absl::InternalError(
        absl::StrFormat("reading bundle '%s' failed: %s", path, std::strerror(errno)));
  }
  if (!line.empty()) return verifier.AddLine(line);  // a last line without its "\n"
  return absl::OkStatus();
}

absl::StatusOr<Output> AuditVerifyCommand(const Invocation& inv, CommandContext& context) {
  const std::string path = inv.Positional(0);
  std::error_code error;
  const uint64_t size = std::filesystem::file_size(path, error);
  Progress progress(context.err(), context.show_progress(), "KiB", error ? 0 : size / 1024);
  BundleVerifier verifier;
  absl::Status fed = FeedBundle(path, verifier, progress);
  progress.Finish();
  absl::StatusOr<VerifyReport> report =
      fed.ok() ? verifier.Finish() : absl::StatusOr<VerifyReport>(fed);
  if (!report.ok()) {
    if (ExitCodeOf(report.status()) != ExitCode::kNotVerified) return report.status();
    return NotVerifiedError(
        absl::StrFormat("bundle '%s' does not verify: %s", path, report.status().message()));
  }
  return VerifyOutput(path, *report);
}

}  // namespace

std::vector<Command> AuditCommands() {
  return {
      Command("audit export", AuditExportCommand)
          .Summary("Write a group's audit bundle: every signed event, the fork proofs and the "
                   "node's state hash and totals")
          .Flag(GroupFlag())
          .Required("--to FILE", "the bundle file to write")
          .Optional("--force", "replace FILE if it exists")
          .Details("The bundle (docs/PROTOCOL.md §10) is self-contained: 'audit verify' checks it "
                   "offline, with no node and no token. An auditor token scoped to the group is "
                   "enough to export. The file is written beside FILE and renamed at the end, so "
                   "FILE is never half written. When the group changes while it is exported the "
                   "export starts again (3 times at most), then keeps the node's hash of the "
                   "events it read, without the node's totals. JSON keys: bundle, event_count, "
                   "fork_proof_count, state_hash, last_event_id, totals_stated, size_bytes.")
          .Example("constellation audit export --group $GROUP --to winter-2026.bundle"),
      Command("audit verify", AuditVerifyCommand)
          .Summary("Check an audit bundle offline: every signature, chain, the state hash and "
                   "every total")
          .Argument("BUNDLE", "a file written by 'audit export'")
          .Details("Needs no node: it recomputes the group from the bundle's events with the "
                   "protocol's rules (docs/PROTOCOL.md §10) and compares the state hash and "
                   "every campaign total and fund balance with what the exporting node stated. "
                   "Exit 0 when the bundle verifies; 17 when it does not, naming the line and "
                   "what differs. JSON keys: bundle, verified, group_id, group_name, exported_by, "
                   "exported_at, event_count, author_count, rejected_count, frozen_authors, "
                   "state_hash, totals_stated, campaigns (each with its totals per currency and "
                   "member_totals), funds.")
          .Example("constellation audit verify winter-2026.bundle -o json"),
  };
}

}  // namespace constellation::cli
