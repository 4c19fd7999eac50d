// sdk/include/constellation/client.h
//
// constellation::Client: the typed client of one Constellation node (DESIGN §6), one method per
// RPC of proto/constellation/v1/client.proto. Member organisations build it into their own
// systems; the `constellation` CLI is built on it. The methods are grouped by record domain, as
// the types (one header per domain, all included by types.h) and the sources (sdk/src/<domain>/)
// are: a new domain adds its group of methods here.
//
// Guarantees:
// - Every method returns absl::Status / absl::StatusOr with the node's status code and message
//   (codes as documented in client.proto). Malformed input the SDK can detect (an id that is
//   not 64 hex characters, a bad request id) is kInvalidArgument before any RPC is made.
// - Every unary call has a deadline (ClientOptions::deadline) covering all of its attempts.
//   kUnavailable is retried up to ClientOptions::max_attempts times with exponential backoff
//   and jitter. Writes are retried with the same request_id, which the node uses to return the
//   original event instead of writing twice, so a retried write never duplicates.
// - Streams (PledgeHistory, GroupEvents) are read lazily from the server stream; they have
//   their own deadline (ClientOptions::stream_deadline) and resume after kUnavailable where
//   that cannot repeat or skip an entry. A Watch has no deadline and resumes until cancelled.
// - Headers expose std and abseil types only; gRPC and generated types stay inside the SDK.
//
// Thread safety: a Client is thread-safe (calls may run concurrently from many threads).
// A stream object is not thread-safe; use each from one thread at a time. Streams keep the
// connection they need alive, so they may outlive the Client that created them.
#pragma once

#include <cstdint>
#include <memory>
#include <string>
#include <string_view>
#include <utility>
#include <vector>

#include <absl/status/status.h>
#include <absl/status/statusor.h>
#include <absl/time/time.h>
#include <constellation/money.h>
#include <constellation/org_card.h>
#include <constellation/types.h>

namespace constellation {

struct ClientOptions {
  // host:port of the node, e.g. "127.0.0.1:7400". The host must be a name or address in the
  // node's certificate when TLS is on.
  std::string endpoint;
  // Bearer token issued by the node; sent as `authorization: Bearer <token>`. May be empty
  // (calls then fail with kUnauthenticated).
  std::string token;
  // Deadline of one unary call, across all of its attempts.
  absl::Duration deadline = absl::Seconds(10);
  // Deadline of a whole stream (PledgeHistory, GroupEvents), from its first read.
  absl::Duration stream_deadline = absl::Minutes(10);
  // Attempts per call when the node answers kUnavailable (1 = no retry).
  int max_attempts = 4;
  // Wait before the first retry; doubled each retry (with jitter), capped at 5 s.
  absl::Duration initial_backoff = absl::Milliseconds(100);
  // TLS (docs/OPERATIONS.md, "TLS"). With a CA (a PEM file, or PEM text) the client connects
  // over TLS and verifies the node's certificate against it; without one it speaks plaintext
  // (loopback and tests). A node whose certificate does not verify fails every call with
  // kUnavailable. Connect() fails with kNotFound / kInvalidArgument for a file it cannot use.
  std::string tls_ca_file;
  std::string tls_ca_pem;  // instead of tls_ca_file
  // Optional client certificate chain and private key (PEM files) for a node that asks for
  // one (mutual TLS, [tls] client_ca_file); both or neither, and only with a CA.
  std::string tls_cert_file;
  std::string tls_key_file;
};

struct WriteOptions {
  // Idempotency key (1..128 printable ASCII characters, unique per intended write). Empty:
  // the SDK generates a random 128-bit hex id. Pass your own to retry a write safely across
  // process restarts.
  std::string request_id;
};

// A new random request id: 32 lowercase hex characters (128 bits). Thread-safe.
std::string NewRequestId();

// The SDK version, e.g. "0.1.0".
const char* SdkVersion();

namespace internal {
class ClientCore;

// Where a stream's entries come from: inside the SDK, a reader of the node's server stream
// (sdk/src/streams.h). Not thread-safe.
template <typename Entry>
class EntryReader {
 public:
  virtual ~EntryReader() = default;
  virtual absl::StatusOr<bool> Next(Entry* out) = 0;  // as EntryStream::Next
  virtual void Cancel() = 0;                          // as EntryStream::Cancel
};

// What every stream of the client API does: read `Entry`s lazily, one message per Next().
// Move-only; destroying it cancels the RPC if it is still open.
template <typename Entry>
class EntryStream {
 public:
  EntryStream(EntryStream&&) noexcept = default;
  EntryStream& operator=(EntryStream&&) noexcept = default;
  ~EntryStream() = default;

