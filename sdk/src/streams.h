// sdk/src/streams.h
//
// Lazy readers over the node's server streams. ServerStream<Response> reads one stream,
// reopening it after UNAVAILABLE (with backoff, up to max_attempts since the last entry read)
// when its owner says a reopen can neither repeat nor skip an entry. StreamReader adds the
// request, the resume rule and the conversion to SDK types; each domain opens its streams with
// OpenStream (GroupEvents in sdk/src/group/, PledgeHistory in sdk/src/fundraising/).
// A watch (Client::Watch) is the same reader with another policy: no deadline, and reopens
// until cancelled (StreamPolicy).
// Thread safety: not thread-safe, one reader per thread, except Cancel(), which any thread may
// call (it wakes a Read blocked on the RPC or on a backoff).
#pragma once

#include <functional>
#include <memory>
#include <optional>
#include <string>
#include <utility>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/synchronization/mutex.h>
#include <absl/time/time.h>
#include <constellation/client.h>
#include <grpcpp/client_context.h>
#include <grpcpp/support/sync_stream.h>

#include "sdk/src/client_core.h"

namespace constellation::internal {

// How a stream lives: its deadline from the first read, and how many times it opens the RPC
// in a row without reading an entry (UNAVAILABLE reopens).
struct StreamPolicy {
  absl::Duration deadline;
  int max_attempts = 1;
  // A history (ClientOptions::stream_deadline, max_attempts).
  static StreamPolicy Of(const ClientOptions& options) {
    return {options.stream_deadline, options.max_attempts};
  }
};

template <typename Response>
class ServerStream {
 public:
  // Starts the RPC on a prepared context.
  using Opener = std::function<std::unique_ptr<grpc::ClientReader<Response>>(grpc::ClientContext*)>;
  // Whether reopening now is safe (called after UNAVAILABLE).
  using Resumable = std::function<bool()>;

  ServerStream(std::shared_ptr<ClientCore> core, std::string method, Opener open,
               Resumable resumable, StreamPolicy policy)
      : policy_(policy),
        core_(std::move(core)),
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
        if (deadline_ == absl::InfinitePast()) deadline_ = absl::Now() + policy_.deadline;
        auto context = std::make_unique<grpc::ClientContext>();
        core_->PrepareContext(context.get(), deadline_);
        {
          absl::MutexLock lock(&mu_);
          if (cancelled_) return End(absl::CancelledError("stream cancelled by the caller"));
          context_ = std::move(context);
        }
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
      ResetContext();
      if (status.ok()) return End(absl::OkStatus());
      if (status.error_code() == grpc::StatusCode::UNAVAILABLE && !Cancelled() &&
          attempts_ < policy_.max_attempts && resumable_()) {
        const absl::Duration wait = ClientCore::Jittered(backoff_);
        if (absl::Now() + wait < deadline_) {
          absl::MutexLock lock(&mu_);
          mu_.AwaitWithTimeout(absl::Condition(&cancelled_), wait);
          backoff_ = ClientCore::NextBackoff(backoff_);
          continue;
        }
      }
      return End(core_->Failure(method_, status, attempts_));
    }
  }

  // Thread-safe.
  void Cancel() {
    absl::MutexLock lock(&mu_);
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

  bool Cancelled() {
    absl::MutexLock lock(&mu_);
    return cancelled_;
  }

  void ResetContext() {
    absl::MutexLock lock(&mu_);
    context_.reset();
  }

  // Cancels an open RPC and waits for gRPC to release it.
  void Close() {
    if (reader_ == nullptr) return;
    {
      absl::MutexLock lock(&mu_);
      context_->TryCancel();
    }
    Response discarded;
    while (reader_->Read(&discarded)) {
    }
    static_cast<void>(reader_->Finish());
    reader_.reset();
    ResetContext();
  }

  const StreamPolicy policy_;
  std::shared_ptr<ClientCore> core_;
  std::string method_;
  Opener open_;
  Resumable resumable_;
  absl::Mutex mu_;  // context_ and cancelled_, which Cancel() reaches from any thread
  std::unique_ptr<grpc::ClientContext> context_ ABSL_GUARDED_BY(mu_);
  std::unique_ptr<grpc::ClientReader<Response>> reader_;
  absl::Time deadline_ = absl::InfinitePast();  // set at the first read
  absl::Duration backoff_;
  int attempts_ = 0;  // since the last entry read
  bool cancelled_ ABSL_GUARDED_BY(mu_) = false;
  bool ended_ = false;
  absl::Status final_status_;
};

