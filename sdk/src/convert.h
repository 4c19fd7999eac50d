// sdk/src/convert.h
//
// What every domain's conversions share (sdk/src/<domain>/<domain>_convert.h convert that
// domain's types): enum values <-> lowercase names, read from the protobuf descriptors; Money,
// Hlc and EventRef; lists and optional fields. Views from the node convert infallibly (unknown
// enum values show as "unknown_<n>"), by aggregate initialisation in the order the public
// header declares the members (each getter names its member); inputs are validated and fail
// with kInvalidArgument naming the field before any RPC.
// Thread safety: pure functions.
#pragma once

#include <optional>
#include <string>
#include <string_view>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <constellation/common.h>
#include <google/protobuf/generated_enum_reflection.h>
#include <google/protobuf/repeated_ptr_field.h>

#include "constellation/v1/client.pb.h"
#include "constellation/v1/event.pb.h"

namespace constellation::internal {

// The name of enum value `number`: lower case, without the prefix its type's values share (the
// zero value's name minus "UNSPECIFIED"): PLEDGE_STATUS_IN_PROGRESS is "in_progress". The zero
// value is "", a number the descriptor does not know "unknown_<number>".
std::string EnumName(const google::protobuf::EnumDescriptor* descriptor, int number);

// The inverse of EnumName; "" is the zero value. kInvalidArgument naming `field` and listing the
// accepted names otherwise.
absl::StatusOr<int> EnumNumber(const google::protobuf::EnumDescriptor* descriptor,
                               std::string_view name, std::string_view field);

template <typename Enum>
std::string EnumName(Enum value) {
  return EnumName(google::protobuf::GetEnumDescriptor<Enum>(), static_cast<int>(value));
}

// Parses `name` as an `Enum` (EnumNumber) and sets it with `set`, a generated setter such as
// &v1::MemberProfile::set_role. kInvalidArgument as EnumNumber; *proto is then unchanged.
template <typename Message, typename Enum>
absl::Status SetEnum(std::string_view name, std::string_view field, Message* proto,
                     void (Message::*set)(Enum)) {
  absl::StatusOr<int> number = EnumNumber(google::protobuf::GetEnumDescriptor<Enum>(), name, field);
  if (!number.ok()) return number.status();
  (proto->*set)(static_cast<Enum>(*number));
  return absl::OkStatus();
}

Hlc FromProto(const v1::Hlc& proto);
Money FromProto(const v1::Money& proto);
void ToProto(const Money& money, v1::Money* proto);
EventRef FromProto(const v1::EventRef& proto);

// Hex ids -> raw ids appended to *out; errors as DecodeId (naming `field`), *out then holds
// the ids before the bad one.
absl::Status DecodeIdList(const std::vector<std::string>& hex, std::string_view field,
                          google::protobuf::RepeatedPtrField<std::string>* out);
// Raw ids -> hex ids.
std::vector<std::string> HexList(const google::protobuf::RepeatedPtrField<std::string>& list);
// Strings as they are (endpoints).
std::vector<std::string> StringList(const google::protobuf::RepeatedPtrField<std::string>& list);

// `decode(proto)` if the optional message field is set (`present`), else nullopt:
// FromOptional<Money>(proto.has_amount(), proto.amount(), FromProto).
template <typename Out, typename Proto>
std::optional<Out> FromOptional(bool present, const Proto& proto, Out (*decode)(const Proto&)) {
  if (!present) return std::nullopt;
  return decode(proto);
}

// Every view of `list`, converted by `decode` (a FromProto overload: FromList<Group>(
// response.groups(), FromProto) picks the one that returns a Group).
template <typename Out, typename Proto>
std::vector<Out> FromList(const google::protobuf::RepeatedPtrField<Proto>& list,
                          Out (*decode)(const Proto&)) {
  std::vector<Out> out;
  out.reserve(list.size());
  for (const Proto& proto : list) out.push_back(decode(proto));
  return out;
}

}  // namespace constellation::internal
