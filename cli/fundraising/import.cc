// cli/fundraising/import.cc
#include "cli/fundraising/import.h"

#include <algorithm>
#include <optional>
#include <set>
#include <utility>

#include <absl/strings/numbers.h>
#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>
#include <absl/strings/str_split.h>
#include <absl/strings/strip.h>

#include "cli/fundraising/pledge_flags.h"
#include "cli/input_file.h"
#include "cli/output.h"
#include "cli/progress.h"

namespace constellation::cli {
namespace {

// Pledges per RecordPledges call unless --batch-size says otherwise, and the most the node
// takes in one call (its kPledgeBatchCountMax).
constexpr size_t kImportBatchSizeDefault = 100;
constexpr size_t kImportBatchSizeMax = 500;
// Request ids are at most 128 characters (client.proto); "-" and a line number take up to 11.
constexpr size_t kImportBaseRequestIdSizeMax = 128 - 11;

// The keys a line may hold: the flags of `pledge record`, and its own request id.
const std::set<std::string, std::less<>>& LineKeys() {
  static const std::set<std::string, std::less<>> keys = [] {
    std::set<std::string, std::less<>> names = {"campaign", "request_id"};
    for (const FlagSpec& flag : TermsFlags(false)) names.insert(flag.name);
    return names;
  }();
  return keys;
}

// The value of `key` in a line as the text the flag would take.
absl::StatusOr<std::vector<std::string>> FlagValues(const std::string& key, const Json& value) {
  if (value.is_string()) return std::vector<std::string>{value.get<std::string>()};
  if (key == "installments" && value.is_number_unsigned()) {
    return std::vector<std::string>{std::to_string(value.get<uint64_t>())};
  }
  if (key == "installment" && value.is_array()) {
    std::vector<std::string> values;
    for (const Json& item : value) {
      if (!item.is_string()) {
        return absl::InvalidArgumentError(
            "installment must be a string \"DATE=AMOUNT\" or an array of them");
      }
      values.push_back(item.get<std::string>());
    }
    return values;
  }
  if (key == "amount" && value.is_number()) {
    return absl::InvalidArgumentError(
        "amount must be a string such as \"250.00\": a JSON number is not exact for money");
  }
  return absl::InvalidArgumentError(absl::StrFormat("%s must be a string", key));
}

// The pledge of one line (a JSON object), its keys filled from `defaults` where it has none.
absl::StatusOr<PledgeInput> ParseLine(std::string_view text,
                                      const std::map<std::string, std::string>& defaults) {
  const Json line = Json::parse(text, nullptr, /*allow_exceptions=*/false);
  if (line.is_discarded() || !line.is_object()) {
    return absl::InvalidArgumentError(
        "not a JSON object: each line holds one pledge, e.g. {\"campaign\": \"<id>\", "
        "\"amount\": \"250.00\", \"currency\": \"EUR\"}");
  }
  Invocation inv;
  for (const auto& [key, value] : line.items()) {
    if (!LineKeys().contains(key)) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "unknown key \"%s\"; a line's keys are the flags of `pledge record` without the dashes: "
          "%s",
          key, absl::StrJoin(LineKeys(), ", ")));
    }
    absl::StatusOr<std::vector<std::string>> values = FlagValues(key, value);
    if (!values.ok()) return values.status();
    inv.flags[key] = *std::move(values);
  }
  for (const auto& [key, value] : defaults) {
    if (!inv.Has(key) && !value.empty()) inv.flags[key] = {value};
  }
  for (const char* key : {"campaign", "amount", "currency"}) {
    if (!inv.Has(key)) {
      return absl::InvalidArgumentError(
          absl::StrFormat("\"%s\" is missing (or give --%s for every line)", key, key));
    }
  }
  absl::StatusOr<PledgeInput> pledge = PledgeFromFlags(inv);
  if (!pledge.ok()) return pledge.status();
  pledge->request_id = inv.Get("request_id");
  return pledge;
}

// The error of the import for `status`, the error of a RecordPledges call with the rows
// `rows[first..]`: which line failed, what is recorded, and how to finish the import.
absl::Status ImportError(const absl::Status& status, const std::vector<ImportRow>& rows,
                         size_t first, std::string_view source, const std::string& base) {
  absl::string_view reason = status.message();
  std::optional<size_t> failed;  // the failed row, when the node named it ("pledges[i]: ")
  size_t index = 0;
  if (absl::ConsumePrefix(&reason, "pledges[")) {
    const size_t close = reason.find("]: ");
    if (close != absl::string_view::npos && absl::SimpleAtoi(reason.substr(0, close), &index) &&
        first + index < rows.size()) {
      failed = first + index;
      reason.remove_prefix(close + 3);
      // The node's account of the batch; the import gives its own, in lines.
      for (absl::string_view tail :
           {"; nothing in the batch is recorded", "; nothing else in the batch is recorded",
            "; pledges[0] to "}) {
        const size_t at = reason.rfind(tail);
        if (at != absl::string_view::npos) reason = reason.substr(0, at);
      }
    } else {
      reason = status.message();
    }
  }
  const std::string rerun = absl::StrFormat(
      "run the same command again with --request-id %s to record the rest (a line already "
      "recorded is not recorded twice; keep the lines where they are)",
      base);
  if (failed.has_value()) {
    return absl::Status(
        status.code(),
        absl::StrFormat("%s:%d: %s; %s; fix the line and %s", source, rows[*failed].line, reason,
                        *failed == 0 ? std::string("nothing is recorded")
                                     : absl::StrFormat("the %d pledges before this line are "
                                                       "recorded, the rest are not",
                                                       *failed),
                        rerun));
  }
  return absl::Status(
      status.code(),
      absl::StrFormat("%s; the import stopped at %s:%d with %d pledges recorded before that "
                      "line (the call with it may have recorded more); %s",
                      reason, source, rows[first].line, first, rerun));
}

