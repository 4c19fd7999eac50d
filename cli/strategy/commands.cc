// cli/strategy/commands.cc: the `strategy` commands.
#include "cli/strategy/commands.h"

#include <absl/strings/str_format.h>

#include "cli/strategy/draft_file.h"
#include "cli/strategy/render.h"
#include "cli/values.h"

namespace constellation::cli {
namespace {

absl::StatusOr<Output> DraftCommand(const Invocation& inv, CommandContext& context) {
  StrategyDraft draft;
  if (inv.Has("from")) {
    absl::StatusOr<StrategyDraft> parsed = ReadDraftFile(inv.Get("from"));
    if (!parsed.ok()) return parsed.status();
    draft = *std::move(parsed);
  }
  // Flags override the file.
  if (inv.Has("document")) draft.document = inv.Get("document");
  if (inv.Has("title")) draft.title = inv.Get("title");
  if (inv.Has("content")) draft.content = inv.Get("content");
  if (inv.Has("based-on")) draft.based_on = inv.Get("based-on");
  if (draft.document.empty() || draft.title.empty()) {
    return absl::InvalidArgumentError(
        "a version needs a document and a title: give --document and --title, or a --from file "
        "that sets them ('constellation strategy draft --help' shows the file)");
  }
  return context.WriteCall(&Client::DraftStrategy, StrategyWriteOutput, inv.Get("group"), draft);
}

absl::StatusOr<Output> ListCommand(const Invocation& inv, CommandContext& context) {
  return context.ReadCall(&Client::ListStrategyVersions, kStrategyVersionFormat, inv.Get("group"),
                          inv.Get("document"));
}

absl::StatusOr<Output> ShowCommand(const Invocation& inv, CommandContext& context) {
  return context.ReadCall(&Client::GetStrategyVersion, kStrategyVersionFormat, inv.Get("group"),
                          inv.Positional(0));
}

absl::StatusOr<Output> CurrentCommand(const Invocation& inv, CommandContext& context) {
  absl::StatusOr<Output> out =
      context.ReadCall(&Client::GetCurrentStrategy, kStrategyVersionFormat, inv.Get("group"));
  if (out.ok()) {
    out->empty_list_text =
        "no strategy adopted yet: draft one ('constellation strategy draft') and propose it "
        "('constellation proposal create --type adopt_strategy')";
  }
  return out;
}

absl::StatusOr<Output> HistoryCommand(const Invocation& inv, CommandContext& context) {
  absl::StatusOr<Output> out =
      context.ReadCall(&Client::ListStrategyAdoptions, kStrategyAdoptionFormat, inv.Get("group"),
                       inv.Get("document"));
  if (out.ok()) out->empty_list_text = "no adoption has taken effect yet";
  return out;
}

absl::StatusOr<Output> DiffCommand(const Invocation& inv, CommandContext& context) {
  absl::StatusOr<Client*> client = context.client();
  if (!client.ok()) return client.status();
  absl::StatusOr<StrategyVersion> from =
      (*client)->GetStrategyVersion(inv.Get("group"), inv.Positional(0));
  if (!from.ok()) return from.status();
  absl::StatusOr<StrategyVersion> to =
      (*client)->GetStrategyVersion(inv.Get("group"), inv.Positional(1));
  if (!to.ok()) return to.status();
  return StrategyDiffOutput(*from, *to, context.format() == OutputFormat::kJson);
}

std::string DraftHint(const absl::Status& status, const CommandContext& context) {
  if (status.code() == absl::StatusCode::kNotFound && context.invocation().Has("based-on")) {
    return "list the group's versions with 'constellation strategy list --group " +
           context.invocation().Get("group") + "'";
  }
  if (status.code() == absl::StatusCode::kFailedPrecondition) {
    return "a version is based on one of the same document, and indicator owners are members: "
           "'constellation member list --group " +
           context.invocation().Get("group") + "'";
  }
  return "";
}

constexpr const char* kDocuments =
    "common_agenda | guiding_principles | terms_of_reference | strategic_plan";

}  // namespace

std::vector<Command> StrategyCommands() {
  return {
      Command("strategy draft", DraftCommand)
          .Summary("Draft a version of a strategy document, with goals and indicators")
          .Flag(GroupFlag())
          .Optional("--from FILE", "a TOML file with the version ('-': standard input)")
          .Optional("--document DOCUMENT", kDocuments)
          .Optional("--title TEXT", "the version's title")
          .Optional("--content TEXT", "the text (or 'content' in the file)")
          .Optional("--based-on VERSION", "the version of the same document it changes")
          .Details(
              "Versions are never edited: a change is a new version based on the one it "
              "changes, and two versions on the same base are both kept as alternatives. A "
              "version becomes current when an adopt_strategy decision naming it is final and "
              "passed ('constellation proposal create --type adopt_strategy --strategy-version "
              "VERSION'). The file: document, title, based_on (a full id), content, then "
              "[[indicators]] (key, name, definition, unit, level early | intermediate | "
              "long_term, baseline, target, frequency monthly | quarterly | semiannual | annual, "
              "owner) and [[goals]] (key, text, indicators = [keys]); flags override it. JSON "
              "keys: version_id, event_id, request_id, event, version.")
          .Example("constellation strategy draft --group $GROUP --from plan.toml")
          .Hint(DraftHint)
          .Write(),
      Command("strategy list", ListCommand)
          .Summary("List strategy versions with their status and lineage")
          .Flag(GroupFlag())
          .Optional("--document DOCUMENT", kDocuments)
          .Details("In the order the group recorded them. Status: current, superseded (adopted "
                   "once, no longer current) or draft. CSV columns: version_id, document, title, "
                   "status, based_on, author, recorded.")
          .Example("constellation strategy list --group $GROUP --document strategic_plan"),
      Command("strategy show", ShowCommand)
          .Summary("Show a strategy version: text, goals, indicators, lineage, adoptions")
          .Argument("VERSION", "strategy version id (or a unique prefix)")
          .Flag(GroupFlag())
          .Details("Indicators are listed early ones first: results come late, and the early "
                   "ones are what a partnership watches in its first year.")
          .Example("constellation strategy show --group $GROUP $VERSION"),
      Command("strategy current", CurrentCommand)
          .Summary("Show the current version of every strategy document")
          .Flag(GroupFlag())
          .Details("A version is current when the adopt_strategy decision naming it is final "
                   "and passed; of two such decisions the later-proposed one counts.")
          .Example("constellation strategy current --group $GROUP"),
      Command("strategy history", HistoryCommand)
          .Summary("List the adoptions that took effect: how the strategy changed")
          .Flag(GroupFlag())
          .Optional("--document DOCUMENT", kDocuments)
          .Details("In the order of the proposals. CSV columns: proposal_id, document, "
                   "version_id, title, proposed, final, current.")
          .Example("constellation strategy history --group $GROUP"),
      Command("strategy diff", DiffCommand)
          .Summary("Show what changed between two strategy versions")
          .Argument("VERSION", "the version to compare from (id or a unique prefix)")
          .Argument("VERSION", "the version to compare to (id or a unique prefix)")
          .Flag(GroupFlag())
          .Details("The title and lineage, the text line by line ('-' removed, '+' added; long "
                   "unchanged runs folded), and goals and indicators by key: added (+), "
                   "removed (-) or changed (~) with each changed field. -o json: from, to, "
                   "header, content [{op, line}], goals and indicators [{change, key, fields}].")
          .Example("constellation strategy diff --group $GROUP $OLD $NEW"),
  };
}

}  // namespace constellation::cli