  // Reads the next entry into *out (which must not be null). Returns true when an entry was
  // read, false at the end of the stream, or the stream's error (kNotFound for an unknown
  // group or pledge, kDeadlineExceeded, kUnavailable after retries, kCancelled after
  // Cancel()). After false or an error, further calls return the same result.
  absl::StatusOr<bool> Next(Entry* out) {
    if (reader_ == nullptr) return absl::FailedPreconditionError("stream was moved from");
    return reader_->Next(out);
  }

  // Stops the stream; the next Next() returns kCancelled. Thread-safe: another thread may call
  // it while Next() blocks (Next() then returns kCancelled).
  void Cancel() {
    if (reader_ != nullptr) reader_->Cancel();
  }

 protected:
  explicit EntryStream(std::unique_ptr<EntryReader<Entry>> reader) : reader_(std::move(reader)) {}

 private:
  std::unique_ptr<EntryReader<Entry>> reader_;
};

}  // namespace internal

// Every version of a pledge's history (or of every pledge of a group or campaign), in canonical
// order, read lazily from the server stream (Client::PledgeHistory). Move-only.
class PledgeHistoryStream : public internal::EntryStream<PledgeVersionEntry> {
  friend class Client;
  using EntryStream::EntryStream;
};

// A group's signed events in canonical order, starting after a position, read lazily from the
// server stream (Client::GroupEvents). After kUnavailable it resumes after the last position
// delivered, so entries are never repeated or skipped. Move-only.
class GroupEventStream : public internal::EntryStream<GroupEventEntry> {
  friend class Client;
  using EntryStream::EntryStream;
};

// A group's events as a watch delivers them (Client::Watch): first every event the node holds
// that the starting revision does not cover, in canonical order, then each new event as the
// node inserts it (its own writes and events from peers). It does not end by itself: Next()
// blocks until the next event. After kUnavailable (a lost connection, a node restart) it
// reopens the watch from revision(), with backoff, until the node answers again or Cancel(),
// so every event is delivered exactly once. Cancel() may be called from any thread; the
// blocked Next() then returns kCancelled. Move-only.
class WatchStream : public internal::EntryStream<GroupEventEntry> {
 public:
  // The resume point after the last entry Next() returned: store it to resume after a restart
  // of your own process (WatchOptions::after).
  const WatchRevision& revision() const { return *revision_; }

 private:
  friend class Client;
  WatchStream(std::unique_ptr<internal::EntryReader<GroupEventEntry>> reader,
              std::shared_ptr<const WatchRevision> revision)
      : EntryStream(std::move(reader)), revision_(std::move(revision)) {}
  std::shared_ptr<const WatchRevision> revision_;
};

struct WatchOptions {
  // Deliver only the events this revision does not cover; empty = from the genesis.
  WatchRevision after;
};

class Client {
 public:
  // Creates a client for options.endpoint. Does not contact the node (the connection is made on
  // the first call), so a node that is down shows as kUnavailable from the first call.
  // kInvalidArgument for an empty endpoint, a token with characters not allowed in a header,
  // max_attempts < 1, or a non-positive deadline or backoff.
  static absl::StatusOr<std::unique_ptr<Client>> Connect(const ClientOptions& options);

  ~Client();
  Client(const Client&) = delete;
  Client& operator=(const Client&) = delete;

  const ClientOptions& options() const;

  // --- Node (node.h, sdk/src/node/): node info, org card, tokens, peers, sync -----------------

  // Who the node is (org key, name, endpoints), plus the caller's role. Any valid token.
  absl::StatusOr<NodeInfo> GetNodeInfo();
  // This node's org card (key, name, endpoints): what a member of another group needs to
  // propose admitting this org. OrgCardToJson (org_card.h) gives its text form. Any valid token.
  absl::StatusOr<OrgCard> GetOrgCard();

