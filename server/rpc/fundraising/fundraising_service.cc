// FundraisingService (client.proto): campaigns, pledges with their amendments (whole terms, or a
// patch merged onto the current terms), cancellations, payments, write-offs and condition
// resolutions (each write answered with the record it concerns), and the auditors' reads:
// pledges as of a date and every version of a pledge's history with who signed it.
#include <algorithm>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <absl/container/flat_hash_set.h>
#include <absl/strings/str_format.h>

#include "constellation/v1/client.grpc.pb.h"
#include "server/base/limits.h"
#include "server/rpc/fundraising/fundraising_views.h"
#include "server/rpc/fundraising/pledge_terms.h"
#include "server/rpc/paging.h"
#include "server/rpc/service.h"
#include "server/rpc/services.h"

namespace constellation::rpc {
namespace {

// Calls `visit` with the pledges of `g` a request selects: every pledge by id, or, when
// `campaign_id` is set, that campaign's in canonical order. kInvalidArgument, kNotFound for
// the campaign id.
template <typename Visit>
absl::Status ForEachPledge(const core::Group& g, const std::string& campaign_id, Visit visit) {
  const auto& pledges = core::Fundraising(g.state()).pledges();
  if (campaign_id.empty()) {
    for (const auto& [id, pledge] : pledges) visit(pledge);
    return absl::OkStatus();
  }
  CONSTELLATION_ASSIGN_OR_RETURN(const core::CampaignState* c, FindCampaign(g, campaign_id));
  for (const core::EventId& id : c->pledges) visit(pledges.at(id));
  return absl::OkStatus();
}

// The page of pledges a ListPledges request asks for (paging.h): a group's pledges ordered by
// id, or one campaign's in canonical order (keyed by (depth, id), which is fixed for a pledge
// once it is held). kInvalidArgument, kNotFound for the campaign id.
absl::Status PledgesPage(const core::Group& g, const v1::ListPledgesRequest& r, uint64_t as_of_ms,
                         v1::ListPledgesResponse* out) {
  const auto& pledges = core::Fundraising(g.state()).pledges();
  auto add = [&](const core::PledgeState& p) {
    return Appended(out->add_pledges(), ToPledgeView(g, p, as_of_ms));
  };
  if (r.campaign_id().empty()) {
    CONSTELLATION_ASSIGN_OR_RETURN(
        const ListPage page,
        ListPage::Open("ListPledges", kIdPageKeySizeBytes, r.page_size(), r.page_token()));
    CONSTELLATION_ASSIGN_OR_RETURN(
        *out->mutable_next_page_token(),
        page.Fill(
            pledges.begin(), pledges.end(), [](const auto& item) { return PageKey(item.first); },
            [&](const auto& item) { return add(item.second); }));
    return absl::OkStatus();
  }
  CONSTELLATION_ASSIGN_OR_RETURN(const core::CampaignState* c, FindCampaign(g, r.campaign_id()));
  CONSTELLATION_ASSIGN_OR_RETURN(
      const ListPage page,
      ListPage::Open("ListPledges", kOrderPageKeySizeBytes, r.page_size(), r.page_token()));
  // The campaign's pledges are kept in fold order, which is canonical order (ascending order
  // key): a page seeks its token by bisection and reads only its own pledges, so listing a
  // campaign costs what it holds, not the group (issue 10: every page used to key and sort the
  // whole campaign).
  CONSTELLATION_ASSIGN_OR_RETURN(*out->mutable_next_page_token(),
                                 page.Fill(
                                     c->pledges.begin(), c->pledges.end(),
                                     [&](const core::EventId& id) {
                                       return PageKey(core::OrderKey{g.dag().Find(id)->depth, id});
                                     },
                                     [&](const core::EventId& id) { return add(pledges.at(id)); }));
  return absl::OkStatus();
}

// `status`, the error of item `index` of a pledge batch, as the error of the whole batch: which
// item failed and what of the batch is recorded: nothing when the batch failed validation
// (`on_loop` false); else the items before it, and none after it (the item itself only if
// its error says that it was recorded without effect, AppendPrepared).
absl::Status BatchItemError(size_t index, const absl::Status& status, bool on_loop) {
  std::string what = "nothing in the batch is recorded";
  if (on_loop) {
    what = index == 0 ? "nothing else in the batch is recorded"
                      : absl::StrFormat(
                            "pledges[0] to pledges[%d] are recorded, none after it is; retrying "
                            "the same batch records each pledge once",
                            index - 1);
  }
  return absl::Status(status.code(),
                      absl::StrFormat("pledges[%d]: %s; %s", index, status.message(), what));
}

// A RecordPledges batch validated without state, in the reaction: each item as RecordPledge
// validates it (its schedule expanded), with a request_id of its own and the batch's group.
// kInvalidArgument naming the item; nothing is recorded.
absl::StatusOr<std::vector<PreparedWrite>> PreparePledgeBatch(const v1::RecordPledgesRequest& r) {
  if (r.pledges().empty()) {
    return absl::InvalidArgumentError("pledges is empty: a batch records 1 or more pledges");
  }
  if (static_cast<size_t>(r.pledges_size()) > limits::kPledgeBatchCountMax) {
    return absl::InvalidArgumentError(absl::StrFormat(
        "the batch holds %d pledges; the limit kPledgeBatchCountMax is %d: send it in several "
        "calls",
        r.pledges_size(), limits::kPledgeBatchCountMax));
  }
  std::vector<PreparedWrite> writes;
  writes.reserve(r.pledges_size());
  absl::flat_hash_set<std::string_view> request_ids;
  for (int i = 0; i < r.pledges_size(); ++i) {
    const v1::RecordPledgeRequest& item = r.pledges(i);
    absl::StatusOr<PreparedWrite> write = [&]() -> absl::StatusOr<PreparedWrite> {
      if (!item.group_id().empty() && item.group_id() != r.group_id()) {
        return absl::InvalidArgumentError(
            "group_id differs from the batch's group_id: leave it empty or give the same group");
      }
      if (!item.request_id().empty() && !request_ids.insert(item.request_id()).second) {
        return absl::InvalidArgumentError(
            absl::StrFormat("request_id '%s' is also an earlier item's: each pledge needs its own",
                            item.request_id()));
      }
      v1::Event body = BodyFrom(item, &v1::Event::mutable_pledge);
      if (item.has_schedule()) {
        CONSTELLATION_ASSIGN_OR_RETURN(*body.mutable_pledge()->mutable_terms(),
                                       WithSchedule(item.terms(), item.schedule()));
      }
      body.set_request_id(item.request_id());
      return PrepareWrite(&r.group_id(), std::move(body));
    }();
    if (!write.ok()) return BatchItemError(i, write.status(), /*on_loop=*/false);
    writes.push_back(*std::move(write));
  }
  return writes;
}

class FundraisingServiceImpl final : public BoundService<v1::FundraisingService> {
  // The write template (write.h) for a pledge write whose body needs the group's state:
  // `make(group, request)` builds the body on the apply loop (after ReadableGroup), then it is
  // validated, appended and answered with the view of `subject` (empty: the new pledge) as
  // Write does. Errors: ReadableGroup's, `make`'s, then Write's.
  template <typename Request, typename Make>
  UnaryReactor* WriteFromState(CallContext* ctx, const Request* req, v1::PledgeWriteResponse* resp,
                               std::string subject, Make make) {
    return Unary(ctx, req, resp, Access::kWrite,
                 [subject = std::move(subject), make](ApplyContext& apply, const Principal& p,
                                                      const Request& r,
                                                      v1::PledgeWriteResponse* out) -> absl::Status {
                   CONSTELLATION_ASSIGN_OR_RETURN(const core::Group* g,
                                                  ReadableGroup(apply, p, r.group_id()));
                   CONSTELLATION_ASSIGN_OR_RETURN(v1::Event body, make(*g, r));
                   body.set_request_id(r.request_id());
                   CONSTELLATION_ASSIGN_OR_RETURN(const PreparedWrite write,
                                                  PrepareWrite(&r.group_id(), std::move(body)));
                   return AnswerWrite(apply, write, subject, PledgeViewOf, out);
                 });
  }

