// PooledService (client.proto): contributions and their reversing entries, funds created from
// CREATE_FUND decisions, receipts and disbursements recorded by the fiscal host (each write
// answered with the record it concerns), and the reads: the ledger, funds with balances,
// drawdowns with their derived status, benefit shares (docs/PROTOCOL.md §5.10).
#include <absl/strings/str_format.h>

#include "constellation/v1/client.grpc.pb.h"
#include "server/core/pooled/pooled_ledger.h"
#include "server/rpc/paging.h"
#include "server/rpc/pooled/pooled_views.h"
#include "server/rpc/service.h"
#include "server/rpc/services.h"

namespace constellation::rpc {
namespace {

// The fiscal host's node follows the drawdown queue (docs/PROTOCOL.md §5.10): it does not write
// a disbursement of a drawdown its view shows refused. kFailedPrecondition with the reason.
absl::Status CheckNotRefused(const ApplyContext& apply, const PreparedWrite& write) {
  const core::Group* g = apply.state().FindGroup(*write.group);
  if (g == nullptr) return absl::OkStatus();  // AppendPrepared answers kNotFound
  absl::StatusOr<core::EventId> id =
      core::EventId::FromBytes(write.body.disbursement().proposal_id());
  if (!id.ok()) return id.status();
  for (const core::DrawdownView& d : core::Drawdowns(g->state())) {
    if (d.proposal == *id && d.status == core::DrawdownStatus::kRefused) {
      return absl::FailedPreconditionError(
          absl::StrFormat("drawdown %s is refused: %s", id->ShortHex(), d.reason));
    }
  }
  return absl::OkStatus();
}

// An item of the ListContributions listing (paging.h): a ledger entry or a contribution, with
// its sort key: a phase byte (entries before contributions), then the entry's canonical order
// key or the contribution's id padded to the same size.
struct LedgerItem {
  std::string key;
  const core::PooledEntry* entry = nullptr;
  const core::ContributionState* contribution = nullptr;
};
constexpr size_t kLedgerPageKeySizeBytes = 1 + kOrderPageKeySizeBytes;

class PooledServiceImpl final : public BoundService<v1::PooledService> {
  UnaryReactor* RecordContribution(CallContext* ctx, const v1::RecordContributionRequest* req,
                                   v1::ContributionWriteResponse* resp) override {
    return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_contribution), "",
                 ContributionViewOf);
  }

  UnaryReactor* GetContribution(CallContext* ctx, const v1::GetContributionRequest* req,
                                v1::ContributionView* resp) override {
    return GetRecord(ctx, req, resp, req->contribution_id(), ContributionViewOf);
  }

  UnaryReactor* ListContributions(CallContext* ctx, const v1::ListContributionsRequest* req,
                                  v1::ListContributionsResponse* resp) override {
    return ReadGroup(
        ctx, req, resp,
        [](const ApplyContext&, const core::Group& g, const v1::ListContributionsRequest& r,
           v1::ListContributionsResponse* out) -> absl::Status {
          std::optional<core::OrgKey> member;
          if (!r.member().empty()) {
            CONSTELLATION_ASSIGN_OR_RETURN(member, core::OrgKey::FromBytes(r.member(), "member"));
          }
          if (!r.fund_id().empty())
            CONSTELLATION_RETURN_IF_ERROR(FindFund(g, r.fund_id()).status());
          CONSTELLATION_ASSIGN_OR_RETURN(
              const ListPage page, ListPage::Open("ListContributions", kLedgerPageKeySizeBytes,
                                                  r.page_size(), r.page_token()));
          const core::PooledLedger& pooled = core::Pooled(g.state());
          // One listing: the entries (phase 0, canonical order key), then the contributions
          // (phase 1, id), so that one key orders both.
          std::vector<LedgerItem> items;
          const bool filtered = member.has_value() || !r.fund_id().empty();
          for (const core::PooledEntry& entry : pooled.entries()) {
            if (filtered) {
              const v1::PooledEntryView v = ToEntryView(g, entry);
              if (member.has_value() && v.author() != member->Bytes()) continue;
              if (!r.fund_id().empty() && v.fund_id() != r.fund_id()) continue;
            }
            items.push_back(
                {'\0' + PageKey(core::OrderKey{g.dag().Find(entry.event)->depth, entry.event}),
                 &entry, nullptr});
          }
          for (const auto& [id, c] : pooled.contributions()) {
            if (member.has_value() && c.contributor != *member) continue;
            if (!r.fund_id().empty() && (!c.fund.has_value() || c.fund->Bytes() != r.fund_id())) {
              continue;
            }
            items.push_back({'\1' + PageKey(id) + std::string(8, '\0'), nullptr, &c});
          }
          CONSTELLATION_ASSIGN_OR_RETURN(
              *out->mutable_next_page_token(),
              page.Fill(
                  items.begin(), items.end(), [](const LedgerItem& item) { return item.key; },
                  [&](const LedgerItem& item) -> size_t {
                    if (item.entry != nullptr) {
                      return Appended(out->add_entries(), ToEntryView(g, *item.entry));
                    }
                    return Appended(out->add_contributions(),
                                    ToContributionView(g, *item.contribution));
                  }));
          if (!r.page_token().empty()) return absl::OkStatus();  // totals: the first page only
          for (const auto& [key, net] : pooled.net_contributed()) {
            if (member.has_value() && key.first != *member) continue;
            v1::MemberTotal* t = out->add_totals();
            t->set_member(key.first.Bytes());
            t->set_currency(key.second);
            t->set_net_contributed_minor(net);
          }
          return absl::OkStatus();
        });
  }