  // Issues a token with `role` ("admin" | "member" | "auditor"); `group_ids` (hex) limit an
  // auditor's reads, empty = every group. Admin only. The secret is in the result only.
  absl::StatusOr<CreatedToken> CreateToken(std::string_view role, std::string_view label,
                                           const std::vector<std::string>& group_ids);
  // Every token (never the secrets). Admin only.
  absl::StatusOr<std::vector<TokenInfo>> ListTokens();
  // Revokes a token. kNotFound for an unknown id. Admin only.
  absl::Status RevokeToken(std::string_view token_id);

  // Peers and sync.

  // Pulls `group_id` from the node at `peer_endpoint` (host:port) into this node, verifying
  // every event, until the peer has nothing more. Admin only. kInvalidArgument for an empty
  // endpoint (use SyncGroupWithMembers for a round with every member). kUnavailable when the
  // peer cannot be reached; kPermissionDenied when the peer does not count this node's org as
  // a member.
  absl::StatusOr<SyncResult> SyncGroup(std::string_view peer_endpoint, std::string_view group_id);
  // Runs an anti-entropy round now with every member of `group_id` (both directions: pull what
  // this node lacks, send what they lack). The result counts `sent` too and has one `peers`
  // entry per member endpoint tried; a member that cannot be reached shows there as "failing"
  // and does not fail the call. Admin only. (SyncGroupRequest with an empty peer_endpoint.)
  absl::StatusOr<SyncResult> SyncGroupWithMembers(std::string_view group_id);
  // The member nodes this node replicates with and their status, ordered by org then endpoint;
  // only those of `group_id` when it is not empty. Admin or member token.
  absl::StatusOr<std::vector<PeerStatus>> ListPeers(std::string_view group_id = "");

  // --- Group (group.h, sdk/src/group/): charter, members, group events ------------------------

  // Founds a group with this node's org as founder. Admin only. kInvalidArgument for a
  // missing name, bad decision rules or an unknown currency.
  absl::StatusOr<GroupWrite> CreateGroup(const CharterInput& charter,
                                         const WriteOptions& write = {});
  // kNotFound for an unknown group (or one an auditor token is not scoped to).
  absl::StatusOr<Group> GetGroup(std::string_view group_id);
  // Every group the node holds (auditors: those in scope), ordered by group id: every page
  // (ListGroupsPage reads one; see PageOptions). kInvalidArgument for a bad page token.
  absl::StatusOr<std::vector<Group>> ListGroups();
  absl::StatusOr<Page<Group>> ListGroupsPage(const PageOptions& page);
  // The group's signed events after `after_position` (0 = from the genesis).
  // kInvalidArgument for a malformed id; other errors come from Next().
  absl::StatusOr<GroupEventStream> GroupEvents(std::string_view group_id,
                                               uint64_t after_position = 0);

  // The group's state hash after its first `event_count` events in canonical order (the
  // positions GroupEvents returns), with the forks the node knows; 0 = every event held. For
  // verifiers that fold a prefix themselves (docs/PROTOCOL.md §4). kNotFound unknown group.
  absl::StatusOr<StateHashAt> GetStateHash(std::string_view group_id, uint64_t event_count = 0);
  // Every fork proof the node knows for the group, one per frozen author, ordered by author.
  // kNotFound unknown group.
  absl::StatusOr<std::vector<ForkProofEntry>> ListForkProofs(std::string_view group_id);

  // Watches the group (GroupService.WatchEvents; WatchStream says what it guarantees). The
  // stream has no deadline. kInvalidArgument for a malformed id or revision; other errors
  // (kNotFound for an unknown group, kResourceExhausted over the node's stream caps,
  // kCancelled after Cancel()) come from Next().
  absl::StatusOr<WatchStream> Watch(std::string_view group_id, const WatchOptions& options = {});

  // --- Governance (governance.h, sdk/src/governance/): decisions (DESIGN §3) ------------------