  UnaryReactor* OpenCampaign(CallContext* ctx, const v1::OpenCampaignRequest* req,
                             v1::OpenCampaignResponse* resp) override {
    return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_campaign), "", CampaignViewOf);
  }

  UnaryReactor* GetCampaign(CallContext* ctx, const v1::GetCampaignRequest* req,
                            v1::CampaignView* resp) override {
    return GetRecord(ctx, req, resp, req->campaign_id(), CampaignViewOf);
  }

  UnaryReactor* ListCampaigns(CallContext* ctx, const v1::ListCampaignsRequest* req,
                              v1::ListCampaignsResponse* resp) override {
    return ReadGroup(
        ctx, req, resp,
        [](const ApplyContext&, const core::Group& g, const v1::ListCampaignsRequest& r,
           v1::ListCampaignsResponse* out) -> absl::Status {
          const auto& campaigns = core::Fundraising(g.state()).campaigns();
          CONSTELLATION_ASSIGN_OR_RETURN(
              const ListPage page,
              ListPage::Open("ListCampaigns", kIdPageKeySizeBytes, r.page_size(), r.page_token()));
          CONSTELLATION_ASSIGN_OR_RETURN(*out->mutable_next_page_token(),
                                         page.Fill(
                                             campaigns.begin(), campaigns.end(),
                                             [](const auto& item) { return PageKey(item.first); },
                                             [&](const auto& item) -> absl::StatusOr<size_t> {
                                               v1::CampaignView* view = out->add_campaigns();
                                               CONSTELLATION_ASSIGN_OR_RETURN(
                                                   *view, ToCampaignView(g, item.second));
                                               return view->ByteSizeLong();
                                             }));
          return absl::OkStatus();
        });
  }

