// HealthService (client.proto): pulse checks recorded by members, and the partnership at a
// glance as of a time (docs/PROTOCOL.md §5.14).
#include <optional>
#include <vector>

#include "constellation/v1/client.grpc.pb.h"
#include "server/core/health/health_ledger.h"
#include "server/rpc/health/health_views.h"
#include "server/rpc/paging.h"
#include "server/rpc/request.h"
#include "server/rpc/service.h"
#include "server/rpc/services.h"

namespace constellation::rpc {
namespace {

class HealthServiceImpl final : public BoundService<v1::HealthService> {
  UnaryReactor* RecordPulse(CallContext* ctx, const v1::RecordPulseRequest* req,
                            v1::PulseWriteResponse* resp) override {
    return Write(ctx, req, resp, BodyFrom(*req, &v1::Event::mutable_pulse_check), "", PulseViewOf);
  }

  UnaryReactor* GetPulse(CallContext* ctx, const v1::GetPulseRequest* req,
                         v1::PulseView* resp) override {
    return GetRecord(ctx, req, resp, req->event_id(), PulseViewOf);
  }

  UnaryReactor* ListPulses(CallContext* ctx, const v1::ListPulsesRequest* req,
                           v1::ListPulsesResponse* resp) override {
    return ReadGroup(
        ctx, req, resp,
        [](const ApplyContext&, const core::Group& g, const v1::ListPulsesRequest& r,
           v1::ListPulsesResponse* out) -> absl::Status {
          std::optional<core::OrgKey> member;
          if (!r.member().empty()) {
            CONSTELLATION_ASSIGN_OR_RETURN(member, ParseId<core::OrgKey>(r.member(), "member"));
          }
          CONSTELLATION_ASSIGN_OR_RETURN(
              const ListPage page,
              ListPage::Open("ListPulses", kOrderPageKeySizeBytes, r.page_size(), r.page_token()));
          std::vector<const core::PulseState*> pulses;  // canonical order
          for (const core::PulseState& p : core::Health(g.state()).pulses()) {
            if (!member.has_value() || p.member == *member) pulses.push_back(&p);
          }
          CONSTELLATION_ASSIGN_OR_RETURN(
              *out->mutable_next_page_token(),
              page.Fill(
                  pulses.begin(), pulses.end(),
                  [&g](const core::PulseState* p) {
                    return PageKey(core::OrderKey{g.dag().Find(p->id)->depth, p->id});
                  },
                  [&](const core::PulseState* p) {
                    return Appended(out->add_pulses(), ToPulseView(g, *p));
                  }));
          return absl::OkStatus();
        });
  }

  UnaryReactor* GetHealth(CallContext* ctx, const v1::GetHealthRequest* req,
                          v1::HealthView* resp) override {
    return ReadGroup(ctx, req, resp,
                     [](const ApplyContext& apply, const core::Group& g,
                        const v1::GetHealthRequest& r, v1::HealthView* out) -> absl::Status {
                       *out = ToHealthView(g, core::HealthAt(g.state(), AsOf(apply, r.as_of_ms())));
                       return absl::OkStatus();
                     });
  }
};

}  // namespace

Services MakeHealthServices(Backend* backend) { return MakeServices<HealthServiceImpl>(backend); }

}  // namespace constellation::rpc