  // Proposes a decision in a group. `proposal.decision_type` and `title` are required, and for
  // "admit" and "expel" their payload. kInvalidArgument: missing title, type or payload, a
  // deadline out of range, an unknown enum name or malformed hex (the last two before any RPC).
  // kFailedPrecondition: the charter does not allow this decision type. kPermissionDenied:
  // this node's org is not an active member. kNotFound: unknown group.
  absl::StatusOr<ProposalWrite> Propose(std::string_view group_id, const ProposalSpec& proposal,
                                        const WriteOptions& write = {});
  // Records this org's stance: "agree" | "abstain" | "disagree" | "block" (revisable until the
  // close: the latest counts). `reason` is required for disagree and block.
  // kPermissionDenied: not in the proposal's electorate. kFailedPrecondition: the proposal is
  // closed. kNotFound: unknown proposal. kInvalidArgument: an unknown stance or a missing
  // reason.
  absl::StatusOr<ProposalWrite> CastStance(std::string_view group_id, std::string_view proposal_id,
                                           std::string_view stance, std::string_view reason = "",
                                           const WriteOptions& write = {});
  // Closes a proposal early. kPermissionDenied: only its proposer may. kFailedPrecondition:
  // already closed.
  absl::StatusOr<ProposalWrite> CloseProposal(std::string_view group_id,
                                              std::string_view proposal_id,
                                              const WriteOptions& write = {});
  // The proposal as of `as_of_ms` (0 = now; decides `past_deadline`). kNotFound: unknown.
  absl::StatusOr<Proposal> GetProposal(std::string_view group_id, std::string_view proposal_id,
                                       uint64_t as_of_ms = 0);
  // The group's proposals in canonical order; with `open_only`, only those whose outcome is not
  // final yet.
  absl::StatusOr<std::vector<Proposal>> ListProposals(std::string_view group_id,
                                                      bool open_only = false,
                                                      uint64_t as_of_ms = 0);
  // One page of ListProposals (PageOptions).
  absl::StatusOr<Page<Proposal>> ListProposalsPage(std::string_view group_id, bool open_only,
                                                   uint64_t as_of_ms, const PageOptions& page);
  // What is waiting on whom: proposals that need this org's stance, and the others that are not
  // final yet with the members whose stances are missing. `group_id` empty = every group this
  // node's org is an active member of.
  absl::StatusOr<WaitingOnResult> WaitingOn(std::string_view group_id = "");

  // Membership (DESIGN §1, §4).

  // Joins a group this org was admitted to: this node fetches the group from `peer_endpoint`
  // (host:port of any member's node that holds it), then appends this org's membership
  // acceptance. `profile`: the name and endpoints to publish; empty = this node's org name and
  // endpoints (role, segment and weight are what the admission decided and are ignored).
  // Admin only. kFailedPrecondition: no final, passed admission of this org (the message says
  // what the proposal waits for). kUnavailable: the peer cannot be reached.
  // kPermissionDenied: the peer does not know of an admission of this org. kAlreadyExists:
  // already a member.
  absl::StatusOr<JoinResult> JoinGroup(std::string_view group_id, std::string_view peer_endpoint,
                                       const MemberProfile& profile = {},
                                       const WriteOptions& write = {});
  // Gives notice of withdrawal (always allowed: autonomy). `effective_ms` 0 = now + the
  // charter's withdrawal notice period; it may not be earlier than that.
  // kFailedPrecondition: notice already given, or not a member any more.
  absl::StatusOr<MembershipWrite> GiveNotice(std::string_view group_id, std::string_view reason,
                                             uint64_t effective_ms = 0,
                                             const WriteOptions& write = {});
  // Withdraws this org from the group now (always allowed). kFailedPrecondition: not a member
  // any more.
  absl::StatusOr<MembershipWrite> Withdraw(std::string_view group_id, std::string_view reason,
                                           const WriteOptions& write = {});
  // One member of the group (any status: active, under notice, withdrawn, expelled) with its
  // open obligations. kNotFound: the org was never a member.
  absl::StatusOr<Member> GetMember(std::string_view group_id, std::string_view org_key);

  // --- Fundraising (fundraising.h, sdk/src/fundraising/): campaigns, pledges ------------------

  absl::StatusOr<CampaignWrite> OpenCampaign(std::string_view group_id,
                                             const CampaignInput& campaign,
                                             const WriteOptions& write = {});
  absl::StatusOr<Campaign> GetCampaign(std::string_view group_id, std::string_view campaign_id);
  // The group's campaigns ordered by id (every page; ListCampaignsPage reads one).
  absl::StatusOr<std::vector<Campaign>> ListCampaigns(std::string_view group_id);
  absl::StatusOr<Page<Campaign>> ListCampaignsPage(std::string_view group_id,
                                                   const PageOptions& page);

