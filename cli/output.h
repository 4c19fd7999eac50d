// cli/output.h
//
// Rendering of results for people and scripts: aligned tables (the default), CSV (RFC 4180, for
// lists), key/value blocks (for one object) and JSON (nlohmann::ordered_json, so that keys keep
// the stable, documented order the callers build them in). An Output is what a command prints
// when it succeeds; RenderOutput turns it into the text of the format the user chose with -o. A
// long list is printed page by page as it arrives (ListWriter).
// Whatever the CLI prints passes EscapeControls here, in one place: names and notes come from
// other organisations' records (or from old data), and a control character or terminal escape
// in them must never reach the terminal raw.
// Thread safety: pure functions and plain values; a ListWriter belongs to one command run.
#pragma once

#include <map>
#include <optional>
#include <ostream>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/args.h"

namespace constellation::cli {

using Json = nlohmann::ordered_json;

// What the cells of a column hold, for how a table shows them; CSV and JSON always print them
// whole.
enum class CellKind {
  kText,
  kId,      // hex ids (one, or several separated by spaces): each shown as ShortId
  kOrgKey,  // an org key (or several separated by spaces): ShortId and the org's display name
            // when Output::org_names has it; several are joined by ", "
};

struct Column {
  std::string name;
  bool right_aligned = false;  // numbers and amounts
  CellKind kind = CellKind::kText;
};

struct Table {
  std::vector<Column> columns;
  std::vector<std::vector<std::string>> rows;  // each row has columns.size() cells
};

using KeyValues = std::vector<std::pair<std::string, std::string>>;

// Org key -> display name, for the kOrgKey cells of tables.
using OrgNames = std::map<std::string, std::string>;

// First 12 characters of a hex id, for tables; "" stays "".
std::string ShortId(const std::string& hex);

// The number of terminal columns `text` takes, counting UTF-8 code points (not bytes).
size_t DisplayWidth(std::string_view text);

// How EscapeControls writes what it escapes.
enum class EscapeStyle {
  kCell,   // one table cell or key/value line: tab, LF and CR become spaces
  kLines,  // text of several lines (CSV fields, messages): tab and LF stay
  kJson,   // JSON text (whose C0 controls are already escaped): \u00XX forms, valid JSON
};

// `text` with every control character made visible: the C0 controls (ESC included, so an escape
// sequence shows as "\x1b[31m"), DEL and bytes that are not valid UTF-8 as "\xNN", the C1
// controls U+0080..U+009F as "\u0080".."\u009f" (in kJson: "\u001b", "\u007f", "\u0080"),
// but for the whitespace that `style` keeps or turns into spaces. Printable UTF-8 is kept.
std::string EscapeControls(std::string_view text, EscapeStyle style);

// Text safe for one table cell: EscapeControls(text, EscapeStyle::kCell).
std::string OneLine(std::string_view text);

// Columns padded to their widest cell (header included), separated by two spaces, upper-case
// headers; no trailing spaces. An empty table prints only the header. Cells of kId columns show
// short ids; of kOrgKey columns, the short key and the org's name from `org_names` ("76ec538a8ac4
// (Riverside)").
std::string RenderTable(const Table& table, const OrgNames& org_names = {});

// RFC 4180: header row, then rows; a field with a comma, quote, CR or LF is quoted, and quotes
// inside are doubled. Lines end in "\n". Fields pass EscapeControls(kLines) first.
std::string RenderCsv(const Table& table);
std::string CsvField(std::string_view field);

// "key  value" lines, keys padded to the longest; with `colour`, a `progress` bar coloured.
std::string RenderKeyValues(const KeyValues& values, bool colour = false);

// Key/value pairs as a two-column CSV ("key,value").
std::string RenderKeyValuesCsv(const KeyValues& values);

// Prints the JSON text (two-space indent; invalid UTF-8 replaced, never thrown; DEL and C1
// controls escaped as \u00XX).
std::string DumpJson(const Json& json);

// What a command prints on stdout when it succeeds: a list (a JSON array, or a table / CSV), one
// object (a JSON object, or key/value lines / CSV rows, plus titled tables under the lines in
// the table format), or a text printed as is in every format. `notes` go to stderr after it.
struct Output {
  static Output List(Json json, Table table);
  static Output Object(Json json, KeyValues values,
                       std::vector<std::pair<std::string, Table>> tables = {});
  static Output Text(std::string text);

  Json json;
  std::optional<Table> list;
  KeyValues values;
  std::vector<std::pair<std::string, Table>> tables;  // empty ones are not printed
  std::optional<std::string> text;
  std::string empty_list_text;  // table format, list without rows: this line instead
  std::vector<std::string> notes;
  OrgNames org_names;  // names beside org keys in tables (RunCli fills it when it can)
};

// Whether a table of `output` (the list or a titled one) has a column of org keys.
bool HasOrgKeys(const Output& output);

// The stdout text of `output` in `format`. With `colour` (stdout is a terminal and NO_COLOR is
// not set: UseColour), the table format colours the bar of a `progress` line (received '#'
// green, pledged '+' yellow); colour codes are added after EscapeControls, never taken from
// the data. Nothing else is ever coloured, and CSV and JSON never are.
std::string RenderOutput(const Output& output, OutputFormat format, bool colour = false);

// Whether to colour: only on a terminal, never when NO_COLOR is set (https://no-color.org: to
// anything but "") or TERM is "dumb". `no_color` and `term` are those variables, nullopt when
// unset or empty.
bool UseColour(bool terminal, const std::optional<std::string>& no_color,
               const std::optional<std::string>& term);

// Prints a list that arrives page by page (CommandContext::ReadPages). With -o json it writes
// one JSON array, with -o csv one header and the rows, each page as it comes (the text is the
// same as RenderOutput of the whole list), so a list of any length is printed without holding
// it. In the table format the columns are aligned over the whole list, so the rows are kept
// and printed by RenderOutput of Finish()'s Output. Nothing is written before the first page.
class ListWriter {
 public:
  ListWriter(std::ostream& out, OutputFormat format) : out_(out), format_(format) {}

  // Prints (or, in the table format, keeps) one page: an Output::List of its items.
  void Add(const Output& page);
  // Ends the list: what RunCli still prints (the table, or an empty JSON array or the CSV header
  // when no page had an item, else nothing).
  Output Finish();

 private:
  std::ostream& out_;
  OutputFormat format_;
  bool started_ = false;         // json: "[" written; csv: header written
  std::optional<Output> kept_;   // the table format's rows, and the first page's columns
  std::optional<Output> empty_;  // the first page, for an empty list
};

}  // namespace constellation::cli
