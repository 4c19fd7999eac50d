// cli/output.cc
#include "cli/output.h"

#include <algorithm>

#include <absl/strings/ascii.h>
#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>
#include <absl/strings/str_split.h>

namespace constellation::cli {
namespace {

constexpr size_t kShortIdSize = 12;

void Pad(std::string* out, size_t count) { out->append(count, ' '); }

void AppendCsvRow(std::string* out, const std::vector<std::string>& cells) {
  for (size_t i = 0; i < cells.size(); ++i) {
    if (i > 0) out->push_back(',');
    out->append(CsvField(EscapeControls(cells[i], EscapeStyle::kLines)));
  }
  out->push_back('\n');
}

// The length of the valid UTF-8 sequence at the start of `text` (1..4), or 0 when the first
// byte does not start one (a stray continuation byte, a bad lead, a truncated or overlong
// sequence, a surrogate).
size_t Utf8SequenceLength(std::string_view text) {
  const auto byte = [&](size_t i) { return static_cast<unsigned char>(text[i]); };
  const unsigned char lead = byte(0);
  size_t length = 0;
  uint32_t code_point = 0;
  if (lead < 0x80) return 1;
  if ((lead & 0xE0) == 0xC0) {
    length = 2;
    code_point = lead & 0x1F;
  } else if ((lead & 0xF0) == 0xE0) {
    length = 3;
    code_point = lead & 0x0F;
  } else if ((lead & 0xF8) == 0xF0) {
    length = 4;
    code_point = lead & 0x07;
  } else {
    return 0;
  }
  if (text.size() < length) return 0;
  for (size_t i = 1; i < length; ++i) {
    if ((byte(i) & 0xC0) != 0x80) return 0;
    code_point = (code_point << 6) | (byte(i) & 0x3F);
  }
  static constexpr uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
  if (code_point < kMinimum[length] || code_point > 0x10FFFF ||
      (code_point >= 0xD800 && code_point <= 0xDFFF)) {
    return 0;
  }
  return length;
}

}  // namespace

std::string EscapeControls(std::string_view text, EscapeStyle style) {
  std::string out;
  out.reserve(text.size());
  for (size_t i = 0; i < text.size();) {
    const unsigned char c = static_cast<unsigned char>(text[i]);
    const size_t length = Utf8SequenceLength(text.substr(i));
    if (length == 0) {  // not UTF-8: one byte, shown (an 8-bit terminal may read 0x9B as CSI)
      out += style == EscapeStyle::kJson ? std::string("\\ufffd") : absl::StrFormat("\\x%02x", c);
      ++i;
      continue;
    }
    if (length == 2 && c == 0xC2 && static_cast<unsigned char>(text[i + 1]) < 0xA0) {  // C1
      out += absl::StrFormat("\\u%04x", static_cast<unsigned char>(text[i + 1]));
      i += 2;
      continue;
    }
    if (length > 1 || (c >= 0x20 && c != 0x7F)) {
      out.append(text.substr(i, length));
      i += length;
      continue;
    }
    ++i;
    if (c == '\t' || c == '\n' || c == '\r') {
      if (style == EscapeStyle::kCell) {
        out.push_back(' ');
        continue;
      }
      if (c != '\r') {
        out.push_back(static_cast<char>(c));
        continue;
      }
    }
    out +=
        style == EscapeStyle::kJson ? absl::StrFormat("\\u%04x", c) : absl::StrFormat("\\x%02x", c);
  }
  return out;
}

size_t DisplayWidth(std::string_view text) {
  size_t width = 0;
  for (unsigned char c : text) {
    if ((c & 0xC0) != 0x80) ++width;  // count every byte that starts a code point
  }
  return width;
}

std::string OneLine(std::string_view text) { return EscapeControls(text, EscapeStyle::kCell); }

std::string ShortId(const std::string& hex) { return hex.substr(0, kShortIdSize); }

namespace {

// The text a table shows for `cell` of a column of `kind`.
std::string TableCell(const std::string& cell, CellKind kind, const OrgNames& org_names) {
  if (kind == CellKind::kId) {
    std::vector<std::string> ids = absl::StrSplit(cell, ' ');
    for (std::string& id : ids) id = ShortId(id);
    return absl::StrJoin(ids, " ");
  }
  if (kind == CellKind::kOrgKey) {
    std::vector<std::string> keys = absl::StrSplit(cell, ' ', absl::SkipEmpty());
    for (std::string& key : keys) {
      if (key.size() <= kShortIdSize) continue;
      auto it = org_names.find(key);
      key = it == org_names.end() || it->second.empty()
                ? ShortId(key)
                : absl::StrFormat("%s (%s)", ShortId(key), it->second);
    }
    return absl::StrJoin(keys, ", ");
  }
  return cell;
}

}  // namespace

bool HasOrgKeys(const Output& output) {
  auto has = [](const Table& table) {
    return std::any_of(table.columns.begin(), table.columns.end(),
                       [](const Column& column) { return column.kind == CellKind::kOrgKey; });
  };
  if (output.list.has_value() && has(*output.list)) return true;
  return std::any_of(output.tables.begin(), output.tables.end(),
                     [&has](const auto& titled) { return has(titled.second); });
}

std::string RenderTable(const Table& table, const OrgNames& org_names) {
  std::vector<std::string> headers;
  std::vector<size_t> widths;
  for (const Column& column : table.columns) {
    headers.push_back(OneLine(absl::AsciiStrToUpper(column.name)));
    widths.push_back(DisplayWidth(headers.back()));
  }
  std::vector<std::vector<std::string>> rows;
  for (const std::vector<std::string>& row : table.rows) {
    std::vector<std::string> cells;
    for (size_t i = 0; i < table.columns.size(); ++i) {
      cells.push_back(
          OneLine(TableCell(i < row.size() ? row[i] : "", table.columns[i].kind, org_names)));
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

namespace {

constexpr char kGreen[] = "\033[32m";
constexpr char kYellow[] = "\033[33m";
constexpr char kReset[] = "\033[0m";

// The bar "[##++....] 30% pledged" (already escaped) with the run of '#' green and of '+'
// yellow; any other text as is.
std::string ColourBar(const std::string& text) {
  if (!text.starts_with('[')) return text;
  const size_t close = text.find(']');
  if (close == std::string::npos) return text;
  const std::string_view bar = std::string_view(text).substr(1, close - 1);
  const size_t received = bar.find_first_not_of('#');
  const size_t received_end = received == std::string_view::npos ? bar.size() : received;
  const size_t pledged = bar.find_first_not_of('+', received_end);
  const size_t pledged_end = pledged == std::string_view::npos ? bar.size() : pledged;
  if (bar.substr(pledged_end).find_first_not_of('.') != std::string_view::npos) return text;
  return "[" + std::string(kGreen) + std::string(bar.substr(0, received_end)) + kYellow +
         std::string(bar.substr(received_end, pledged_end - received_end)) + kReset +
         std::string(bar.substr(pledged_end)) + text.substr(close);
}

}  // namespace

bool UseColour(bool terminal, const std::optional<std::string>& no_color,
               const std::optional<std::string>& term) {
  return terminal && !no_color.has_value() && term != "dumb";
}

std::string RenderKeyValues(const KeyValues& values, bool colour) {
  size_t width = 0;
  for (const auto& [key, value] : values) width = std::max(width, DisplayWidth(OneLine(key)));
  std::string out;
  for (const auto& [key, value] : values) {
    std::string line = OneLine(key);
    Pad(&line, width - DisplayWidth(line) + 2);
    line += colour && key == "progress" ? ColourBar(OneLine(value)) : OneLine(value);
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
  return EscapeControls(json.dump(2, ' ', false, Json::error_handler_t::replace),
                        EscapeStyle::kJson);
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

std::string RenderOutput(const Output& output, OutputFormat format, bool colour) {
  if (output.text.has_value()) return EscapeControls(*output.text, EscapeStyle::kLines);
  if (format == OutputFormat::kJson) return DumpJson(output.json) + "\n";
  if (output.list.has_value()) {
    if (format == OutputFormat::kCsv) return RenderCsv(*output.list);
    if (output.list->rows.empty() && !output.empty_list_text.empty()) {
      return output.empty_list_text;
    }
    return RenderTable(*output.list, output.org_names);
  }
  if (format == OutputFormat::kCsv) return RenderKeyValuesCsv(output.values);
  std::string out = RenderKeyValues(output.values, colour);
  for (const auto& [title, table] : output.tables) {
    if (!table.rows.empty()) out += "\n" + title + ":\n" + RenderTable(table, output.org_names);
  }
  return out;
}

void ListWriter::Add(const Output& page) {
  if (!empty_.has_value()) empty_ = page;
  if (format_ == OutputFormat::kTable) {
    if (!kept_.has_value() || kept_->list->rows.empty()) {
      std::vector<std::vector<std::string>> rows;
      if (kept_.has_value()) rows = std::move(kept_->list->rows);
      kept_ = page;  // the columns (and their alignment) of the first page with rows
      kept_->list->rows = std::move(rows);
    }
    for (const std::vector<std::string>& row : page.list->rows) kept_->list->rows.push_back(row);
    return;
  }
  if (format_ == OutputFormat::kCsv) {
    if (page.list->rows.empty()) return;
    Table rows{page.list->columns, page.list->rows};
    std::string text = RenderCsv(rows);
    if (started_) text.erase(0, text.find('\n') + 1);  // one header
    started_ = true;
    out_ << text;
    out_.flush();
    return;
  }
  std::string text;
  for (const Json& item : page.json) {
    text += started_ ? ",\n" : "[\n";
    started_ = true;
    const std::string dumped = DumpJson(item);
    size_t line_start = 0;
    while (line_start < dumped.size()) {  // indented as an element of the array
      const size_t line_end = dumped.find('\n', line_start);
      const size_t end = line_end == std::string::npos ? dumped.size() : line_end;
      text += "  ";
      text.append(dumped, line_start, end - line_start);
      if (line_end != std::string::npos) text += '\n';
      line_start = end + 1;
    }
  }
  out_ << text;
  out_.flush();
}

Output ListWriter::Finish() {
  if (format_ == OutputFormat::kTable && kept_.has_value()) return *std::move(kept_);
  if (!started_) {
    if (format_ == OutputFormat::kJson) return Output::Text("[]\n");
    Output empty = empty_.has_value() ? *std::move(empty_) : Output::List(Json::array(), {});
    return empty;
  }
  return Output::Text(format_ == OutputFormat::kJson ? "\n]\n" : "");
}

}  // namespace constellation::cli