  // Records a pledge by this node's org. See client.proto for the error codes.
  absl::StatusOr<PledgeWrite> RecordPledge(std::string_view group_id, std::string_view campaign_id,
                                           const PledgeTerms& terms,
                                           const WriteOptions& write = {});
  // Records a pledge whose installments the node expands from `schedule` (terms.installments
  // must be empty). kInvalidArgument for a bad schedule.
  absl::StatusOr<PledgeWrite> RecordPledge(std::string_view group_id, std::string_view campaign_id,
                                           const PledgeTerms& terms,
                                           const InstallmentSchedule& schedule,
                                           const WriteOptions& write = {});
  // Records a batch of pledges by this node's org (bulk ingest), in order, with one call and
  // one durable commit on the node; at most 500 pledges (the node's kPledgeBatchCountMax) and
  // 4 MiB per call. Returns one EventRef per pledge, in order (event_id is the pledge id).
  // kInvalidArgument, and nothing is recorded, for a bad batch or an item malformed in itself
  // (the message starts "pledges[i]: "). An error of an item against the group's state
  // (RecordPledge's: unknown campaign, a currency the campaign does not take, ...) names it
  // the same way and stops the batch there: the pledges before it are recorded. Calling again
  // with the same request_ids records each pledge once.
  absl::StatusOr<std::vector<EventRef>> RecordPledges(std::string_view group_id,
                                                      const std::vector<PledgeInput>& pledges);
  // A new version of this org's own pledge: exactly `terms` (terms not given are dropped).
  // kFailedPrecondition if cancelled or the amount is below what was received;
  // kPermissionDenied for another org's pledge.
  absl::StatusOr<PledgeWrite> AmendPledge(std::string_view group_id, std::string_view pledge_id,
                                          const PledgeTerms& terms, std::string_view reason,
                                          const WriteOptions& write = {});
  // A new version of this org's own pledge: the current terms with `patch` merged on by the
  // node (every term the patch does not set is kept). Errors as above, and kInvalidArgument
  // for a contradictory patch.
  absl::StatusOr<PledgeWrite> AmendPledge(std::string_view group_id, std::string_view pledge_id,
                                          const PledgeTermsPatch& patch, std::string_view reason,
                                          const WriteOptions& write = {});
  // Cancels this org's own pledge. kFailedPrecondition if already cancelled or completed.
  absl::StatusOr<PledgeWrite> CancelPledge(std::string_view group_id, std::string_view pledge_id,
                                           std::string_view reason, const WriteOptions& write = {});
  // Records money received against a pledge (the campaign's fiscal host only).
  // kFailedPrecondition if cancelled or the amount is above what is outstanding.
  absl::StatusOr<PledgeWrite> RecordPayment(std::string_view group_id, std::string_view pledge_id,
                                            const Money& amount, uint64_t received_ms,
                                            std::string_view external_ref,
                                            const WriteOptions& write = {});
  // Records money for a pledge as an unapplied receipt (to refund or re-allocate), e.g. for a
  // cancelled or lapsed pledge (the campaign's fiscal host only).
  absl::StatusOr<PledgeWrite> RecordUnappliedReceipt(std::string_view group_id,
                                                     std::string_view pledge_id,
                                                     const Money& amount, uint64_t received_ms,
                                                     std::string_view external_ref,
                                                     const WriteOptions& write = {});
  // Writes off part of a pledge (the campaign's fiscal host), executing the final, passed
  // WRITE_OFF proposal `proposal_id` with the same pledge, amount and reason code.
  // `effective_ms` 0 = now. kFailedPrecondition: not final or not passed; kPermissionDenied:
  // not the fiscal host; kAlreadyExists: the proposal is already executed.
  absl::StatusOr<PledgeWrite> RecordWriteOff(std::string_view group_id, std::string_view pledge_id,
                                             std::string_view proposal_id, const Money& amount,
                                             std::string_view reason_code, uint64_t effective_ms,
                                             const WriteOptions& write = {});
  // Records how a conditional pledge's condition ended: "met", "waived" (it binds) or
  // "released" (it lapses). kFailedPrecondition: no condition, or already resolved.
  absl::StatusOr<PledgeWrite> ResolveCondition(std::string_view group_id,
                                               std::string_view pledge_id,
                                               std::string_view outcome, std::string_view note,
                                               const WriteOptions& write = {});
  // The pledge with its status derived as of `as_of_ms` (0 = now).
  absl::StatusOr<Pledge> GetPledge(std::string_view group_id, std::string_view pledge_id,
                                   uint64_t as_of_ms = 0);
  // Pledges of the group (ordered by id), or of one campaign when `campaign_id` is not empty
  // (in canonical order), with their status as of `as_of_ms` (0 = now). Reads every page: for
  // a list too long to hold, walk it with ListPledgesPage.
  absl::StatusOr<std::vector<Pledge>> ListPledges(std::string_view group_id,
                                                  std::string_view campaign_id = "",
                                                  uint64_t as_of_ms = 0);
  // One page of ListPledges (PageOptions). kInvalidArgument for a bad page token.
  absl::StatusOr<Page<Pledge>> ListPledgesPage(std::string_view group_id,
                                               std::string_view campaign_id, uint64_t as_of_ms,
                                               const PageOptions& page);
  // Every version of one pledge (`pledge_id` set) or of every pledge of the group, optionally
  // of one campaign. kInvalidArgument for a malformed id; other errors come from Next().
  absl::StatusOr<PledgeHistoryStream> PledgeHistory(std::string_view group_id,
                                                    std::string_view pledge_id = "",
                                                    std::string_view campaign_id = "");

