// sdk/src/org_card.cc: the JSON text form of an org card. Hand-written (a small strict JSON
// reader and writer) so that the SDK needs no JSON library and its public headers stay std and
// abseil only.
#include <algorithm>
#include <cstdint>
#include <iterator>
#include <string>
#include <utility>
#include <vector>

#include <absl/functional/function_ref.h>
#include <absl/strings/str_format.h>
#include <constellation/org_card.h>

#include "sdk/src/hex.h"
#include "sdk/src/status.h"

namespace constellation {
namespace {

// Nesting deeper than this is rejected: a card is flat, and the reader recurses.
constexpr int kJsonDepthMax = 32;

struct JsonMember;

struct JsonValue {
  enum class Kind { kNull, kBool, kNumber, kString, kArray, kObject };
  Kind kind = Kind::kNull;
  std::string text;  // kString: the decoded string
  std::vector<JsonValue> items;
  // A named struct rather than std::pair: a pair needs JsonValue complete here, which the
  // standard does not promise (clang refuses it).
  std::vector<JsonMember> members;
};

struct JsonMember {
  std::string name;
  JsonValue value;
};

// How error messages name a JSON value of each kind, indexed by JsonValue::Kind.
constexpr const char* kKindNames[] = {"null",     "a boolean", "a number",
                                      "a string", "an array",  "an object"};

static_assert(std::size(kKindNames) == static_cast<size_t>(JsonValue::Kind::kObject) + 1);

const char* KindName(JsonValue::Kind kind) { return kKindNames[static_cast<int>(kind)]; }

// The two-character escapes of JSON strings: the letter after the backslash and the character
// it stands for. Reading also accepts "\/" for '/'; writing escapes only these characters and
// other control characters (as \u00XX).
struct JsonEscape {
  char letter;
  char character;
};
constexpr JsonEscape kJsonEscapes[] = {{'"', '"'},  {'\\', '\\'}, {'b', '\b'}, {'f', '\f'},
                                       {'n', '\n'}, {'r', '\r'},  {'t', '\t'}};

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

  // Reads an object's members or an array's items (the opening character is at pos_):
  // `read_element` reads one, then a ',' or the `close` character must follow.
  absl::Status ReadElements(char close, std::string_view container,
                            absl::FunctionRef<absl::Status()> read_element) {
    ++pos_;  // '{' or '['
    SkipSpace();
    const std::string_view close_text(&close, 1);
    if (Consume(close_text)) return absl::OkStatus();
    while (true) {
      CONSTELLATION_SDK_RETURN_IF_ERROR(read_element());
      SkipSpace();
      if (Consume(close_text)) return absl::OkStatus();
      if (!Consume(",")) {
        return Error(absl::StrFormat("expected ',' or '%c' in %s", close, std::string(container)));
      }
    }
  }

  absl::Status ReadObject(int depth, JsonValue* out) {
    out->kind = JsonValue::Kind::kObject;
    return ReadElements('}', "an object", [&]() -> absl::Status {
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
      out->members.push_back(JsonMember{std::move(key), std::move(value)});
      return absl::OkStatus();
    });
  }

  absl::Status ReadArray(int depth, JsonValue* out) {
    out->kind = JsonValue::Kind::kArray;
    return ReadElements(']', "an array", [&]() -> absl::Status {
      JsonValue item;
      CONSTELLATION_SDK_RETURN_IF_ERROR(ReadValue(depth + 1, &item));
      out->items.push_back(std::move(item));
      return absl::OkStatus();
    });
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

  // Reads the four hex digits after "\\u" (and a low surrogate's "\\uXXXX" after a high one)
  // and appends the code point as UTF-8.
  absl::Status ReadUnicodeEscape(std::string* out) {
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
    return absl::OkStatus();
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
      if (escape == 'u') {
        CONSTELLATION_SDK_RETURN_IF_ERROR(ReadUnicodeEscape(out));
        continue;
      }
      if (escape == '/') {
        out->push_back('/');
        continue;
      }
      const JsonEscape* known = std::find_if(std::begin(kJsonEscapes), std::end(kJsonEscapes),
                                             [escape](JsonEscape e) { return e.letter == escape; });
      if (known == std::end(kJsonEscapes)) {
        return Error(absl::StrFormat("unknown escape '\\%c'", escape));
      }
      out->push_back(known->character);
    }
  }

  std::string_view text_;
  size_t pos_ = 0;
};

void AppendJsonString(std::string_view text, std::string* out) {
  out->push_back('"');
  for (char c : text) {
    const JsonEscape* known = std::find_if(std::begin(kJsonEscapes), std::end(kJsonEscapes),
                                           [c](JsonEscape e) { return e.character == c; });
    if (known != std::end(kJsonEscapes)) {
      out->push_back('\\');
      out->push_back(known->letter);
    } else if (static_cast<unsigned char>(c) < 0x20) {
      *out += absl::StrFormat("\\u%04x", static_cast<int>(c));
    } else {
      out->push_back(c);
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