  UnaryReactor* CreateFund(CallContext* ctx, const v1::CreateFundRequest* req,
                           v1::FundWriteResponse* resp) override {
    return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_fund), "", FundViewOf);
  }

  UnaryReactor* GetFund(CallContext* ctx, const v1::GetFundRequest* req,
                        v1::FundView* resp) override {
    return GetRecord(ctx, req, resp, req->fund_id(), FundViewOf);
  }

  UnaryReactor* ListFunds(CallContext* ctx, const v1::ListFundsRequest* req,
                          v1::ListFundsResponse* resp) override {
    return ReadGroup(
        ctx, req, resp,
        [](const ApplyContext&, const core::Group& g, const v1::ListFundsRequest& r,
           v1::ListFundsResponse* out) -> absl::Status {
          CONSTELLATION_ASSIGN_OR_RETURN(
              const ListPage page,
              ListPage::Open("ListFunds", kIdPageKeySizeBytes, r.page_size(), r.page_token()));
          const std::vector<core::DrawdownView> drawdowns = core::Drawdowns(g.state());
          const auto& funds = core::Pooled(g.state()).funds();
          CONSTELLATION_ASSIGN_OR_RETURN(
              *out->mutable_next_page_token(),
              page.Fill(
                  funds.begin(), funds.end(), [](const auto& item) { return PageKey(item.first); },
                  [&](const auto& item) {
                    return Appended(out->add_funds(), ToFundView(g, item.second, drawdowns));
                  }));
          return absl::OkStatus();
        });
  }

  UnaryReactor* RecordReceipt(CallContext* ctx, const v1::RecordReceiptRequest* req,
                              v1::ContributionWriteResponse* resp) override {
    return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_contribution_receipt),
                 req->contribution_id(), ContributionViewOf);
  }

  // The write template with one step more on the loop: the drawdown queue (CheckNotRefused).
  UnaryReactor* Disburse(CallContext* ctx, const v1::DisburseRequest* req,
                         v1::DrawdownWriteResponse* resp) override {
    v1::Event body = BodyFrom(*req, &v1::Event::mutable_disbursement);
    body.set_request_id(req->request_id());
    return RunUnary(
        backend_, ctx, req, resp, AuthenticateClient(ctx, *backend_, Access::kWrite),
        [req, &body](const v1::DisburseRequest&) {
          return PrepareWrite(&req->group_id(), std::move(body));
        },
        [](ApplyContext& apply, const Principal&, const v1::DisburseRequest& r,
           const PreparedWrite& write, v1::DrawdownWriteResponse* out) -> absl::Status {
          CONSTELLATION_RETURN_IF_ERROR(CheckNotRefused(apply, write));
          return AnswerWrite(apply, write, r.proposal_id(), DrawdownViewOf, out);
        });
  }

  UnaryReactor* ListDrawdowns(CallContext* ctx, const v1::ListDrawdownsRequest* req,
                              v1::ListDrawdownsResponse* resp) override {
    return ReadGroup(
        ctx, req, resp,
        [](const ApplyContext&, const core::Group& g, const v1::ListDrawdownsRequest& r,
           v1::ListDrawdownsResponse* out) -> absl::Status {
          std::optional<core::EventId> fund;
          if (!r.fund_id().empty()) {
            CONSTELLATION_ASSIGN_OR_RETURN(const core::FundState* f, FindFund(g, r.fund_id()));
            fund = f->id;
          }
          CONSTELLATION_ASSIGN_OR_RETURN(const ListPage page,
                                         ListPage::Open("ListDrawdowns", kOrderPageKeySizeBytes,
                                                        r.page_size(), r.page_token()));
          const std::vector<core::DrawdownView> drawdowns = core::Drawdowns(g.state(), fund);
          CONSTELLATION_ASSIGN_OR_RETURN(
              *out->mutable_next_page_token(),
              page.Fill(
                  drawdowns.begin(), drawdowns.end(),
                  [&](const core::DrawdownView& d) {
                    return PageKey(core::OrderKey{g.dag().Find(d.proposal)->depth, d.proposal});
                  },
                  [&](const core::DrawdownView& d) {
                    return Appended(out->add_drawdowns(), ToDrawdownView(g, d));
                  }));
          return absl::OkStatus();
        });
  }

  UnaryReactor* GetShares(CallContext* ctx, const v1::GetSharesRequest* req,
                          v1::SharesView* resp) override {
    return ReadGroup(ctx, req, resp,
                     [](const ApplyContext&, const core::Group& g, const v1::GetSharesRequest&,
                        v1::SharesView* out) {
                       *out = ToSharesView(core::ComputeBenefitShares(g.state()));
                       return absl::OkStatus();
                     });
  }
};

}  // namespace

Services MakePooledServices(Backend* backend) { return MakeServices<PooledServiceImpl>(backend); }

}  // namespace constellation::rpc
