// sdk/src/streams.h
//
// Lazy readers over the node's server streams. ServerStream<Response> reads one stream,
// reopening it after UNAVAILABLE (with backoff, up to max_attempts since the last entry read)
// when its owner says a reopen can neither repeat nor skip an entry. PledgeHistoryReader and
// GroupEventReader add the request, the resume rule and the conversion to SDK types.
// Thread safety: not thread-safe; one reader per thread.
#pragma once

#include <functional>
#include <memory>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/time/time.h>
#include <constellation/types.h>
#include <grpcpp/client_context.h>
#include <grpcpp/support/sync_stream.h>

#include "constellation/v1/client.grpc.pb.h"
#include "sdk/src/client_core.h"

namespace constellation::internal {

template <typename Response>
class ServerStream {
 public:
  // Starts the RPC on a prepared context.
  using Opener = std::function<std::unique_ptr<grpc::ClientReader<Response>>(grpc::ClientContext*)>;
  // Whether reopening now is safe (called after UNAVAILABLE).
  using Resumable = std::function<bool()>;

  ServerStream(std::shared_ptr<ClientCore> core, std::string method, Opener open,
               Resumable resumable)
      : core_(std::move(core)),
        method_(std::move(method)),
        open_(std::move(open)),
        resumable_(std::move(resumable)),
        backoff_(core_->options().initial_backoff) {}

  ~ServerStream() { Close(); }
  ServerStream(const ServerStream&) = delete;
  ServerStream& operator=(const ServerStream&) = delete;

  // True with *out set, false at the end, or the stream's error; sticky after the end.
  absl::StatusOr<bool> Read(Response* out) {
    if (ended_) {
      if (!final_status_.ok()) return final_status_;
      return false;
    }
    while (true) {
      if (reader_ == nullptr) {
        if (cancelled_) return End(absl::CancelledError("stream cancelled by the caller"));
        if (deadline_ == absl::InfinitePast()) {
          deadline_ = absl::Now() + core_->options().stream_deadline;
        }
        context_ = std::make_unique<grpc::ClientContext>();
        core_->PrepareContext(context_.get(), deadline_);
        reader_ = open_(context_.get());
        ++attempts_;
      }
      if (reader_->Read(out)) {
        attempts_ = 0;
        backoff_ = core_->options().initial_backoff;
        return true;
      }
      const grpc::Status status = reader_->Finish();
      reader_.reset();
      context_.reset();
      if (status.ok()) return End(absl::OkStatus());
      if (status.error_code() == grpc::StatusCode::UNAVAILABLE && !cancelled_ &&
          attempts_ < core_->options().max_attempts && resumable_()) {
        const absl::Duration wait = ClientCore::Jittered(backoff_);
        if (absl::Now() + wait < deadline_) {
          absl::SleepFor(wait);
          backoff_ = ClientCore::NextBackoff(backoff_);
          continue;
        }
      }
      return End(core_->Failure(method_, status, attempts_));
    }
  }

  void Cancel() {
    cancelled_ = true;
    if (context_ != nullptr) context_->TryCancel();
  }

 private:
  absl::StatusOr<bool> End(absl::Status status) {
    ended_ = true;
    final_status_ = std::move(status);
    if (!final_status_.ok()) return final_status_;
    return false;
  }

  // Cancels an open RPC and waits for gRPC to release it.
  void Close() {
    if (reader_ == nullptr) return;
    context_->TryCancel();
    Response discarded;
    while (reader_->Read(&discarded)) {
    }
    static_cast<void>(reader_->Finish());
    reader_.reset();
    context_.reset();
  }

  std::shared_ptr<ClientCore> core_;
  std::string method_;
  Opener open_;
  Resumable resumable_;
  std::unique_ptr<grpc::ClientContext> context_;
  std::unique_ptr<grpc::ClientReader<Response>> reader_;
  absl::Time deadline_ = absl::InfinitePast();  // set at the first read
  absl::Duration backoff_;
  int attempts_ = 0;  // since the last entry read
  bool cancelled_ = false;
  bool ended_ = false;
  absl::Status final_status_;
};

class PledgeHistoryReader {
 public:
  PledgeHistoryReader(std::shared_ptr<ClientCore> core, v1::StreamPledgeHistoryRequest request);
  absl::StatusOr<bool> Next(PledgeVersionEntry* out);
  void Cancel() { stream_.Cancel(); }

 private:
  v1::StreamPledgeHistoryRequest request_;
  // History has no resume point: it is reopened only if nothing was read yet.
  bool any_read_ = false;
  ServerStream<v1::StreamPledgeHistoryResponse> stream_;
};

class GroupEventReader {
 public:
  GroupEventReader(std::shared_ptr<ClientCore> core, v1::StreamEventsRequest request);
  absl::StatusOr<bool> Next(GroupEventEntry* out);
  void Cancel() { stream_.Cancel(); }

 private:
  // after_position advances with every entry read, so a reopen resumes where it stopped.
  v1::StreamEventsRequest request_;
  absl::Status error_;  // an entry that did not convert ends the stream
  ServerStream<v1::StreamEventsResponse> stream_;
};

}  // namespace constellation::internal
