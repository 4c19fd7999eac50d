#include "server/rpc/group/group_watch.h"

#include <map>
#include <memory>
#include <queue>
#include <utility>
#include <vector>

#include <absl/strings/str_format.h>
#include <absl/synchronization/mutex.h>

#include "server/base/limits.h"
#include "server/base/status_macros.h"
#include "server/core/group.h"
#include "server/rpc/call_limits.h"
#include "server/rpc/reactors.h"
#include "server/rpc/request.h"
#include "server/rpc/status_map.h"
#include "server/rpc/watch_hub.h"

namespace constellation::rpc {
namespace {

using Sent = std::map<core::OrgKey, uint64_t>;  // author -> highest seq sent

// The request's revision as a map. kInvalidArgument: a malformed author, an author twice, too
// many entries.
absl::StatusOr<Sent> ParseRevision(const v1::WatchRevision& revision) {
  if (static_cast<size_t>(revision.seqs_size()) > limits::kFrontierHeadsCountMax) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "after.seqs has %d entries; the limit kFrontierHeadsCountMax is %d (one per author)",
        revision.seqs_size(), limits::kFrontierHeadsCountMax));
  }
  Sent sent;
  for (const v1::WatchRevision::AuthorSeq& entry : revision.seqs()) {
    CONSTELLATION_ASSIGN_OR_RETURN(core::OrgKey author,
                                   ParseId<core::OrgKey>(entry.author(), "after.seqs.author"));
    if (!sent.emplace(author, entry.seq()).second) {
      return absl::InvalidArgumentError(absl::StrFormat(
          "after.seqs names author %s twice; give one entry per author", author.Hex()));
    }
  }
  return sent;
}

// Fills `out` with the events of `g` that `sent` does not cover, in canonical order, until the
// page is full (PageFull), and advances `sent` past them. Merges the authors' chains by order
// key: each chain is in canonical order (an event's prev is one of its parents), so the merge
// is the canonical order of the unsent events, and every event comes after its parents.
void ReadPage(const core::Group& g, Sent* sent, std::vector<v1::WatchEventsResponse>* out) {
  struct Next {
    core::OrderKey key;
    core::OrgKey author;
    bool operator>(const Next& other) const { return key > other.key; }
  };
  std::priority_queue<Next, std::vector<Next>, std::greater<Next>> heads;
  auto push_next = [&](const core::OrgKey& author, uint64_t seq) {
    std::optional<core::EventId> id = g.dag().EventAt(author, seq);
    if (id.has_value()) heads.push(Next{{g.dag().Find(*id)->depth, *id}, author});
  };
  for (const auto& [author, head] : g.dag().Heads()) {
    auto it = sent->find(author);
    push_next(author, (it == sent->end() ? 0 : it->second) + 1);
  }
  size_t bytes = 0;
  while (!heads.empty() && !PageFull(out->size(), bytes)) {
    const Next next = heads.top();
    heads.pop();
    const core::VerifiedEvent* e = g.Find(next.key.id);
    v1::WatchEventsResponse& item = out->emplace_back();
    item.set_event_id(e->id.Bytes());
    *item.mutable_signed_event() = e->ToSignedEvent();
    item.set_author(e->author.Bytes());
    item.set_seq(e->seq);
    bytes += item.ByteSizeLong();
    (*sent)[e->author] = e->seq;
    push_next(e->author, e->seq + 1);
  }
}

class WatchWriter;

// What the reactor, the loop and the hub share. `writer` is null once the reactor is gone.
// States: kFetching (a page task is posted; its reply continues), kWriting (a write is
// outstanding; OnWriteDone continues), kParked (in the hub; a Wake or OnCancel continues),
// kDone (Finish was called). Whoever moves the state out of kParked owns the reactor until it
// moves it again, so Finish is called once, and never while a task of ours is outstanding.
struct WatchControl final : WatchWaker {
  enum class State { kFetching, kWriting, kParked, kDone };
  void Wake() override;

  absl::Mutex mu;
  WatchWriter* writer ABSL_GUARDED_BY(mu) = nullptr;
  State state ABSL_GUARDED_BY(mu) = State::kFetching;
  bool wake_pending ABSL_GUARDED_BY(mu) = false;  // woken while not parked: read again
  bool cancelled ABSL_GUARDED_BY(mu) = false;
};
using State = WatchControl::State;

class WatchWriter final : public grpc::ServerWriteReactor<v1::WatchEventsResponse> {
 public:
  WatchWriter(Backend* backend, const v1::WatchEventsRequest* request)
      : backend_(backend), request_(request), control_(std::make_shared<WatchControl>()) {
    absl::MutexLock lock(&control_->mu);
    control_->writer = this;
  }

