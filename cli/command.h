// cli/command.h
//
// What a command of the CLI is, and what it has at hand while it runs. Every domain folder
// (cli/<domain>/) declares its commands as one list of Command: the specification (flags,
// arguments, help; cli/args.h), the handler, and optionally a hint for errors only that command
// can explain. A handler checks its flags (errors before connecting), makes its calls through
// CommandContext::Read or ::Write, and returns the Output to print; RunCli (cli/commands.h)
// prints it in the chosen format and turns errors into exit codes.
// Thread safety: a CommandContext belongs to one run; Command is a plain value.
#pragma once

#include <memory>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <type_traits>
#include <utility>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <constellation/client.h>

#include "cli/args.h"
#include "cli/config.h"
#include "cli/output.h"
#include "cli/progress.h"

namespace constellation::cli {

// Reads every entry of an SDK stream (PledgeHistoryStream, GroupEventStream) into a vector:
// the printers need all rows (JSON array, aligned table). Returns the stream's error, if any.
// `progress` (optional) is updated with the count read.
template <typename Entry, typename Stream>
absl::StatusOr<std::vector<Entry>> ReadAll(Stream& stream, Progress* progress = nullptr) {
  std::vector<Entry> entries;
  Entry entry;
  while (true) {
    absl::StatusOr<bool> more = stream.Next(&entry);
    if (!more.ok()) return more.status();
    if (!*more) return entries;
    entries.push_back(std::move(entry));
    if (progress != nullptr) progress->Update(entries.size());
  }
}

// What a running command has at hand.
class CommandContext {
 public:
  // `out` is stdout, for lists printed page by page (ReadPages); `err` stderr.
  CommandContext(const Invocation& invocation, EnvLookup env, std::ostream& out, std::ostream& err);

  const Invocation& invocation() const { return invocation_; }
  OutputFormat format() const { return invocation_.global.output; }
  // For notes that must come before the output (it is printed when the handler returns).
  std::ostream& err() { return err_; }
  // Whether long operations draw progress on stderr (it is a terminal; cli/progress.h).
  bool show_progress() const { return show_progress_; }
  void set_show_progress(bool show) { show_progress_ = show; }
  // stdout, for commands that print as they go (group watch).
  std::ostream& out() { return out_; }
  const EnvLookup& env() const { return env_; }

  // The config file path and contents (loaded once).
  absl::StatusOr<std::string> config_path();
  absl::StatusOr<Config> config();

  // The client, connected on first use to the endpoint and token the precedence rules pick.
  absl::StatusOr<Client*> client();
  // The resolved connection, once client() has run.
  const std::optional<Connection>& connection() const { return connection_; }
  // The org key (hex) of the node this command talks to, asked once (GetNodeInfo): for
  // commands that act as this org ("this org leads the team", "this org's report").
  absl::StatusOr<std::string> own_org_key();

  // The write options of this command: --request-id, or a fresh id generated once (so that an
  // error hint can name it for a safe rerun). Call it when the write is sent, not earlier: an
  // error before it gets the hints of a read.
  WriteOptions write_options();
  const std::string& request_id() const { return request_id_; }

  // A read: connects, runs `call(client)` and turns its result into the Output with
  // `print(result)`. The connection's or the call's error otherwise.
  template <typename Call, typename Print>
  absl::StatusOr<Output> Read(Call&& call, Print&& print) {
    auto result = Connected(std::forward<Call>(call));
    if (!result.ok()) return result.status();
    return print(*result);
  }

  // A read of something a flag names: `input` (parsed from the command line) is checked before
  // connecting, then as Read with `call(client, *input)`.
  template <typename Input, typename Call, typename Print>
  absl::StatusOr<Output> Read(const absl::StatusOr<Input>& input, Call&& call, Print&& print) {
    if (!input.ok()) return input.status();
    return Read([&](Client& client) { return call(client, *input); }, std::forward<Print>(print));
  }

  // A read that is one call of the client, `(client.*method)(args...)`: the most common
  // command. ReadCallAsOf: `as_of_ms` (parsed from --as-of, checked before connecting) is the
  // last argument.
  template <typename Method, typename Print, typename... Args>
  absl::StatusOr<Output> ReadCall(Method method, Print&& print, const Args&... args) {
    return Read([&](Client& client) { return (client.*method)(args...); },
                std::forward<Print>(print));
  }
  template <typename Method, typename Print, typename... Args>
  absl::StatusOr<Output> ReadCallAsOf(const absl::StatusOr<uint64_t>& as_of_ms, Method method,
                                      Print&& print, const Args&... args) {
    if (!as_of_ms.ok()) return as_of_ms.status();
    return ReadCall(method, std::forward<Print>(print), args..., *as_of_ms);
  }

