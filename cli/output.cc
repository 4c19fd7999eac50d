// cli/output.cc
#include "cli/output.h"

#include <algorithm>

#include <absl/strings/ascii.h>

namespace constellation::cli {
namespace {

void Pad(std::string* out, size_t count) { out->append(count, ' '); }

void AppendCsvRow(std::string* out, const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out->push_back(',');
    out->append(CsvField(cells[i]));
  }
  out->push_back('\n');
}

}  // namespace

size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++width;  // count every byte that starts a code point
  }
  return width;
}

std::string OneLine(std::string_view text) {
  std::string out(text);
  for (char& c : out) {
    if (static_cast<unsigned char>(c) < 0x20 || c == 0x7f) c = ' ';
  }
  return out;
}

std::string RenderTable(const Table& table) {
  std::vector<std::string> headers;
  std::vector<size_t> widths;
  for (const Column& column : table.columns) {
    headers.push_back(absl::AsciiStrToUpper(column.name));
    widths.push_back(DisplayWidth(headers.back()));
  }
  std::vector<std::vector<std::string>> rows;
  for (const std::vector<std::string>& row : table.rows) {
    std::vector<std::string> cells;
    for (size_t i = 0; i < table.columns.size(); ++i) {
      cells.push_back(OneLine(i < row.size() ? row[i] : ""));
      widths[i] = std::max(widths[i], DisplayWidth(cells.back()));
    }
    rows.push_back(std::move(cells));
  }
  std::string out;
  auto append_row = [&](const std::vector<std::string>& cells) {
    std::string line;
    for (size_t i = 0; i < cells.size(); ++i) {
      const size_t fill = widths[i] - DisplayWidth(cells[i]);
      const bool last = i + 1 == cells.size();
      if (i > 0) line += "  ";
      if (table.columns[i].right_aligned) {
        Pad(&line, fill);
        line += cells[i];
      } else {
        line += cells[i];
        if (!last) Pad(&line, fill);
      }
    }
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line;
    out += '\n';
  };
  append_row(headers);
  for (const std::vector<std::string>& cells : rows) append_row(cells);
  return out;
}

std::string CsvField(std::string_view field) {
  if (field.find_first_of(",\"\r\n") == std::string_view::npos) return std::string(field);
  std::string out = "\"";
  for (char c : field) {
    if (c == '"') out.push_back('"');
    out.push_back(c);
  }
  out.push_back('"');
  return out;
}

std::string RenderCsv(const Table& table) {
  std::string out;
  std::vector<std::string> header;
  for (const Column& column : table.columns) header.push_back(column.name);
  AppendCsvRow(&out, header);
  for (const std::vector<std::string>& row : table.rows) AppendCsvRow(&out, row);
  return out;
}

std::string RenderKeyValues(const KeyValues& values) {
  size_t width = 0;
  for (const auto& [key, value] : values) width = std::max(width, DisplayWidth(key));
  std::string out;
  for (const auto& [key, value] : values) {
    std::string line = key;
    Pad(&line, width - DisplayWidth(key) + 2);
    line += OneLine(value);
    while (!line.empty() && line.back() == ' ') line.pop_back();
    out += line + "\n";
  }
  return out;
}

std::string RenderKeyValuesCsv(const KeyValues& values) {
  std::string out = "key,value\n";
  for (const auto& [key, value] : values) AppendCsvRow(&out, {key, value});
  return out;
}

std::string DumpJson(const Json& json) {
  return json.dump(2, ' ', false, Json::error_handler_t::replace);
}

Output Output::List(Json json, Table table) {
  Output output;
  output.json = std::move(json);
  output.list = std::move(table);
  return output;
}

Output Output::Object(Json json, KeyValues values,
                      std::vector<std::pair<std::string, Table>> tables) {
  Output output;
  output.json = std::move(json);
  output.values = std::move(values);
  output.tables = std::move(tables);
  return output;
}

Output Output::Text(std::string text) {
  Output output;
  output.text = std::move(text);
  return output;
}

std::string RenderOutput(const Output& output, OutputFormat format) {
  if (output.text.has_value()) return *output.text;
  if (format == OutputFormat::kJson) return DumpJson(output.json) + "\n";
  if (output.list.has_value()) {
    if (format == OutputFormat::kCsv) return RenderCsv(*output.list);
    if (output.list->rows.empty() && !output.empty_list_text.empty()) {
      return output.empty_list_text;
    }
    return RenderTable(*output.list);
  }
  if (format == OutputFormat::kCsv) return RenderKeyValuesCsv(output.values);
  std::string out = RenderKeyValues(output.values);
  for (const auto& [title, table] : output.tables) {
    if (!table.rows.empty()) out += "\n" + title + ":\n" + RenderTable(table);
  }
  return out;
}

}  // namespace constellation::cli
