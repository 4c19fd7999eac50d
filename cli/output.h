// cli/output.h
//
// Rendering of results for people and scripts: aligned tables (the default), CSV (RFC 4180,
// for lists) and key/value blocks (for one object). JSON is built with nlohmann::ordered_json
// by the callers (cli/render.h) so that keys keep a stable, documented order.
// Thread safety: pure functions.
#pragma once

#include <string>
#include <string_view>
#include <utility>
#include <vector>

namespace constellation::cli {

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

}  // namespace constellation::cli
