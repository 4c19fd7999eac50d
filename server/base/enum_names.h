// server/base/enum_names.h
//
// Names of enum values from tables, not switch statements (STYLE.md): EnumName looks a value
// up in an array of names indexed by the value; ProtoEnumName derives the name of a protobuf
// enum value from its descriptor ("DECISION_TYPE_OPEN_CAMPAIGN" with prefix "DECISION_TYPE_"
// -> "open_campaign"), computed once per value.
// Pure. Thread-safe (ProtoEnumName's cache is filled under a function-local static init).
#pragma once

#include <cctype>
#include <cstddef>
#include <map>
#include <string>
#include <string_view>

#include <google/protobuf/descriptor.h>

namespace constellation {

// names[value], or "unknown" for a value outside the table.
template <typename Enum, size_t N>
constexpr std::string_view EnumName(Enum value, const std::string_view (&names)[N]) {
  const auto i = static_cast<size_t>(value);
  return i < N ? names[i] : std::string_view("unknown");
}

// The lower-case name of `value` in `descriptor` without `prefix`; "unknown" for a value the
// descriptor does not hold. `Descriptor` is the generated `Foo_descriptor` function, so each
// enum gets its own cache.
template <const google::protobuf::EnumDescriptor* (*Descriptor)()>
std::string_view ProtoEnumName(int value, std::string_view prefix) {
  static const std::map<int, std::string> names = [prefix] {
    std::map<int, std::string> out;
    const google::protobuf::EnumDescriptor* d = Descriptor();
    for (int i = 0; i < d->value_count(); ++i) {
      std::string name = d->value(i)->name();
      if (name.rfind(prefix, 0) == 0) name = name.substr(prefix.size());
      for (char& c : name) c = static_cast<char>(std::tolower(static_cast<unsigned char>(c)));
      out.emplace(d->value(i)->number(), std::move(name));
    }
    return out;
  }();
  auto it = names.find(value);
  return it == names.end() ? std::string_view("unknown") : std::string_view(it->second);
}

}  // namespace constellation
