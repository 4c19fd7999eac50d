// StrategyService (client.proto): strategy versions drafted by members, and the reads: one
// version with its lineage, alternatives and adoptions, the versions, the current strategy, the
// adoptions that made it (docs/PROTOCOL.md §5.15). Adoption itself is a decision
// (GovernanceService.Propose, ADOPT_STRATEGY).
#include <vector>

#include "constellation/v1/client.grpc.pb.h"
#include "server/core/strategy/strategy_ledger.h"
#include "server/rpc/paging.h"
#include "server/rpc/service.h"
#include "server/rpc/services.h"
#include "server/rpc/strategy/strategy_views.h"

namespace constellation::rpc {
namespace {

absl::Status CheckDocument(v1::StrategyDocument document) {
  if (v1::StrategyDocument_IsValid(document)) return absl::OkStatus();
  return absl::InvalidArgumentError(
      absl::StrFormat("document: %d is not a strategy document", static_cast<int>(document)));
}

class StrategyServiceImpl final : public BoundService<v1::StrategyService> {
  UnaryReactor* DraftStrategy(CallContext* ctx, const v1::DraftStrategyRequest* req,
                              v1::StrategyWriteResponse* resp) override {
    return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_strategy_version), "",
                 StrategyVersionViewOf);
  }

  UnaryReactor* GetStrategyVersion(CallContext* ctx, const v1::GetStrategyVersionRequest* req,
                                   v1::StrategyVersionView* resp) override {
    return GetRecord(ctx, req, resp, req->version_id(), StrategyVersionViewOf);
  }

  UnaryReactor* ListStrategyVersions(CallContext* ctx, const v1::ListStrategyVersionsRequest* req,
                                     v1::ListStrategyVersionsResponse* resp) override {
    return ReadGroup(
        ctx, req, resp,
        [](const ApplyContext&, const core::Group& g, const v1::ListStrategyVersionsRequest& r,
           v1::ListStrategyVersionsResponse* out) -> absl::Status {
          CONSTELLATION_RETURN_IF_ERROR(CheckDocument(r.document()));
          CONSTELLATION_ASSIGN_OR_RETURN(
              const ListPage page, ListPage::Open("ListStrategyVersions", kOrderPageKeySizeBytes,
                                                  r.page_size(), r.page_token()));
          const std::vector<const core::StrategyVersionState*> versions =
              StrategyVersionsInOrder(g, r.document());
          CONSTELLATION_ASSIGN_OR_RETURN(
              *out->mutable_next_page_token(),
              page.Fill(
                  versions.begin(), versions.end(),
                  [&g](const core::StrategyVersionState* v) {
                    return PageKey(core::OrderKey{g.dag().Find(v->id)->depth, v->id});
                  },
                  [&](const core::StrategyVersionState* v) {
                    return Appended(out->add_versions(), ToStrategyVersionView(g, *v));
                  }));
          return absl::OkStatus();
        });
  }

  UnaryReactor* GetCurrentStrategy(CallContext* ctx, const v1::GetCurrentStrategyRequest* req,
                                   v1::CurrentStrategyView* resp) override {
    return ReadGroup(
        ctx, req, resp,
        [](const ApplyContext&, const core::Group& g, const v1::GetCurrentStrategyRequest&,
           v1::CurrentStrategyView* out) -> absl::Status {
          const core::StrategyLedger& strategy = core::Strategy(g.state());
          for (int d = v1::StrategyDocument_MIN; d <= v1::StrategyDocument_MAX; ++d) {
            const auto document = static_cast<v1::StrategyDocument>(d);
            if (!v1::StrategyDocument_IsValid(d) || document == v1::STRATEGY_DOCUMENT_UNSPECIFIED) {
              continue;
            }
            if (const core::AdoptionState* a = strategy.Current(document)) {
              *out->add_versions() = ToStrategyVersionView(g, strategy.versions().at(a->version));
            }
          }
          return absl::OkStatus();
        });
  }

  UnaryReactor* ListStrategyAdoptions(CallContext* ctx, const v1::ListStrategyAdoptionsRequest* req,
                                      v1::ListStrategyAdoptionsResponse* resp) override {
    return ReadGroup(
        ctx, req, resp,
        [](const ApplyContext&, const core::Group& g, const v1::ListStrategyAdoptionsRequest& r,
           v1::ListStrategyAdoptionsResponse* out) -> absl::Status {
          CONSTELLATION_RETURN_IF_ERROR(CheckDocument(r.document()));
          CONSTELLATION_ASSIGN_OR_RETURN(
              const ListPage page, ListPage::Open("ListStrategyAdoptions", kOrderPageKeySizeBytes,
                                                  r.page_size(), r.page_token()));
          const std::vector<const core::AdoptionState*> adoptions =
              AdoptionsInOrder(g, r.document());
          CONSTELLATION_ASSIGN_OR_RETURN(
              *out->mutable_next_page_token(),
              page.Fill(
                  adoptions.begin(), adoptions.end(),
                  [&g](const core::AdoptionState* a) {
                    return PageKey(core::OrderKey{g.dag().Find(a->proposal)->depth, a->proposal});
                  },
                  [&](const core::AdoptionState* a) {
                    return Appended(out->add_adoptions(), ToStrategyAdoptionView(g, *a));
                  }));
          return absl::OkStatus();
        });
  }
};

}  // namespace

Services MakeStrategyServices(Backend* backend) {
  return MakeServices<StrategyServiceImpl>(backend);
}

}  // namespace constellation::rpc