  // A list read page by page (client.proto "Paged lists"): connects, then calls
  // `call(client, page)` (a List*Page method of the client, returning Page<Record>) from the
  // first page until the last, and prints each page as it arrives with `print` (a
  // RecordFormat) through a ListWriter: -o json and -o csv stream, the table waits for the
  // last page to align its columns. Returns what is left to print. On an error after the first
  // page, what was printed stays (incomplete) and the command fails with that error.
  template <typename Call, typename Print>
  absl::StatusOr<Output> ReadPages(Call&& call, Print&& print) {
    absl::StatusOr<Client*> connected = client();
    if (!connected.ok()) return connected.status();
    ListWriter writer(out_, format());
    PageOptions page;
    do {
      auto next = call(**connected, page);
      if (!next.ok()) return next.status();
      writer.Add(print(next->items));
      page.page_token = std::move(next->next_page_token);
    } while (!page.page_token.empty());
    return writer.Finish();
  }

  // A write: as Read, but `print(result, request_id)`, for the request id in the output.
  template <typename Call, typename Print>
  absl::StatusOr<Output> Write(Call&& call, Print&& print) {
    auto result = Connected(std::forward<Call>(call));
    if (!result.ok()) return result.status();
    return print(*result, request_id_);
  }

  // A write that is one call of the client: `(client.*method)(args..., write_options())`.
  template <typename Method, typename Print, typename... Args>
  absl::StatusOr<Output> WriteCall(Method method, Print&& print, const Args&... args) {
    return Write([&](Client& client) { return (client.*method)(args..., write_options()); },
                 std::forward<Print>(print));
  }

 private:
  template <typename Call>
  std::invoke_result_t<Call, Client&> Connected(Call&& call) {
    absl::StatusOr<Client*> connected = client();
    if (!connected.ok()) return connected.status();
    return call(**connected);
  }

  const Invocation& invocation_;
  EnvLookup env_;
  std::ostream& out_;
  std::ostream& err_;
  bool show_progress_ = false;
  std::optional<Config> config_;
  std::optional<Connection> connection_;
  std::unique_ptr<Client> client_;
  std::optional<std::string> own_org_key_;
  std::string request_id_;
};

// Runs a command on its parsed command line (the same as context.invocation()).
using CommandHandler = absl::StatusOr<Output> (*)(const Invocation& inv, CommandContext& context);

// A hint for an error of this command, or "" to fall back to the generic hints of its code.
using CommandHint = std::string (*)(const absl::Status& status, const CommandContext& context);

// A command: what the parser and the help know of it (its CommandSpec), its handler, and its
// hint. Declared in one expression, every part named:
//   Command("pledge show", PledgeShowCommand)
//       .Summary("Show a pledge, its terms and installments")
//       .Argument("PLEDGE", "pledge id")
//       .Flag(GroupFlag())
//       .Optional("--as-of DATE", "derive the status as of this date (default: now)")
//       .Details("JSON keys: ...")
//       .Example("constellation pledge show --group $GROUP $PLEDGE -o json")
// Arguments and flags appear in help in the order given. A value name that names a kind of id
// (GROUP, PLEDGE, ORG_KEY, ...; cli/ids.h) makes the value a short id: a unique prefix (or name)
// is resolved to the full id before the handler runs.
struct Command {
  // `name` is "NOUN VERB", as typed.
  Command(std::string_view name, CommandHandler handler);

  // One line, for the command lists of the help.
  Command&& Summary(std::string text) &&;
  Command&& Argument(std::string name, std::string help) &&;
  Command&& OptionalArgument(std::string name, std::string help) &&;
  Command&& Flag(FlagSpec flag) &&;
  Command&& Flags(std::vector<FlagSpec> flags) &&;
  // A flag by its usage, as help shows it: "--as-of DATE", or "--open" for a boolean flag.
  Command&& Required(std::string_view usage, std::string help) &&;
  Command&& Optional(std::string_view usage, std::string help) &&;
  // May be given more than once.
  Command&& Repeated(std::string_view usage, std::string help) &&;
  // More help: output keys, rules.
  Command&& Details(std::string text) &&;
  // A full command line.
  Command&& Example(std::string text) &&;
  // A write: accepts --request-id, and error hints name the request id for a safe rerun.
  Command&& Write() &&;
  Command&& Hint(CommandHint hint) &&;

  CommandSpec spec;
  CommandHandler run;
  CommandHint hint = nullptr;
};

// --group GROUP, required: the flag of every command inside one group.
FlagSpec GroupFlag();

}  // namespace constellation::cli