// The import's output: one row per pledge recorded.
Output ImportOutput(const std::vector<ImportRow>& rows, const std::vector<EventRef>& events,
                    size_t call_count, std::string_view source) {
  Json json = Json::array();
  Table table{{{"line", true}, {"pledge_id", false, CellKind::kId}, {"request_id"}}, {}};
  for (size_t i = 0; i < events.size(); ++i) {
    json.push_back({{"line", rows[i].line},
                    {"pledge_id", events[i].event_id},
                    {"request_id", rows[i].pledge.request_id}});
    table.rows.push_back(
        {std::to_string(rows[i].line), events[i].event_id, rows[i].pledge.request_id});
  }
  Output output = Output::List(std::move(json), std::move(table));
  output.notes.push_back(absl::StrFormat("recorded %d pledges from %s in %d calls", events.size(),
                                         source, call_count));
  return output;
}

}  // namespace

absl::StatusOr<std::vector<ImportRow>> ParsePledgeBook(
    std::string_view text, std::string_view source,
    const std::map<std::string, std::string>& defaults) {
  std::vector<ImportRow> rows;
  std::map<std::string, size_t, std::less<>> lines_by_request_id;
  size_t line = 0;
  for (absl::string_view content :
       absl::StrSplit(absl::string_view(text.data(), text.size()), '\n')) {
    ++line;
    absl::ConsumeSuffix(&content, "\r");
    if (absl::StripAsciiWhitespace(content).empty()) continue;
    absl::StatusOr<PledgeInput> pledge =
        ParseLine(std::string_view(content.data(), content.size()), defaults);
    if (!pledge.ok()) {
      return absl::InvalidArgumentError(
          absl::StrFormat("%s:%d: %s", source, line, pledge.status().message()));
    }
    if (!pledge->request_id.empty()) {
      auto [it, added] = lines_by_request_id.emplace(pledge->request_id, line);
      if (!added) {
        return absl::InvalidArgumentError(
            absl::StrFormat("%s:%d: request_id '%s' is also line %d's: each pledge needs its own",
                            source, line, pledge->request_id, it->second));
      }
    }
    rows.push_back({line, *std::move(pledge)});
  }
  return rows;
}

absl::StatusOr<Output> PledgeImportCommand(const Invocation& inv, CommandContext& context) {
  size_t batch_size = kImportBatchSizeDefault;
  if (inv.Has("batch-size") && (!absl::SimpleAtoi(inv.Get("batch-size"), &batch_size) ||
                                batch_size == 0 || batch_size > kImportBatchSizeMax)) {
    return absl::InvalidArgumentError(
        absl::StrFormat("--batch-size needs a whole number from 1 to %d", kImportBatchSizeMax));
  }
  const std::string path = inv.Positional(0);
  const std::string source = path == "-" ? "<stdin>" : path;
  absl::StatusOr<std::string> text = ReadInputFile(path, "FILE");
  if (!text.ok()) return text.status();
  absl::StatusOr<std::vector<ImportRow>> rows = ParsePledgeBook(
      *text, source, {{"campaign", inv.Get("campaign")}, {"currency", inv.Get("currency")}});
  if (!rows.ok()) return rows.status();
  if (rows->empty()) {
    return absl::InvalidArgumentError(
        absl::StrFormat("%s holds no pledges: give one JSON object per line", source));
  }
  size_t call_count = 0;
  return context.Write(
      [&](Client& client) -> absl::StatusOr<std::vector<EventRef>> {
        const std::string base = context.write_options().request_id;
        if (base.size() > kImportBaseRequestIdSizeMax) {
          return absl::InvalidArgumentError(
              absl::StrFormat("--request-id of an import is at most %d characters (each line "
                              "adds \"-\" and its number)",
                              kImportBaseRequestIdSizeMax));
        }
        for (ImportRow& row : *rows) {
          if (row.pledge.request_id.empty()) {
            row.pledge.request_id = absl::StrFormat("%s-%d", base, row.line);
          }
        }
        Progress progress(context.err(), context.show_progress(), "pledges", rows->size());
        std::vector<EventRef> events;
        std::vector<PledgeInput> batch;
        for (size_t first = 0; first < rows->size(); first += batch_size) {
          batch.clear();
          for (size_t i = first; i < std::min(first + batch_size, rows->size()); ++i) {
            batch.push_back((*rows)[i].pledge);
          }
          ++call_count;
          absl::StatusOr<std::vector<EventRef>> recorded =
              client.RecordPledges(inv.Get("group"), batch);
          if (!recorded.ok()) return ImportError(recorded.status(), *rows, first, source, base);
          events.insert(events.end(), recorded->begin(), recorded->end());
          progress.Update(events.size());
        }
        return events;
      },
      [&](const std::vector<EventRef>& events, std::string_view) {
        return ImportOutput(*rows, events, call_count, source);
      });
}

}  // namespace constellation::cli