  // --- Pooled resources (pooled.h, sdk/src/pooled/): contributions, funds, drawdowns --------

  // Records a contribution by this node's org (cash, or in kind with its valuation), or a
  // reversing entry (`reverses` set). See client.proto PooledService for the error codes.
  absl::StatusOr<ContributionWrite> RecordContribution(std::string_view group_id,
                                                       const ContributionInput& contribution,
                                                       const WriteOptions& write = {});
  // Corrects this org's contribution by a reversing entry (the same kind, value and fund,
  // counted negative). Record the corrected entry with RecordContribution.
  // kPermissionDenied: another org's entry. kAlreadyExists: already reversed.
  // kFailedPrecondition: its cash was receipted into a fund.
  absl::StatusOr<ContributionWrite> ReverseContribution(std::string_view group_id,
                                                        std::string_view contribution_id,
                                                        const WriteOptions& write = {});
  absl::StatusOr<Contribution> GetContribution(std::string_view group_id,
                                               std::string_view contribution_id);
  // The ledger in canonical order, the contributions and the totals per member and currency;
  // of one member and/or one fund when given.
  absl::StatusOr<PooledLedger> ListContributions(std::string_view group_id,
                                                 std::string_view member = "",
                                                 std::string_view fund_id = "");
  // Records the fund a final, passed CREATE_FUND proposal decided (its fiscal host only).
  // kFailedPrecondition: not final or not passed. kAlreadyExists: already created.
  absl::StatusOr<FundWrite> CreateFund(std::string_view group_id, std::string_view proposal_id,
                                       const WriteOptions& write = {});
  absl::StatusOr<Fund> GetFund(std::string_view group_id, std::string_view fund_id);
  // The group's funds ordered by id (every page; ListFundsPage reads one).
  absl::StatusOr<std::vector<Fund>> ListFunds(std::string_view group_id);
  absl::StatusOr<Page<Fund>> ListFundsPage(std::string_view group_id, const PageOptions& page);
  // Confirms a contribution's cash arrived in the fund (the fund's fiscal host only).
  absl::StatusOr<ContributionWrite> RecordReceipt(std::string_view group_id,
                                                  std::string_view contribution_id,
                                                  const Money& amount, uint64_t received_ms,
                                                  std::string_view external_ref,
                                                  const WriteOptions& write = {});
  // Records the disbursement of a final, passed drawdown (the fund's fiscal host only).
  // kFailedPrecondition: not final or passed, balance too low, refused by the queue.
  absl::StatusOr<DrawdownWrite> Disburse(std::string_view group_id, std::string_view proposal_id,
                                         const Money& amount, std::string_view external_ref,
                                         uint64_t paid_ms = 0, const WriteOptions& write = {});
  // Drawdowns (ALLOCATE_FUNDS proposals) with their status, of one fund when given.
  // In canonical order of their proposals; every page (ListDrawdownsPage reads one).
  absl::StatusOr<std::vector<Drawdown>> ListDrawdowns(std::string_view group_id,
                                                      std::string_view fund_id = "");
  absl::StatusOr<Page<Drawdown>> ListDrawdownsPage(std::string_view group_id,
                                                   std::string_view fund_id,
                                                   const PageOptions& page);
  absl::StatusOr<BenefitShares> GetShares(std::string_view group_id);

