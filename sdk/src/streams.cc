// sdk/src/streams.cc: the stream readers and the public stream classes.
#include "sdk/src/streams.h"

#include <utility>

#include <constellation/client.h>

#include "sdk/src/convert.h"

namespace constellation {
namespace internal {

PledgeHistoryReader::PledgeHistoryReader(std::shared_ptr<ClientCore> core,
                                         v1::StreamPledgeHistoryRequest request)
    : request_(std::move(request)),
      stream_(
          core, "StreamPledgeHistory",
          [this, core](grpc::ClientContext* context) {
            return core->fundraising().StreamPledgeHistory(context, request_);
          },
          [this] { return !any_read_; }) {}

absl::StatusOr<bool> PledgeHistoryReader::Next(PledgeVersionEntry* out) {
  v1::StreamPledgeHistoryResponse response;
  absl::StatusOr<bool> read = stream_.Read(&response);
  if (!read.ok() || !*read) return read;
  any_read_ = true;
  *out = FromProto(response);
  return true;
}

GroupEventReader::GroupEventReader(std::shared_ptr<ClientCore> core,
                                   v1::StreamEventsRequest request)
    : request_(std::move(request)),
      stream_(
          core, "StreamEvents",
          [this, core](grpc::ClientContext* context) {
            return core->groups().StreamEvents(context, request_);
          },
          [] { return true; }) {}

absl::StatusOr<bool> GroupEventReader::Next(GroupEventEntry* out) {
  if (!error_.ok()) return error_;
  v1::StreamEventsResponse response;
  absl::StatusOr<bool> read = stream_.Read(&response);
  if (!read.ok() || !*read) return read;
  request_.set_after_position(response.position());
  absl::StatusOr<GroupEventEntry> entry = FromProto(response);
  if (!entry.ok()) {
    // Sticky, like the stream's own errors: skipping an event would mislead an auditor.
    error_ = entry.status();
    stream_.Cancel();
    return error_;
  }
  *out = *std::move(entry);
  return true;
}

}  // namespace internal

PledgeHistoryStream::PledgeHistoryStream(std::unique_ptr<internal::PledgeHistoryReader> reader)
    : reader_(std::move(reader)) {}
PledgeHistoryStream::PledgeHistoryStream(PledgeHistoryStream&&) noexcept = default;
PledgeHistoryStream& PledgeHistoryStream::operator=(PledgeHistoryStream&&) noexcept = default;
PledgeHistoryStream::~PledgeHistoryStream() = default;

absl::StatusOr<bool> PledgeHistoryStream::Next(PledgeVersionEntry* out) {
  if (reader_ == nullptr) return absl::FailedPreconditionError("stream was moved from");
  return reader_->Next(out);
}

void PledgeHistoryStream::Cancel() {
  if (reader_ != nullptr) reader_->Cancel();
}

GroupEventStream::GroupEventStream(std::unique_ptr<internal::GroupEventReader> reader)
    : reader_(std::move(reader)) {}
GroupEventStream::GroupEventStream(GroupEventStream&&) noexcept = default;
GroupEventStream& GroupEventStream::operator=(GroupEventStream&&) noexcept = default;
GroupEventStream::~GroupEventStream() = default;

absl::StatusOr<bool> GroupEventStream::Next(GroupEventEntry* out) {
  if (reader_ == nullptr) return absl::FailedPreconditionError("stream was moved from");
  return reader_->Next(out);
}

void GroupEventStream::Cancel() {
  if (reader_ != nullptr) reader_->Cancel();
}

}  // namespace constellation
