// GroupService (client.proto): founding a group, reading groups, and streaming a group's signed
// events in canonical order (what an auditor re-verifies offline), and watching them.
#include "constellation/v1/client.grpc.pb.h"
#include "server/rpc/group/group_views.h"
#include "server/rpc/group/group_watch.h"
#include "server/rpc/paging.h"
#include "server/rpc/service.h"
#include "server/rpc/services.h"

namespace constellation::rpc {
namespace {

// A charter event from `request`, its founder profile defaulting to this node's org: name and
// endpoints from the org card, the lead role, weight 1 (client.proto CreateGroupRequest).
v1::Event CharterBody(const v1::CreateGroupRequest& request, const v1::OrgCard& card) {
  v1::Event body;
  v1::Charter* charter = body.mutable_charter();
  *charter = request.charter();
  if (charter->kind() == v1::GROUP_KIND_UNSPECIFIED) charter->set_kind(v1::GROUP_KIND_PARTNERSHIP);
  v1::MemberProfile* founder = charter->mutable_founder();
  if (founder->name().empty()) founder->set_name(card.name());
  if (founder->role() == v1::ROLE_UNSPECIFIED) founder->set_role(v1::ROLE_LEAD);
  if (founder->voting_weight() == 0) founder->set_voting_weight(1);
  if (founder->endpoints().empty()) *founder->mutable_endpoints() = card.endpoints();
  return body;
}

class GroupServiceImpl final : public BoundService<v1::GroupService> {
  UnaryReactor* CreateGroup(CallContext* ctx, const v1::CreateGroupRequest* req,
                            v1::CreateGroupResponse* resp) override {
    return Write(ctx, req, resp, CharterBody(*req, backend_->OwnCard()), "", GroupViewOf,
                 Access::kAdmin);
  }

  UnaryReactor* GetGroup(CallContext* ctx, const v1::GetGroupRequest* req,
                         v1::GroupView* resp) override {
    return GetRecord(ctx, req, resp, req->group_id(), GroupViewOf);
  }

  UnaryReactor* ListGroups(CallContext* ctx, const v1::ListGroupsRequest* req,
                           v1::ListGroupsResponse* resp) override {
    return Unary(ctx, req, resp, Access::kRead,
                 [](ApplyContext& apply, const Principal& p, const v1::ListGroupsRequest& r,
                    v1::ListGroupsResponse* out) -> absl::Status {
                   CONSTELLATION_ASSIGN_OR_RETURN(const ListPage page,
                                                  ListPage::Open("ListGroups", kIdPageKeySizeBytes,
                                                                 r.page_size(), r.page_token()));
                   std::vector<const core::Group*> readable;
                   for (const auto& [id, g] : apply.state().groups()) {
                     if (p.CanRead(id)) readable.push_back(g.get());
                   }
                   CONSTELLATION_ASSIGN_OR_RETURN(
                       *out->mutable_next_page_token(),
                       page.Fill(
                           readable.begin(), readable.end(),
                           [](const core::Group* g) { return PageKey(g->id()); },
                           [&](const core::Group* g) {
                             return Appended(out->add_groups(), ToGroupView(*g, apply.NowMs()));
                           }));
                   return absl::OkStatus();
                 });
  }

  StreamReactor<v1::StreamEventsResponse>* StreamEvents(
      CallContext* ctx, const v1::StreamEventsRequest* req) override {
    return StreamGroup<v1::StreamEventsResponse>(
        ctx, req,
        [](const ApplyContext&, const core::Group& g, const v1::StreamEventsRequest& r,
           uint64_t skip, std::vector<v1::StreamEventsResponse>* out, bool* more) {
          size_t bytes = 0;
          g.ForEachInOrder(r.after_position() + skip,
                           [&](uint64_t position, const core::VerifiedEvent& e) {
                             if (PageFull(out->size(), bytes)) {
                               *more = true;
                               return false;
                             }
                             v1::StreamEventsResponse& item = out->emplace_back();
                             item.set_position(position);
                             item.set_event_id(e.id.Bytes());
                             *item.mutable_signed_event() = e.ToSignedEvent();
                             bytes += item.ByteSizeLong();
                             return true;
                           });
          return absl::OkStatus();
        });
  }

  UnaryReactor* GetStateHash(CallContext* ctx, const v1::GetStateHashRequest* req,
                             v1::GetStateHashResponse* resp) override {
    return ReadGroup(ctx, req, resp,
                     [](const ApplyContext&, const core::Group& g, const v1::GetStateHashRequest& r,
                        v1::GetStateHashResponse* out) -> absl::Status {
                       const uint64_t count = r.event_count() == 0
                                                  ? g.size()
                                                  : std::min<uint64_t>(r.event_count(), g.size());
                       const auto hash = g.StateHashAt(count);
                       out->set_event_count(count);
                       out->set_state_hash(
                           std::string(reinterpret_cast<const char*>(hash.data()), hash.size()));
                       if (count > 0) {
                         g.ForEachInOrder(count - 1, [&](uint64_t, const core::VerifiedEvent& e) {
                           out->set_last_event_id(e.id.Bytes());
                           return false;
                         });
                       }
                       return absl::OkStatus();
                     });
  }

  UnaryReactor* ListForkProofs(CallContext* ctx, const v1::ListForkProofsRequest* req,
                               v1::ListForkProofsResponse* resp) override {
    return ReadGroup(
        ctx, req, resp,
        [](const ApplyContext&, const core::Group& g, const v1::ListForkProofsRequest& r,
           v1::ListForkProofsResponse* out) -> absl::Status {
          CONSTELLATION_ASSIGN_OR_RETURN(
              const ListPage page,
              ListPage::Open("ListForkProofs", kIdPageKeySizeBytes, r.page_size(), r.page_token()));
          const auto& forks = g.forks();  // ordered by author
          CONSTELLATION_ASSIGN_OR_RETURN(
              *out->mutable_next_page_token(),
              page.Fill(
                  forks.begin(), forks.end(), [](const auto& fork) { return PageKey(fork.first); },
                  [&](const auto& fork) {
                    v1::ForkProofView view;
                    view.set_author(fork.first.Bytes());
                    view.set_seq(fork.second.seq);
                    view.set_first_event_id(fork.second.first.Bytes());
                    view.set_second_event_id(fork.second.second.Bytes());
                    *view.mutable_proof() = fork.second.proof;
                    return Appended(out->add_fork_proofs(), std::move(view));
                  }));
          return absl::OkStatus();
        });
  }

  StreamReactor<v1::WatchEventsResponse>* WatchEvents(
      CallContext* ctx, const v1::WatchEventsRequest* req) override {
    return RunWatch(backend_, req, AuthenticateClient(ctx, *backend_, Access::kRead));
  }
};

}  // namespace

Services MakeGroupServices(Backend* backend) { return MakeServices<GroupServiceImpl>(backend); }

}  // namespace constellation::rpc