// A stream of the client API (an EntryReader behind a PledgeHistoryStream or GroupEventStream):
// reads `Response`s with ServerStream, opened by `method` with `request`, and decodes each into
// an `Entry`. An entry that does not decode ends the stream with that error (sticky, like the
// stream's own errors: skipping an entry would mislead an auditor).
template <typename Stub, typename Request, typename Response, typename Entry>
class StreamReader final : public EntryReader<Entry> {
 public:
  // A server-streaming method of a generated stub, e.g. &v1::GroupService::Stub::StreamEvents.
  using Method = std::unique_ptr<grpc::ClientReader<Response>> (Stub::*)(grpc::ClientContext*,
                                                                         const Request&);
  using Decode = std::function<absl::StatusOr<Entry>(const Response&)>;
  // The resume rule, called with every response read: returns whether reopening the stream with
  // *request now neither repeats nor skips an entry, after advancing the request's resume point
  // past `response` if it has one.
  using Resume = std::function<bool(const Response& response, Request* request)>;

  StreamReader(std::shared_ptr<ClientCore> core, std::string method_name, Method method,
               Request request, Decode decode, Resume resume, StreamPolicy policy)
      : request_(std::move(request)),
        decode_(std::move(decode)),
        resume_(std::move(resume)),
        stream_(
            core, std::move(method_name),
            [this, core, method](grpc::ClientContext* context) {
              return (core->stub<Stub>().*method)(context, request_);
            },
            [this] { return resumable_; }, policy) {}

  absl::StatusOr<bool> Next(Entry* out) override {
    if (!error_.ok()) return error_;
    Response response;
    absl::StatusOr<bool> read = stream_.Read(&response);
    if (!read.ok() || !*read) return read;
    resumable_ = resume_(response, &request_);
    absl::StatusOr<Entry> entry = decode_(response);
    if (!entry.ok()) {
      error_ = entry.status();
      stream_.Cancel();
      return error_;
    }
    *out = *std::move(entry);
    return true;
  }

  void Cancel() override { stream_.Cancel(); }

 private:
  Request request_;  // what a reopen sends
  Decode decode_;
  Resume resume_;
  bool resumable_ = true;  // nothing read yet: a reopen cannot repeat or skip anything
  absl::Status error_;     // an entry that did not decode
  ServerStream<Response> stream_;
};

// The reader of a stream of `Entry`s (see StreamReader), for a PledgeHistoryStream or
// GroupEventStream to own.
template <typename Entry, typename Stub, typename Request, typename Response>
std::unique_ptr<EntryReader<Entry>> OpenStream(
    std::shared_ptr<ClientCore> core, std::string method_name,
    std::unique_ptr<grpc::ClientReader<Response>> (Stub::*method)(grpc::ClientContext*,
                                                                  const Request&),
    Request request, typename StreamReader<Stub, Request, Response, Entry>::Decode decode,
    typename StreamReader<Stub, Request, Response, Entry>::Resume resume,
    std::optional<StreamPolicy> policy = std::nullopt) {
  const StreamPolicy chosen = policy.value_or(StreamPolicy::Of(core->options()));
  return std::make_unique<StreamReader<Stub, Request, Response, Entry>>(
      std::move(core), std::move(method_name), method, std::move(request), std::move(decode),
      std::move(resume), chosen);
}

}  // namespace constellation::internal
