// ConveningService (client.proto): convenings scheduled by a member, attendance, minutes and
// action items, each write answered with the record it concerns, and the reads: one
// convening, convenings by scheduled time, action items by due date (docs/PROTOCOL.md §5.13).
#include <algorithm>
#include <optional>
#include <vector>

#include "constellation/v1/client.grpc.pb.h"
#include "server/core/convenings/convenings_ledger.h"
#include "server/rpc/convenings/convenings_views.h"
#include "server/rpc/paging.h"
#include "server/rpc/request.h"
#include "server/rpc/service.h"
#include "server/rpc/services.h"

namespace constellation::rpc {
namespace {

class ConveningServiceImpl final : public BoundService<v1::ConveningService> {
  UnaryReactor* ScheduleConvening(CallContext* ctx, const v1::ScheduleConveningRequest* req,
                                  v1::ConveningWriteResponse* resp) override {
    return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_convening), "",
                 ConveningViewOf);
  }

  UnaryReactor* RecordAttendance(CallContext* ctx, const v1::RecordAttendanceRequest* req,
                                 v1::ConveningWriteResponse* resp) override {
    return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_convening_attendance),
                 req->convening_id(), ConveningViewOf);
  }

  UnaryReactor* RecordMinutes(CallContext* ctx, const v1::RecordMinutesRequest* req,
                              v1::ConveningWriteResponse* resp) override {
    return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_convening_minutes),
                 req->convening_id(), ConveningViewOf);
  }

  UnaryReactor* AddActionItem(CallContext* ctx, const v1::AddActionItemRequest* req,
                              v1::ActionItemWriteResponse* resp) override {
    return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_convening_action), "",
                 ActionItemViewOf);
  }

  UnaryReactor* CompleteActionItem(CallContext* ctx, const v1::CompleteActionItemRequest* req,
                                   v1::ActionItemWriteResponse* resp) override {
    return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_action_completion),
                 req->action_id(), ActionItemViewOf);
  }

  UnaryReactor* GetConvening(CallContext* ctx, const v1::GetConveningRequest* req,
                             v1::ConveningView* resp) override {
    return GetRecord(ctx, req, resp, req->convening_id(), ConveningViewOf);
  }

  UnaryReactor* ListConvenings(CallContext* ctx, const v1::ListConveningsRequest* req,
                               v1::ListConveningsResponse* resp) override {
    return ReadGroup(
        ctx, req, resp,
        [](const ApplyContext& apply, const core::Group& g, const v1::ListConveningsRequest& r,
           v1::ListConveningsResponse* out) -> absl::Status {
          CONSTELLATION_ASSIGN_OR_RETURN(const ListPage page,
                                         ListPage::Open("ListConvenings", kOrderPageKeySizeBytes,
                                                        r.page_size(), r.page_token()));
          std::vector<const core::ConveningState*> items;
          for (const auto& [id, c] : core::Convenings(g.state()).convenings()) items.push_back(&c);
          auto key = [](const core::ConveningState* c) { return PageKey(c->scheduled_ms, c->id); };
          std::sort(items.begin(), items.end(),
                    [&key](const auto* a, const auto* b) { return key(a) < key(b); });
          const uint64_t now_ms = AsOf(apply, 0);
          CONSTELLATION_ASSIGN_OR_RETURN(
              *out->mutable_next_page_token(),
              page.Fill(items.begin(), items.end(), key, [&](const core::ConveningState* c) {
                return Appended(out->add_convenings(), ToConveningView(g, *c, now_ms));
              }));
          return absl::OkStatus();
        });
  }

  UnaryReactor* ListActionItems(CallContext* ctx, const v1::ListActionItemsRequest* req,
                                v1::ListActionItemsResponse* resp) override {
    return ReadGroup(
        ctx, req, resp,
        [](const ApplyContext& apply, const core::Group& g, const v1::ListActionItemsRequest& r,
           v1::ListActionItemsResponse* out) -> absl::Status {
          std::optional<core::OrgKey> owner;
          if (!r.owner().empty()) {
            CONSTELLATION_ASSIGN_OR_RETURN(owner, ParseId<core::OrgKey>(r.owner(), "owner"));
          }
          CONSTELLATION_ASSIGN_OR_RETURN(const ListPage page,
                                         ListPage::Open("ListActionItems", kOrderPageKeySizeBytes,
                                                        r.page_size(), r.page_token()));
          std::vector<const core::ActionItemState*> items;
          for (const auto& [id, a] : core::Convenings(g.state()).actions()) {
            if (owner.has_value() && a.owner != *owner) continue;
            if (r.not_done() && a.done()) continue;
            items.push_back(&a);
          }
          auto key = [](const core::ActionItemState* a) { return PageKey(a->due_ms, a->id); };
          std::sort(items.begin(), items.end(),
                    [&key](const auto* a, const auto* b) { return key(a) < key(b); });
          const uint64_t now_ms = AsOf(apply, 0);
          CONSTELLATION_ASSIGN_OR_RETURN(
              *out->mutable_next_page_token(),
              page.Fill(items.begin(), items.end(), key, [&](const core::ActionItemState* a) {
                return Appended(out->add_action_items(), ToActionItemView(g, *a, now_ms));
              }));
          return absl::OkStatus();
        });
  }
};

}  // namespace

Services MakeConveningsServices(Backend* backend) {
  return MakeServices<ConveningServiceImpl>(backend);
}

}  // namespace constellation::rpc