  // --- Convenings (convenings.h, sdk/src/convenings/): meetings, minutes, action items -----

  // Schedules a convening called by this node's org. See client.proto ConveningService for the
  // error codes (kNotFound: an agenda proposal the group lacks; kFailedPrecondition: an invitee
  // who is not a member).
  absl::StatusOr<ConveningWrite> ScheduleConvening(std::string_view group_id,
                                                   const ConveningInput& convening,
                                                   const WriteOptions& write = {});
  // Records that this node's org attended. kPermissionDenied: not invited. kAlreadyExists.
  absl::StatusOr<ConveningWrite> RecordAttendance(std::string_view group_id,
                                                  std::string_view convening_id,
                                                  const WriteOptions& write = {});
  // Records the minutes (the convener only); a later call replaces the text shown.
  absl::StatusOr<ConveningWrite> RecordMinutes(std::string_view group_id,
                                               std::string_view convening_id, std::string_view text,
                                               const WriteOptions& write = {});
  // Adds an action item (the convener or an attendee). kFailedPrecondition: the owner is not a
  // member.
  absl::StatusOr<ActionItemWrite> AddActionItem(std::string_view group_id,
                                                std::string_view convening_id,
                                                const ActionItemInput& item,
                                                const WriteOptions& write = {});
  // Marks an action item done (its owner or the convener). kAlreadyExists: already done.
  absl::StatusOr<ActionItemWrite> CompleteActionItem(std::string_view group_id,
                                                     std::string_view action_id,
                                                     std::string_view note = "",
                                                     const WriteOptions& write = {});
  absl::StatusOr<Convening> GetConvening(std::string_view group_id, std::string_view convening_id);
  // The group's convenings by scheduled time (every page; ListConveningsPage reads one).
  absl::StatusOr<std::vector<Convening>> ListConvenings(std::string_view group_id);
  absl::StatusOr<Page<Convening>> ListConveningsPage(std::string_view group_id,
                                                     const PageOptions& page);
  // Action items of every convening by due date, of one owner when given, only those not done
  // when `not_done` (every page).
  absl::StatusOr<std::vector<ActionItem>> ListActionItems(std::string_view group_id,
                                                          std::string_view owner = "",
                                                          bool not_done = false);

  // --- Action teams (teams.h, sdk/src/teams/): sub-groups around one opportunity ----------

  // Forms an action team led (among others) by this node's org. See client.proto TeamService
  // for the error codes (kFailedPrecondition: an org that is not a member; kNotFound: a goal
  // key no strategy version has; kPermissionDenied: this org is not one of the leads).
  absl::StatusOr<TeamWrite> CreateTeam(std::string_view group_id, const TeamInput& team,
                                       const WriteOptions& write = {});
  // Writes a new version of a team, whole (a lead of the version in force). kFailedPrecondition:
  // the team is closed or the status cannot move so (active -> proposed).
  absl::StatusOr<TeamWrite> UpdateTeam(std::string_view group_id, std::string_view team_id,
                                       const TeamInput& team, const WriteOptions& write = {});
  absl::StatusOr<Team> GetTeam(std::string_view group_id, std::string_view team_id);
  // Proposes that the team decide who leads it (a TEAM_LEADS proposal, docs/PROTOCOL.md
  // §5.17.1): reads the team, names its orgs as they are now (TeamLeadsPayload::team_orgs)
  // and proposes `proposal` (its title, text and deadline; the type and payload are set here)
  // with `leads`, orgs of the team. Only the team's orgs vote. kPermissionDenied: this org is
  // not in the team; kFailedPrecondition: a lead not in the team, the team closed, or the team
  // changed between the read and the write (call again); kNotFound: unknown team.
  absl::StatusOr<ProposalWrite> ProposeTeamLeads(std::string_view group_id,
                                                 std::string_view team_id,
                                                 std::vector<std::string> leads,
                                                 ProposalSpec proposal,
                                                 const WriteOptions& write = {});
  // The group's teams by id, only those naming `member` when given (every page;
  // ListTeamsPage reads one).
  absl::StatusOr<std::vector<Team>> ListTeams(std::string_view group_id,
                                              std::string_view member = "");
  absl::StatusOr<Page<Team>> ListTeamsPage(std::string_view group_id, std::string_view member,
                                           const PageOptions& page);

