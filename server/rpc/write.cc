#include "server/rpc/write.h"

#include <absl/strings/str_format.h>
#include <google/protobuf/util/message_differencer.h>

#include "server/base/check.h"
#include "server/core/records.h"
#include "server/rpc/request.h"

namespace constellation::rpc {
namespace {

using google::protobuf::FieldDescriptor;

// True when `original` (an event this node wrote) records the same write as `body` would: the
// same group and the same record. Fields the node fills in when the client left them unset
// (a payment's received_ms) are compared only when the client set them.
bool SameWrite(const core::VerifiedEvent& original, const std::optional<core::GroupId>& group,
               const v1::Event& body) {
  if (group.has_value() && original.group != *group) return false;
  v1::Event recorded = original.event;
  for (int field :
       {v1::Event::kFormatVersionFieldNumber, v1::Event::kGroupIdFieldNumber,
        v1::Event::kAuthorFieldNumber, v1::Event::kSeqFieldNumber, v1::Event::kPrevFieldNumber,
        v1::Event::kDepsFieldNumber, v1::Event::kHlcFieldNumber}) {
    recorded.GetReflection()->ClearField(&recorded,
                                         v1::Event::descriptor()->FindFieldByNumber(field));
  }
  if (body.has_payment_receipt() && body.payment_receipt().received_ms() == 0 &&
      recorded.has_payment_receipt()) {
    recorded.mutable_payment_receipt()->clear_received_ms();
  }
  return google::protobuf::util::MessageDifferencer::Equals(recorded, body);
}

// Copies the singular field `from` of `request` into the field `to` of `record`, of the same
// type: the scalar types the write records use (bytes and strings, integers, bools, enums) and
// messages.
void CopyField(const google::protobuf::Message& request, const FieldDescriptor* from,
               google::protobuf::Message* record, const FieldDescriptor* to) {
  const google::protobuf::Reflection* in = request.GetReflection();
  const google::protobuf::Reflection* out = record->GetReflection();
  switch (from->cpp_type()) {
    case FieldDescriptor::CPPTYPE_STRING:
      return out->SetString(record, to, in->GetString(request, from));
    case FieldDescriptor::CPPTYPE_UINT64:
      return out->SetUInt64(record, to, in->GetUInt64(request, from));
    case FieldDescriptor::CPPTYPE_INT64:
      return out->SetInt64(record, to, in->GetInt64(request, from));
    case FieldDescriptor::CPPTYPE_UINT32:
      return out->SetUInt32(record, to, in->GetUInt32(request, from));
    case FieldDescriptor::CPPTYPE_BOOL:
      return out->SetBool(record, to, in->GetBool(request, from));
    case FieldDescriptor::CPPTYPE_ENUM:
      return out->SetEnumValue(record, to, in->GetEnumValue(request, from));
    case FieldDescriptor::CPPTYPE_MESSAGE:
      // Set even when the request leaves it unset, as `*record.mutable_terms() = r.terms()`.
      return out->MutableMessage(record, to)->CopyFrom(in->GetMessage(request, from));
    default:
      CONSTELLATION_CHECK(!"a write record field of a type CopyField does not copy");
  }
}

// Whether the fields hold the same type of value (scalar type, enum or message type).
bool SameType(const FieldDescriptor* a, const FieldDescriptor* b) {
  return a->type() == b->type() && a->is_repeated() == b->is_repeated() &&
         a->message_type() == b->message_type() && a->enum_type() == b->enum_type();
}

}  // namespace

void CopyRecord(const google::protobuf::Message& request, std::string_view record_field,
                google::protobuf::Message* record) {
  const google::protobuf::Descriptor* from = request.GetDescriptor();
  const FieldDescriptor* whole = from->FindFieldByName(std::string(record_field));
  if (whole != nullptr && whole->message_type() == record->GetDescriptor()) {
    record->CopyFrom(request.GetReflection()->GetMessage(request, whole));
    return;
  }
  const google::protobuf::Descriptor* to = record->GetDescriptor();
  for (int i = 0; i < to->field_count(); ++i) {
    const FieldDescriptor* field = from->FindFieldByName(to->field(i)->name());
    CONSTELLATION_CHECK(field != nullptr && SameType(field, to->field(i)) && !field->is_repeated());
    CopyField(request, field, record, to->field(i));
  }
}

void SetViewField(const google::protobuf::Message& view, google::protobuf::Message* response) {
  const google::protobuf::Descriptor* type = response->GetDescriptor();
  for (int i = 0; i < type->field_count(); ++i) {
    if (type->field(i)->message_type() == view.GetDescriptor()) {
      response->GetReflection()->MutableMessage(response, type->field(i))->CopyFrom(view);
      return;
    }
  }
  CONSTELLATION_CHECK(!"the write response has no field of the view's type");
}

v1::EventRef ToEventRef(const core::VerifiedEvent& e) {
  v1::EventRef ref;
  ref.set_event_id(e.id.Bytes());
  ref.set_group_id(e.group.Bytes());
  ref.set_author(e.author.Bytes());
  ref.set_seq(e.seq);
  *ref.mutable_hlc() = e.hlc.ToProto();
  return ref;
}

absl::StatusOr<PreparedWrite> PrepareWrite(const std::string* group_id, v1::Event body) {
  PreparedWrite write;
  if (group_id != nullptr) {
    CONSTELLATION_ASSIGN_OR_RETURN(write.group, ParseGroupId(*group_id, "group_id"));
  }
  CONSTELLATION_RETURN_IF_ERROR(CheckRequestId(body.request_id()));
  CONSTELLATION_RETURN_IF_ERROR(core::ValidateBody(body));
  write.body = std::move(body);
  return write;
}

absl::StatusOr<const core::VerifiedEvent*> AppendPrepared(ApplyContext& apply,
                                                          const PreparedWrite& write) {
  if (write.group.has_value()) {
    CONSTELLATION_RETURN_IF_ERROR(HeldGroup(apply, *write.group).status());
  }
  const v1::Event& body = write.body;
  const core::VerifiedEvent* e = apply.state().FindByRequestId(body.request_id());
  if (e != nullptr && !SameWrite(*e, write.group, body)) {
    return absl::AlreadyExistsError(absl::StrFormat(
        "request_id '%s' was already used for a different write (event %s); use a new "
        "request_id for a new write",
        body.request_id(), e->id.Hex()));
  }
  if (e == nullptr) {
    if (write.group.has_value()) {
      CONSTELLATION_RETURN_IF_ERROR(
          apply.state().FindGroup(*write.group)->state().CheckOwnWrite(body));
    }
    v1::Event stamped = body;
    // A payment received "now" (received_ms 0) is stamped with the apply loop's clock.
    if (stamped.has_payment_receipt() && stamped.payment_receipt().received_ms() == 0) {
      stamped.mutable_payment_receipt()->set_received_ms(apply.NowMs());
    }
    CONSTELLATION_ASSIGN_OR_RETURN(e, apply.AppendOwn(write.group, stamped));
  }
  const core::Group* g = apply.state().FindGroup(e->group);
  auto rejected = g->state().rejected_events().find(e->id);
  if (rejected != g->state().rejected_events().end()) {
    return absl::FailedPreconditionError(absl::StrFormat(
        "event %s is recorded but had no effect: %s", e->id.ShortHex(), rejected->second));
  }
  return e;
}

}  // namespace constellation::rpc
