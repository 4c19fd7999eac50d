// MeasurementService (client.proto): indicator reports by members (a correction revises the
// latest report), and the reads: one report, the reports, and every indicator's series against
// its baseline and target (docs/PROTOCOL.md §5.16).
#include <optional>
#include <vector>

#include "constellation/v1/client.grpc.pb.h"
#include "server/core/measurement/measurement_ledger.h"
#include "server/core/strategy/strategy_ledger.h"
#include "server/rpc/measurement/measurement_views.h"
#include "server/rpc/paging.h"
#include "server/rpc/request.h"
#include "server/rpc/service.h"
#include "server/rpc/services.h"

namespace constellation::rpc {
namespace {

class MeasurementServiceImpl final : public BoundService<v1::MeasurementService> {
  UnaryReactor* ReportIndicator(CallContext* ctx, const v1::ReportIndicatorRequest* req,
                                v1::IndicatorReportWriteResponse* resp) override {
    return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_indicator_report), "",
                 IndicatorReportViewOf);
  }

  UnaryReactor* GetIndicatorReport(CallContext* ctx, const v1::GetIndicatorReportRequest* req,
                                   v1::IndicatorReportView* resp) override {
    return GetRecord(ctx, req, resp, req->report_id(), IndicatorReportViewOf);
  }

  UnaryReactor* ListIndicatorReports(CallContext* ctx, const v1::ListIndicatorReportsRequest* req,
                                     v1::ListIndicatorReportsResponse* resp) override {
    return ReadGroup(
        ctx, req, resp,
        [](const ApplyContext&, const core::Group& g, const v1::ListIndicatorReportsRequest& r,
           v1::ListIndicatorReportsResponse* out) -> absl::Status {
          std::optional<core::EventId> version;
          if (!r.strategy_version_id().empty()) {
            CONSTELLATION_ASSIGN_OR_RETURN(
                version, ParseEventId(r.strategy_version_id(), "strategy_version_id"));
          }
          std::optional<core::OrgKey> member;
          if (!r.member().empty()) {
            CONSTELLATION_ASSIGN_OR_RETURN(member, ParseId<core::OrgKey>(r.member(), "member"));
          }
          CONSTELLATION_ASSIGN_OR_RETURN(
              const ListPage page, ListPage::Open("ListIndicatorReports", kOrderPageKeySizeBytes,
                                                  r.page_size(), r.page_token()));
          std::vector<std::pair<core::OrderKey, const core::ReportState*>> reports;
          for (const auto& [id, report] : core::Measurement(g.state()).reports()) {
            if (version.has_value() && report.version != *version) continue;
            if (member.has_value() && report.author != *member) continue;
            if (!r.indicator_key().empty() && report.indicator_key != r.indicator_key()) continue;
            reports.emplace_back(core::OrderKey{g.dag().Find(id)->depth, id}, &report);
          }
          std::sort(reports.begin(), reports.end());
          CONSTELLATION_ASSIGN_OR_RETURN(
              *out->mutable_next_page_token(),
              page.Fill(
                  reports.begin(), reports.end(),
                  [](const auto& item) { return PageKey(item.first); },
                  [&](const auto& item) {
                    return Appended(out->add_reports(), ToIndicatorReportView(g, *item.second));
                  }));
          return absl::OkStatus();
        });
  }

  UnaryReactor* GetMeasurement(CallContext* ctx, const v1::GetMeasurementRequest* req,
                               v1::MeasurementView* resp) override {
    return ReadGroup(
        ctx, req, resp,
        [](const ApplyContext&, const core::Group& g, const v1::GetMeasurementRequest& r,
           v1::MeasurementView* out) -> absl::Status {
          const core::StrategyLedger& strategy = core::Strategy(g.state());
          std::vector<core::EventId> versions;
          if (!r.strategy_version_id().empty()) {
            CONSTELLATION_ASSIGN_OR_RETURN(
                const core::StrategyVersionState* v,
                FindRecord(strategy.versions(), g, "strategy version", r.strategy_version_id()));
            versions.push_back(v->id);
          } else {
            for (int d = v1::StrategyDocument_MIN; d <= v1::StrategyDocument_MAX; ++d) {
              const core::AdoptionState* a = strategy.Current(static_cast<v1::StrategyDocument>(d));
              if (a != nullptr) versions.push_back(a->version);
            }
          }
          *out = ToMeasurementView(g, versions);
          return absl::OkStatus();
        });
  }
};

}  // namespace

Services MakeMeasurementServices(Backend* backend) {
  return MakeServices<MeasurementServiceImpl>(backend);
}

}  // namespace constellation::rpc