  // --- Partnership health (health.h, sdk/src/health/): pulse checks, the health view -------

  // Records this node's org's pulse check: alignment 1 (not at all) .. 5 (fully), with an
  // optional candid comment. kInvalidArgument outside 1..5; kPermissionDenied: not a member.
  absl::StatusOr<PulseWrite> RecordPulse(std::string_view group_id, uint32_t alignment,
                                         std::string_view comment = "",
                                         const WriteOptions& write = {});
  // Pulse checks in canonical order, of one member when given (every page).
  absl::StatusOr<std::vector<Pulse>> ListPulses(std::string_view group_id,
                                                std::string_view member = "");
  // The partnership at a glance as of `as_of_ms` (0 = now): the charter's review, each
  // member's last activity and what it owes, the pulses and their trend.
  absl::StatusOr<GroupHealth> GetHealth(std::string_view group_id, uint64_t as_of_ms = 0);

  // --- Shared strategy (strategy.h, sdk/src/strategy/): versions, adoptions ---------------

  // Records a version drafted by this node's org. kInvalidArgument: a bad document, title,
  // goal or indicator (the message names the field); kNotFound: an unknown based_on;
  // kFailedPrecondition: based_on of another document, an indicator owner not a member. The
  // version becomes current by an ADOPT_STRATEGY proposal (Propose) that is final and passed.
  absl::StatusOr<StrategyWrite> DraftStrategy(std::string_view group_id, const StrategyDraft& draft,
                                              const WriteOptions& write = {});
  absl::StatusOr<StrategyVersion> GetStrategyVersion(std::string_view group_id,
                                                     std::string_view version_id);
  // Versions in canonical order, of one document when given ("" = all) (every page).
  absl::StatusOr<std::vector<StrategyVersion>> ListStrategyVersions(std::string_view group_id,
                                                                    std::string_view document = "");
  // The current version of every document that has one, by document.
  absl::StatusOr<std::vector<StrategyVersion>> GetCurrentStrategy(std::string_view group_id);
  // The adoptions in effect in their proposals' canonical order, of one document when given
  // (every page): how the strategy changed.
  absl::StatusOr<std::vector<StrategyAdoption>> ListStrategyAdoptions(
      std::string_view group_id, std::string_view document = "");

  // --- Shared measurement (measurement.h, sdk/src/measurement/): reports, series -----------

  // Records this node's org's value of an indicator for a period. kInvalidArgument: a period
  // not of the indicator's frequency; kNotFound: an unknown version or indicator;
  // kFailedPrecondition: a report of that period exists (set `revises` to it);
  // kAlreadyExists: `revises` names a report already revised.
  absl::StatusOr<IndicatorReportWrite> ReportIndicator(std::string_view group_id,
                                                       const IndicatorReportInput& report,
                                                       const WriteOptions& write = {});
  absl::StatusOr<IndicatorReport> GetIndicatorReport(std::string_view group_id,
                                                     std::string_view report_id);
  // Reports in canonical order, filtered when the arguments are not empty (every page).
  absl::StatusOr<std::vector<IndicatorReport>> ListIndicatorReports(
      std::string_view group_id, std::string_view version_id = "",
      std::string_view indicator_key = "", std::string_view member = "");
  // Every indicator's series of one version ("" = every current version).
  absl::StatusOr<Measurement> GetMeasurement(std::string_view group_id,
                                             std::string_view version_id = "");

 private:
  explicit Client(std::shared_ptr<internal::ClientCore> core);
  std::shared_ptr<internal::ClientCore> core_;
};

}  // namespace constellation