  UnaryReactor* RecordPledge(CallContext* ctx, const v1::RecordPledgeRequest* req,
                             v1::PledgeWriteResponse* resp) override {
    if (!req->has_schedule()) {
      return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_pledge), "", PledgeViewOf);
    }
    return WriteFromState(
        ctx, req, resp, "",
        [](const core::Group&, const v1::RecordPledgeRequest& r) -> absl::StatusOr<v1::Event> {
          v1::Event body = BodyFrom(r, &v1::Event::mutable_pledge);
          CONSTELLATION_ASSIGN_OR_RETURN(*body.mutable_pledge()->mutable_terms(),
                                         WithSchedule(r.terms(), r.schedule()));
          return body;
        });
  }

  // The items are appended by one task of the apply loop, so that they share its commit; an
  // item that fails there stops the batch (client.proto: the items before it stay recorded).
  UnaryReactor* RecordPledges(CallContext* ctx, const v1::RecordPledgesRequest* req,
                              v1::RecordPledgesResponse* resp) override {
    return RunUnary(
        backend_, ctx, req, resp, AuthenticateClient(ctx, *backend_, Access::kWrite),
        PreparePledgeBatch,
        [](ApplyContext& apply, const Principal&, const v1::RecordPledgesRequest&,
           const std::vector<PreparedWrite>& writes,
           v1::RecordPledgesResponse* out) -> absl::Status {
          // An unknown group is the batch's error, not its first item's.
          CONSTELLATION_RETURN_IF_ERROR(HeldGroup(apply, *writes.front().group).status());
          for (size_t i = 0; i < writes.size(); ++i) {
            absl::StatusOr<const core::VerifiedEvent*> e = AppendPrepared(apply, writes[i]);
            if (!e.ok()) return BatchItemError(i, e.status(), /*on_loop=*/true);
            *out->add_events() = ToEventRef(**e);
          }
          return absl::OkStatus();
        });
  }

  // With a patch, the new version is the current terms with the patch merged on (the pledge's
  // current terms are read from the event that set them, on the apply loop).
  UnaryReactor* AmendPledge(CallContext* ctx, const v1::AmendPledgeRequest* req,
                            v1::PledgeWriteResponse* resp) override {
    if (!req->has_patch()) {
      return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_pledge_amendment),
                   req->pledge_id(), PledgeViewOf);
    }
    return WriteFromState(
        ctx, req, resp, req->pledge_id(),
        [](const core::Group& g, const v1::AmendPledgeRequest& r) -> absl::StatusOr<v1::Event> {
          if (r.has_terms()) {
            return absl::InvalidArgumentError(
                "an amendment gives either the whole terms or a patch, not both");
          }
          CONSTELLATION_ASSIGN_OR_RETURN(const core::PledgeState* pledge,
                                         FindPledge(g, r.pledge_id()));
          v1::Event body = BodyFrom(r, &v1::Event::mutable_pledge_amendment);
          CONSTELLATION_ASSIGN_OR_RETURN(
              *body.mutable_pledge_amendment()->mutable_terms(),
              MergeTermsPatch(CurrentTerms(g, *pledge), *pledge, r.patch()));
          return body;
        });
  }

  UnaryReactor* CancelPledge(CallContext* ctx, const v1::CancelPledgeRequest* req,
                             v1::PledgeWriteResponse* resp) override {
    return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_pledge_cancellation),
                 req->pledge_id(), PledgeViewOf);
  }

  UnaryReactor* RecordPayment(CallContext* ctx, const v1::RecordPaymentRequest* req,
                              v1::PledgeWriteResponse* resp) override {
    return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_payment_receipt),
                 req->pledge_id(), PledgeViewOf);
  }

  UnaryReactor* RecordWriteOff(CallContext* ctx, const v1::RecordWriteOffRequest* req,
                               v1::PledgeWriteResponse* resp) override {
    return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_write_off), req->pledge_id(),
                 PledgeViewOf);
  }

  UnaryReactor* ResolveCondition(CallContext* ctx, const v1::ResolveConditionRequest* req,
                                 v1::PledgeWriteResponse* resp) override {
    return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_pledge_condition),
                 req->pledge_id(), PledgeViewOf);
  }

  UnaryReactor* GetPledge(CallContext* ctx, const v1::GetPledgeRequest* req,
                          v1::PledgeView* resp) override {
    return GetRecord(ctx, req, resp, req->pledge_id(), PledgeViewOf);
  }

  UnaryReactor* ListPledges(CallContext* ctx, const v1::ListPledgesRequest* req,
                            v1::ListPledgesResponse* resp) override {
    return ReadGroup(ctx, req, resp,
                     [](const ApplyContext& apply, const core::Group& g,
                        const v1::ListPledgesRequest& r, v1::ListPledgesResponse* out) {
                       return PledgesPage(g, r, AsOf(apply, r.as_of_ms()), out);
                     });
  }

  StreamReactor<v1::StreamPledgeHistoryResponse>* StreamPledgeHistory(
      CallContext* ctx, const v1::StreamPledgeHistoryRequest* req) override {
    return StreamGroup<v1::StreamPledgeHistoryResponse>(
        ctx, req,
        [](const ApplyContext&, const core::Group& g, const v1::StreamPledgeHistoryRequest& r,
           uint64_t skip, std::vector<v1::StreamPledgeHistoryResponse>* out,
           bool* more) -> absl::Status {
          PageCollector page(skip);
          auto emit = [&](const core::PledgeState& pledge) {
            for (const core::PledgeEntry& entry : pledge.history) {
              if (!page.Take()) continue;
              v1::StreamPledgeHistoryResponse& item = out->emplace_back();
              item.set_pledge_id(pledge.id.Bytes());
              *item.mutable_version() = ToPledgeVersion(g, pledge, entry);
              page.Taken(item.ByteSizeLong());
            }
          };
          if (!r.pledge_id().empty()) {
            CONSTELLATION_ASSIGN_OR_RETURN(const core::PledgeState* pledge,
                                           FindPledge(g, r.pledge_id()));
            emit(*pledge);
          } else {
            CONSTELLATION_RETURN_IF_ERROR(ForEachPledge(g, r.campaign_id(), emit));
          }
          *more = page.more();
          return absl::OkStatus();
        });
  }
};

}  // namespace

Services MakeFundraisingServices(Backend* backend) {
  return MakeServices<FundraisingServiceImpl>(backend);
}

}  // namespace constellation::rpc
