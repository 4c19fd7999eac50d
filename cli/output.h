// cli/output.h
//
// Rendering of results for people and scripts: aligned tables (the default), CSV (RFC 4180, for
// lists), key/value blocks (for one object) and JSON (nlohmann::ordered_json, so that keys keep
// the stable, documented order the callers build them in). An Output is what a command prints
// when it succeeds; RenderOutput turns it into the text of the format the user chose with -o.
// Thread safety: pure functions and plain values.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <nlohmann/json.hpp>

#include "cli/args.h"

namespace constellation::cli {

using Json = nlohmann::ordered_json;

struct Column {
  std::string name;
  bool right_aligned = false;  // numbers and amounts
};

struct Table {
  std::vector<Column> columns;
  std::vector<std::vector<std::string>> rows;  // each row has columns.size() cells
};

using KeyValues = std::vector<std::pair<std::string, std::string>>;

// The number of terminal columns `text` takes, counting UTF-8 code points (not bytes).
size_t DisplayWidth(std::string_view text);

// Text safe for one table cell: control characters (newlines, tabs) become spaces.
std::string OneLine(std::string_view text);

// Columns padded to their widest cell (header included), separated by two spaces, upper-case
// headers; no trailing spaces. An empty table prints only the header.
std::string RenderTable(const Table& table);

// RFC 4180: header row, then rows; a field with a comma, quote, CR or LF is quoted, and quotes
// inside are doubled. Lines end in "\n".
std::string RenderCsv(const Table& table);
std::string CsvField(std::string_view field);

// "key  value" lines, keys padded to the longest.
std::string RenderKeyValues(const KeyValues& values);

// Key/value pairs as a two-column CSV ("key,value").
std::string RenderKeyValuesCsv(const KeyValues& values);

// Prints the JSON text (two-space indent; invalid UTF-8 replaced, never thrown).
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
};

// The stdout text of `output` in `format`.
std::string RenderOutput(const Output& output, OutputFormat format);

}  // namespace constellation::cli
