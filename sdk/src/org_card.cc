// sdk/src/org_card.cc: the JSON text form of an org card. Hand-written (a small strict JSON
// reader and writer) so that the SDK needs no JSON library and its public headers stay std and
// abseil only.
#include <cstdint>
#include <string>
#include <utility>
#include <vector>

#include <absl/strings/str_format.h>
#include <constellation/org_card.h>

#include "sdk/src/hex.h"
#include "sdk/src/status.h"

namespace constellation {
namespace {

// Nesting deeper than this is rejected: a card is flat, and the reader recurses.
constexpr int kJsonDepthMax = 32;

struct JsonValue {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  std::string text;  // kString: the decoded string
  std::vector<JsonValue> items;
  std::vector<std::pair<std::string, JsonValue>> members;
};

const char* KindName(JsonValue::Kind kind) {
  switch (kind) {
    case JsonValue::Kind::kNull:
      return "null";
    case JsonValue::Kind::kBool:
      return "a boolean";
    case JsonValue::Kind::kNumber:
      return "a number";
    case JsonValue::Kind::kString:
      return "a string";
    case JsonValue::Kind::kArray:
      return "an array";
    case JsonValue::Kind::kObject:
      return "an object";
  }
  return "a value";
}

void AppendUtf8(uint32_t code_point, std::string* out) {
  if (code_point < 0x80) {
    out->push_back(static_cast<char>(code_point));
  } else if (code_point < 0x800) {
    out->push_back(static_cast<char>(0xC0 | (code_point >> 6)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else if (code_point < 0x10000) {
    out->push_back(static_cast<char>(0xE0 | (code_point >> 12)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  } else {
    out->push_back(static_cast<char>(0xF0 | (code_point >> 18)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 12) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | ((code_point >> 6) & 0x3F)));
    out->push_back(static_cast<char>(0x80 | (code_point & 0x3F)));
  }
}

// True when `text` is well-formed UTF-8 (no overlongs, no surrogates, <= U+10FFFF).
bool IsValidUtf8(std::string_view text) {
  size_t i = 0;
  while (i < text.size()) {
    const auto byte = static_cast<unsigned char>(text[i]);
    size_t length = 0;
    uint32_t code_point = 0;
    if (byte < 0x80) {
      ++i;
      continue;
    } else if ((byte & 0xE0) == 0xC0) {
      length = 2;
      code_point = byte & 0x1F;
    } else if ((byte & 0xF0) == 0xE0) {
      length = 3;
      code_point = byte & 0x0F;
    } else if ((byte & 0xF8) == 0xF0) {
      length = 4;
      code_point = byte & 0x07;
    } else {
      return false;
    }
    if (i + length > text.size()) return false;
    for (size_t k = 1; k < length; ++k) {
      const auto next = static_cast<unsigned char>(text[i + k]);
      if ((next & 0xC0) != 0x80) return false;
      code_point = (code_point << 6) | (next & 0x3F);
    }
    static constexpr uint32_t kMinimum[] = {0, 0, 0x80, 0x800, 0x10000};
    if (code_point < kMinimum[length] || code_point > 0x10FFFF ||
        (code_point >= 0xD800 && code_point <= 0xDFFF)) {
      return false;
    }
    i += length;
  }
  return true;
}

// A strict RFC 8259 reader. Errors name the byte offset.
class JsonReader {
 public:
  explicit JsonReader(std::string_view text) : text_(text) {}

  absl::StatusOr<JsonValue> ReadDocument() {
    JsonValue value;
    CONSTELLATION_SDK_RETURN_IF_ERROR(ReadValue(0, &value));
    SkipSpace();
    if (pos_ != text_.size()) return Error("unexpected text after the JSON value");
    return value;
  }

 private:
  absl::Status Error(std::string_view what) const {
    return absl::InvalidArgumentError(
        absl::StrFormat("org card is not valid JSON: %s at byte %d", std::string(what), pos_));
  }

  void SkipSpace() {
    while (pos_ < text_.size() && (text_[pos_] == ' ' || text_[pos_] == '\t' ||
                                   text_[pos_] == '\n' || text_[pos_] == '\r')) {
      ++pos_;
    }
  }

  bool Consume(std::string_view literal) {
    if (text_.substr(pos_, literal.size()) != literal) return false;
    pos_ += literal.size();
    return true;
  }

  absl::Status ReadValue(int depth, JsonValue* out) {
    if (depth > kJsonDepthMax) return Error("nesting too deep");
    SkipSpace();
    if (pos_ >= text_.size()) return Error("unexpected end of text");
    const char c = text_[pos_];
    if (c == '{') return ReadObject(depth, out);
    if (c == '[') return ReadArray(depth, out);
    if (c == '"') {
      out->kind = JsonValue::Kind::kString;
      return ReadString(&out->text);
    }
    if (Consume("true") || Consume("false")) {
      out->kind = JsonValue::Kind::kBool;
      return absl::OkStatus();
    }
    if (Consume("null")) {
      out->kind = JsonValue::Kind::kNull;
      return absl::OkStatus();
    }
    if (c == '-' || (c >= '0' && c <= '9')) {
      out->kind = JsonValue::Kind::kNumber;
      return ReadNumber();
    }
    return Error(absl::StrFormat("unexpected character '%c'", c));
  }

  absl::Status ReadObject(int depth, JsonValue* out) {
    out->kind = JsonValue::Kind::kObject;
    ++pos_;  // '{'
    SkipSpace();
    if (Consume("}")) return absl::OkStatus();
    while (true) {
      SkipSpace();
      if (pos_ >= text_.size() || text_[pos_] != '"') return Error("expected a quoted key");
      std::string key;
      CONSTELLATION_SDK_RETURN_IF_ERROR(ReadString(&key));
      for (const auto& [existing, unused] : out->members) {
        if (existing == key) return Error(absl::StrFormat("duplicate key \"%s\"", key));
      }
      SkipSpace();
      if (!Consume(":")) return Error("expected ':' after a key");
      JsonValue value;
      CONSTELLATION_SDK_RETURN_IF_ERROR(ReadValue(depth + 1, &value));
      out->members.emplace_back(std::move(key), std::move(value));
      SkipSpace();
      if (Consume("}")) return absl::OkStatus();
      if (!Consume(",")) return Error("expected ',' or '}' in an object");
    }
  }

  absl::Status ReadArray(int depth, JsonValue* out) {
    out->kind = JsonValue::Kind::kArray;
    ++pos_;  // '['
    SkipSpace();
    if (Consume("]")) return absl::OkStatus();
    while (true) {
      JsonValue item;
      CONSTELLATION_SDK_RETURN_IF_ERROR(ReadValue(depth + 1, &item));
      out->items.push_back(std::move(item));
      SkipSpace();
      if (Consume("]")) return absl::OkStatus();
      if (!Consume(",")) return Error("expected ',' or ']' in an array");
    }
  }

  absl::Status ReadNumber() {
    const auto digits = [this] {
      size_t count = 0;
      while (pos_ < text_.size() && text_[pos_] >= '0' && text_[pos_] <= '9') {
        ++pos_;
        ++count;
      }
      return count;
    };
    Consume("-");
    if (Consume("0")) {
      // No leading zeros.
    } else if (digits() == 0) {
      return Error("malformed number");
    }
    if (Consume(".") && digits() == 0) return Error("malformed number");
    if (pos_ < text_.size() && (text_[pos_] == 'e' || text_[pos_] == 'E')) {
      ++pos_;
      if (!Consume("+")) Consume("-");
      if (digits() == 0) return Error("malformed number");
    }
    return absl::OkStatus();
  }

  absl::StatusOr<uint32_t> ReadHex4() {
    if (pos_ + 4 > text_.size()) return Error("truncated \\u escape");
    uint32_t value = 0;
    for (int i = 0; i < 4; ++i) {
      const char c = text_[pos_++];
      value <<= 4;
      if (c >= '0' && c <= '9') {
        value |= static_cast<uint32_t>(c - '0');
      } else if (c >= 'a' && c <= 'f') {
        value |= static_cast<uint32_t>(c - 'a' + 10);
      } else if (c >= 'A' && c <= 'F') {
        value |= static_cast<uint32_t>(c - 'A' + 10);
      } else {
        return Error("malformed \\u escape");
      }
    }
    return value;
  }

  absl::Status ReadString(std::string* out) {
    ++pos_;  // opening quote
    while (true) {
      if (pos_ >= text_.size()) return Error("unterminated string");
      const char c = text_[pos_];
      if (c == '"') {
        ++pos_;
        if (!IsValidUtf8(*out)) return Error("string is not valid UTF-8");
        return absl::OkStatus();
      }
      if (static_cast<unsigned char>(c) < 0x20) return Error("control character in a string");
      if (c != '\\') {
        out->push_back(c);
        ++pos_;
        continue;
      }
      ++pos_;
      if (pos_ >= text_.size()) return Error("unterminated string");
      const char escape = text_[pos_++];
      switch (escape) {
        case '"':
        case '\\':
        case '/':
          out->push_back(escape);
          break;
        case 'b':
          out->push_back('\b');
          break;
        case 'f':
          out->push_back('\f');
          break;
        case 'n':
          out->push_back('\n');
          break;
        case 'r':
          out->push_back('\r');
          break;
        case 't':
          out->push_back('\t');
          break;
        case 'u': {
          absl::StatusOr<uint32_t> unit = ReadHex4();
          if (!unit.ok()) return unit.status();
          uint32_t code_point = *unit;
          if (code_point >= 0xDC00 && code_point <= 0xDFFF) return Error("unpaired surrogate");
          if (code_point >= 0xD800 && code_point <= 0xDBFF) {
            if (!Consume("\\u")) return Error("unpaired surrogate");
            absl::StatusOr<uint32_t> low = ReadHex4();
            if (!low.ok()) return low.status();
            if (*low < 0xDC00 || *low > 0xDFFF) return Error("unpaired surrogate");
            code_point = 0x10000 + ((code_point - 0xD800) << 10) + (*low - 0xDC00);
          }
          AppendUtf8(code_point, out);
          break;
        }
        default:
          return Error(absl::StrFormat("unknown escape '\\%c'", escape));
      }
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
};

void AppendJsonString(std::string_view text, std::string* out) {
  out->push_back('"');
  for (char c : text) {
    switch (c) {
      case '"':
        *out += "\\\"";
        break;
      case '\\':
        *out += "\\\\";
        break;
      case '\n':
        *out += "\\n";
        break;
      case '\r':
        *out += "\\r";
        break;
      case '\t':
        *out += "\\t";
        break;
      case '\b':
        *out += "\\b";
        break;
      case '\f':
        *out += "\\f";
        break;
      default:
        if (static_cast<unsigned char>(c) < 0x20) {
          *out += absl::StrFormat("\\u%04x", static_cast<int>(c));
        } else {
          out->push_back(c);
        }
    }
  }
  out->push_back('"');
}

}  // namespace

std::string OrgCardToJson(const OrgCard& card) {
  std::string out = "{\n  \"key\": ";
  AppendJsonString(card.key, &out);
  out += ",\n  \"name\": ";
  AppendJsonString(card.name, &out);
  out += ",\n  \"endpoints\": ";
  if (card.endpoints.empty()) {
    out += "[]";
  } else {
    out += "[";
    for (size_t i = 0; i < card.endpoints.size(); ++i) {
      out += i == 0 ? "\n    " : ",\n    ";
      AppendJsonString(card.endpoints[i], &out);
    }
    out += "\n  ]";
  }
  out += "\n}";
  return out;
}

absl::StatusOr<OrgCard> OrgCardFromJson(std::string_view json) {
  if (json.size() > kOrgCardJsonSizeBytesMax) {
    return absl::InvalidArgumentError(
        absl::StrFormat("org card is %d bytes, above the limit kOrgCardJsonSizeBytesMax = %d",
                        json.size(), kOrgCardJsonSizeBytesMax));
  }
  absl::StatusOr<JsonValue> document = JsonReader(json).ReadDocument();
  if (!document.ok()) return document.status();
  if (document->kind != JsonValue::Kind::kObject) {
    return absl::InvalidArgumentError(
        absl::StrFormat("org card must be a JSON object {\"key\", \"name\", \"endpoints\"}, got %s",
                        KindName(document->kind)));
  }
  OrgCard card;
  bool has_key = false;
  for (const auto& [name, value] : document->members) {
    if (name == "key") {
      if (value.kind != JsonValue::Kind::kString) {
        return absl::InvalidArgumentError(
            absl::StrFormat("org card \"key\" must be a string of 64 hex characters, got %s",
                            KindName(value.kind)));
      }
      std::string bytes;
      absl::Status status = internal::DecodeId(value.text, "org card \"key\"", &bytes);
      if (!status.ok()) return status;
      card.key = internal::HexEncode(bytes);
      has_key = true;
    } else if (name == "name") {
      if (value.kind != JsonValue::Kind::kString) {
        return absl::InvalidArgumentError(
            absl::StrFormat("org card \"name\" must be a string, got %s", KindName(value.kind)));
      }
      card.name = value.text;
    } else if (name == "endpoints") {
      if (value.kind != JsonValue::Kind::kArray) {
        return absl::InvalidArgumentError(absl::StrFormat(
            "org card \"endpoints\" must be an array of \"host:port\" strings, got %s",
            KindName(value.kind)));
      }
      for (const JsonValue& item : value.items) {
        if (item.kind != JsonValue::Kind::kString) {
          return absl::InvalidArgumentError(
              absl::StrFormat("org card \"endpoints\" must hold \"host:port\" strings, got %s",
                              KindName(item.kind)));
        }
        card.endpoints.push_back(item.text);
      }
    }
    // Other keys are ignored: later versions may add some.
  }
  if (!has_key) {
    return absl::InvalidArgumentError(
        "org card has no \"key\": export it with 'constellation org card' on the org's node");
  }
  return card;
}

}  // namespace constellation