  void Begin(absl::StatusOr<Principal> caller) {
    absl::Status status = caller.status();
    if (status.ok()) status = TakePlace(*backend_, CallKind::kStream, *caller, &slot_);
    if (status.ok()) {
      absl::StatusOr<Sent> sent = ParseRevision(request_->after());
      status = sent.status();
      if (sent.ok()) sent_ = *std::move(sent);
    }
    if (status.ok()) {
      absl::StatusOr<core::GroupId> group = ParseGroupId(request_->group_id(), "group_id");
      status = group.status();
      if (group.ok()) group_ = *group;
    }
    if (!status.ok()) {
      End(status);
      return;
    }
    caller_ = *std::move(caller);
    FetchPage();
  }

  // Called by the owner of the reactor (state kFetching).
  void FetchPage() {
    absl::Status posted = backend_->Post([this](ApplyContext& apply) -> Reply {
      auto page = std::make_shared<std::vector<v1::WatchEventsResponse>>();
      absl::Status result = ReadOnLoop(apply, page.get());
      return [this, result, page](const absl::Status& commit) {
        OnPage(commit.ok() ? result : commit, std::move(*page));
      };
    });
    if (!posted.ok()) End(posted);
  }

  void OnWriteDone(bool ok) override {
    if (!ok) {
      End(absl::CancelledError("stream cancelled by the client"));
      return;
    }
    WriteNext();
  }

  void OnCancel() override {
    {
      absl::MutexLock lock(&control_->mu);
      control_->cancelled = true;
      if (control_->state != State::kParked) return;  // the owner sees `cancelled`
      control_->state = State::kDone;  // taken from the hub: a Wake now does nothing
    }
    Finish(grpc::Status(grpc::StatusCode::CANCELLED, "stream cancelled by the client"));
  }

  void OnDone() override {
    {
      absl::MutexLock lock(&control_->mu);
      control_->writer = nullptr;
      control_->state = State::kDone;
    }
    delete this;
  }

 private:
  // On the loop: the next page, or (nothing left) a park on the hub, which is taken on the
  // loop so that no commit can fall between the read and the park.
  absl::Status ReadOnLoop(ApplyContext& apply, std::vector<v1::WatchEventsResponse>* page) {
    CONSTELLATION_ASSIGN_OR_RETURN(const core::Group* g,
                                   ReadableGroup(apply, caller_, request_->group_id()));
    ReadPage(*g, &sent_, page);
    if (page->empty()) return backend_->watches().Park(group_, control_);
    return absl::OkStatus();
  }

  void OnPage(const absl::Status& status, std::vector<v1::WatchEventsResponse> page) {
    if (!status.ok()) {
      End(status);
      return;
    }
    enum class Then { kWrite, kReadAgain, kCancel } then;
    {
      absl::MutexLock lock(&control_->mu);
      if (control_->cancelled) {
        then = Then::kCancel;
      } else if (!page.empty()) {
        control_->state = State::kWriting;
        then = Then::kWrite;
      } else if (control_->wake_pending) {
        control_->wake_pending = false;  // woken before the park took effect: read again
        then = Then::kReadAgain;
      } else {
        control_->state = State::kParked;
        return;  // a Wake or OnCancel continues
      }
    }
    switch (then) {
      case Then::kCancel:
        End(absl::CancelledError("stream cancelled by the client"));
        return;
      case Then::kReadAgain:
        FetchPage();
        return;
      case Then::kWrite:
        page_ = std::move(page);
        next_ = 0;
        WriteNext();
        return;
    }
  }

  void WriteNext() {
    if (next_ < page_.size()) {
      StartWrite(&page_[next_++]);
      return;
    }
    {
      absl::MutexLock lock(&control_->mu);
      control_->state = State::kFetching;
    }
    FetchPage();
  }

  // Finishes the stream with `status` (the owner only).
  void End(const absl::Status& status) {
    {
      absl::MutexLock lock(&control_->mu);
      control_->state = State::kDone;
    }
    Finish(ToGrpcStatus(status));
  }

  friend struct WatchControl;

  Backend* backend_;
  const v1::WatchEventsRequest* request_;
  std::shared_ptr<WatchControl> control_;
  Principal caller_;
  core::GroupId group_;
  std::shared_ptr<CallSlot> slot_;
  Sent sent_;  // read and written on the loop only, one page task at a time
  std::vector<v1::WatchEventsResponse> page_;
  size_t next_ = 0;
};

void WatchControl::Wake() {
  WatchWriter* owned = nullptr;
  {
    absl::MutexLock lock(&mu);
    if (writer == nullptr || state == State::kDone) return;
    if (state != State::kParked) {
      wake_pending = true;
      return;
    }
    state = State::kFetching;
    owned = writer;
  }
  owned->FetchPage();
}

}  // namespace

grpc::ServerWriteReactor<v1::WatchEventsResponse>* RunWatch(Backend* backend,
                                                            const v1::WatchEventsRequest* request,
                                                            absl::StatusOr<Principal> caller) {
  auto* writer = new WatchWriter(backend, request);
  writer->Begin(std::move(caller));
  return writer;
}

}  // namespace constellation::rpc
