// sdk/src/convert.cc
#include "sdk/src/convert.h"

#include <absl/strings/ascii.h>
#include <absl/strings/str_format.h>
#include <absl/strings/str_join.h>
#include <google/protobuf/descriptor.h>

#include "sdk/src/hex.h"

namespace constellation::internal {
namespace {

using google::protobuf::EnumDescriptor;

// The prefix every value of `descriptor` carries: ROLE_UNSPECIFIED gives "ROLE_" (each enum of
// the wire contract names its zero value <PREFIX>UNSPECIFIED).
std::string_view EnumPrefix(const EnumDescriptor* descriptor) {
  const google::protobuf::EnumValueDescriptor* zero = descriptor->FindValueByNumber(0);
  if (zero == nullptr) return "";
  std::string_view name = zero->name();
  if (name.ends_with("UNSPECIFIED")) name.remove_suffix(std::string_view("UNSPECIFIED").size());
  return name;
}

}  // namespace

std::string EnumName(const EnumDescriptor* descriptor, int number) {
  if (number == 0) return "";
  const google::protobuf::EnumValueDescriptor* value = descriptor->FindValueByNumber(number);
  if (value == nullptr) return absl::StrFormat("unknown_%d", number);
  std::string_view name = value->name();
  const std::string_view prefix = EnumPrefix(descriptor);
  if (name.starts_with(prefix)) name.remove_prefix(prefix.size());
  return absl::AsciiStrToLower(std::string(name));
}

absl::StatusOr<int> EnumNumber(const EnumDescriptor* descriptor, std::string_view name,
                               std::string_view field) {
  if (name.empty()) return 0;
  const std::string full =
      std::string(EnumPrefix(descriptor)) + absl::AsciiStrToUpper(std::string(name));
  const google::protobuf::EnumValueDescriptor* value = descriptor->FindValueByName(full);
  if (value != nullptr && value->number() != 0) return value->number();
  std::vector<std::string> accepted;
  for (int i = 0; i < descriptor->value_count(); ++i) {
    if (descriptor->value(i)->number() == 0) continue;
    accepted.push_back(EnumName(descriptor, descriptor->value(i)->number()));
  }
  return absl::InvalidArgumentError(absl::StrFormat("%s '%s' is not one of: %s", std::string(field),
                                                    std::string(name),
                                                    absl::StrJoin(accepted, ", ")));
}

Hlc FromProto(const v1::Hlc& proto) { return Hlc{proto.wall_ms(), proto.logical()}; }

Money FromProto(const v1::Money& proto) { return Money{proto.amount_minor(), proto.currency()}; }

void ToProto(const Money& money, v1::Money* proto) {
  proto->set_amount_minor(money.amount_minor);
  proto->set_currency(money.currency);
}

EventRef FromProto(const v1::EventRef& proto) {
  return EventRef{HexEncode(proto.event_id()), HexEncode(proto.group_id()),
                  HexEncode(proto.author()), proto.seq(), FromProto(proto.hlc())};
}

absl::Status DecodeIdList(const std::vector<std::string>& hex, std::string_view field,
                          google::protobuf::RepeatedPtrField<std::string>* out) {
  for (const std::string& id : hex) {
    std::string bytes;
    if (absl::Status s = DecodeId(id, field, &bytes); !s.ok()) return s;
    out->Add(std::move(bytes));
  }
  return absl::OkStatus();
}

std::vector<std::string> HexList(const google::protobuf::RepeatedPtrField<std::string>& list) {
  std::vector<std::string> out;
  out.reserve(list.size());
  for (const std::string& bytes : list) out.push_back(HexEncode(bytes));
  return out;
}

std::vector<std::string> StringList(const google::protobuf::RepeatedPtrField<std::string>& list) {
  return std::vector<std::string>(list.begin(), list.end());
}

}  // namespace constellation::internal
