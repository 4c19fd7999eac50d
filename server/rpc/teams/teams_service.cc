// TeamService (client.proto): action teams formed and changed by their leads, and the reads:
// one team, the group's teams (docs/PROTOCOL.md §5.17). Every write is a whole version of the
// team; UpdateTeam names the team and the node sets `supersedes`.
#include <vector>

#include "constellation/v1/client.grpc.pb.h"
#include "server/core/teams/teams_ledger.h"
#include "server/rpc/paging.h"
#include "server/rpc/request.h"
#include "server/rpc/service.h"
#include "server/rpc/services.h"
#include "server/rpc/status_map.h"
#include "server/rpc/teams/teams_views.h"

namespace constellation::rpc {
namespace {

v1::Event TeamBody(const v1::ActionTeam& team) {
  v1::Event body;
  *body.mutable_action_team() = team;
  return body;
}

class TeamServiceImpl final : public BoundService<v1::TeamService> {
  UnaryReactor* CreateTeam(CallContext* ctx, const v1::CreateTeamRequest* req,
                           v1::TeamWriteResponse* resp) override {
    if (!req->team().supersedes().empty()) {
      // A programming error of the caller's, refused before anything else is looked at.
      UnaryReactor* reactor = ctx->DefaultReactor();
      reactor->Finish(ToGrpcStatus(absl::InvalidArgumentError(
          "team.supersedes must be empty in CreateTeam; write a new version of a team with "
          "UpdateTeam")));
      return reactor;
    }
    return Write(ctx, req, resp, TeamBody(req->team()), "", TeamViewOf);
  }

  UnaryReactor* UpdateTeam(CallContext* ctx, const v1::UpdateTeamRequest* req,
                           v1::TeamWriteResponse* resp) override {
    v1::Event body = TeamBody(req->team());
    body.mutable_action_team()->set_supersedes(req->team_id());
    return Write(ctx, req, resp, std::move(body), req->team_id(), TeamViewOf);
  }

  UnaryReactor* GetTeam(CallContext* ctx, const v1::GetTeamRequest* req,
                        v1::TeamView* resp) override {
    return GetRecord(ctx, req, resp, req->team_id(), TeamViewOf);
  }

  UnaryReactor* ListTeams(CallContext* ctx, const v1::ListTeamsRequest* req,
                          v1::ListTeamsResponse* resp) override {
    return ReadGroup(
        ctx, req, resp,
        [](const ApplyContext& apply, const core::Group& g, const v1::ListTeamsRequest& r,
           v1::ListTeamsResponse* out) -> absl::Status {
          std::optional<core::OrgKey> member;
          if (!r.member().empty()) {
            CONSTELLATION_ASSIGN_OR_RETURN(member, ParseId<core::OrgKey>(r.member(), "member"));
          }
          CONSTELLATION_ASSIGN_OR_RETURN(
              const ListPage page,
              ListPage::Open("ListTeams", kIdPageKeySizeBytes, r.page_size(), r.page_token()));
          std::vector<const core::TeamState*> teams;  // ascending by id (the map's order)
          for (const auto& [id, t] : core::Teams(g.state()).teams()) {
            if (member.has_value() && !t.current().Names(*member)) continue;
            teams.push_back(&t);
          }
          const uint64_t now_ms = AsOf(apply, 0);
          CONSTELLATION_ASSIGN_OR_RETURN(
              *out->mutable_next_page_token(),
              page.Fill(
                  teams.begin(), teams.end(),
                  [](const core::TeamState* t) { return PageKey(t->id); },
                  [&](const core::TeamState* t) {
                    return Appended(out->add_teams(), ToTeamView(g, *t, now_ms));
                  }));
          return absl::OkStatus();
        });
  }
};

}  // namespace

Services MakeTeamsServices(Backend* backend) { return MakeServices<TeamServiceImpl>(backend); }

}  // namespace constellation::rpc
