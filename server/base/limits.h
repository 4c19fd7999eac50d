// server/base/limits.h
//
// Every named limit of the product, in one place (STYLE.md: limits on everything). Exceeding
// one is kInvalidArgument (a request that can never succeed) or kResourceExhausted (a capacity
// that may free up), and the message names the limit and its value.
#pragma once

#include <cstddef>
#include <cstdint>

namespace constellation::limits {

// Event format (DESIGN §2).
inline constexpr uint32_t kEventFormatVersion = 1;
inline constexpr size_t kEventSizeBytesMax = 64 * 1024;
inline constexpr size_t kSignedEventSizeBytesMax = kEventSizeBytesMax + 256;
inline constexpr size_t kEventDepsCountMax = 256;
inline constexpr size_t kKeySizeBytes = 32;
inline constexpr size_t kIdSizeBytes = 32;
inline constexpr size_t kSignatureSizeBytes = 64;
inline constexpr uint64_t kEventSeqMax = uint64_t{1} << 48;

// Strings inside records.
inline constexpr size_t kNameSizeBytesMax = 200;
inline constexpr size_t kTextSizeBytesMax = 16 * 1024;
inline constexpr size_t kShortTextSizeBytesMax = 1024;
inline constexpr size_t kRequestIdSizeBytesMax = 128;
inline constexpr size_t kEndpointCountMax = 8;
inline constexpr size_t kDecisionRuleCountMax = 16;
inline constexpr size_t kInstallmentCountMax = 240;
// Currencies a campaign accepts besides its goal's (docs/PROTOCOL.md §5.10.1).
inline constexpr size_t kAcceptedCurrencyCountMax = 16;
inline constexpr size_t kListFieldCountMax = 256;

// Money: minor units. 10^15 minor units is ten trillion in a two-decimal currency; any sum of
// up to kInstallmentCountMax such amounts still fits int64.
inline constexpr int64_t kMoneyAmountMinorMax = 1'000'000'000'000'000;

// Pooled resources (docs/PROTOCOL.md §5.10): a contribution's quantity in thousandths of its
// unit (a billion units), and an exchange rate in millionths (a rate of a billion). Their
// products with an amount stay within 128 bits (the valuation and FX formulas).
inline constexpr int64_t kQuantityMilliMax = 1'000'000'000'000;
inline constexpr int64_t kFxRateMicrosMax = 1'000'000'000'000'000;

// Hybrid logical clock.
inline constexpr uint32_t kHlcLogicalMax = 0xFFFF'FFF0;
// 9999-12-31T23:59:59.999Z. An event stamped later is invalid, so no clock can be pushed to
// the end of uint64 (where a tick would wrap to zero).
inline constexpr uint64_t kHlcWallMsMax = 253'402'300'799'999;

// RPC edge.
inline constexpr size_t kRpcMessageSizeBytesMax = 4 * 1024 * 1024;
inline constexpr size_t kApplyQueueDepthMax = 10'000;
inline constexpr size_t kApplyBatchSizeMax = 256;
// Items a server stream reads from the apply loop at a time.
inline constexpr size_t kStreamPageSizeMax = 256;
inline constexpr size_t kTokenCountMax = 10'000;
inline constexpr size_t kGroupCountMax = 10'000;
inline constexpr uint64_t kRpcDeadlineMsDefault = 10'000;
// Pledges in one batch write (RecordPledges): the batch is one task of the apply loop, which
// appends its items one after another, so this bounds how long one call holds the loop.
inline constexpr size_t kPledgeBatchCountMax = 500;

// Concurrent calls (server/rpc/call_limits.h; docs/PROTOCOL.md §6.1). A call over a cap is refused
// at once with kResourceExhausted naming the cap; the count is released when the call ends however
// it ends (finished, failed, cancelled, client gone). Streams are counted apart from unary calls
// because a stream can be held open by a client that does not read: each one holds at most a
// byte-bounded page (kStreamPageSizeBytesMax) plus gRPC's per-stream buffers, measured at ~125 KiB
// resident each (docs/RELIABILITY.md "Concurrent calls and memory"), so the node cap bounds what
// unread streams can pin to ~64 MiB. A token (or, for federation, a peer org) gets an eighth of the
// node's streams, enough for a dashboard or a CLI script running histories in parallel, while eight
// tokens are needed to fill the node. Unary calls are short (they queue on the apply loop,
// kApplyQueueDepthMax) except those that wait on other nodes (SyncGroup, admissions); the per-token
// cap keeps one token from filling the loop's queue by itself.
inline constexpr size_t kStreamsPerNodeMax = 512;
inline constexpr size_t kStreamsPerTokenMax = 64;
inline constexpr size_t kInFlightRequestsPerNodeMax = 4'096;
inline constexpr size_t kInFlightRequestsPerTokenMax = 512;
// Bytes of items a server stream reads from the apply loop at a time (besides
// kStreamPageSizeMax items); a page holds at least one item, whatever its size.
inline constexpr size_t kStreamPageSizeBytesMax = 64 * 1024;

// Federation calls (federation_auth.h): accepted timestamps are within this of the receiver's
// clock, and each (caller, nonce) is accepted once within the window.
inline constexpr uint64_t kFederationClockSkewMsMax = 5 * 60 * 1000;
inline constexpr size_t kFederationNonceCountMax = 100'000;
// Events one PullEvents answer or one PushEvents request carries (<= 64 KiB each).
inline constexpr size_t kFederationPullEventsMax = 48;
// Replication jobs (pushes, gossip, forced rounds) queued for the replication worker; pushes
// beyond it are dropped (the next anti-entropy round carries their events).
inline constexpr size_t kReplicationQueueDepthMax = 4'096;

// Peer connections that stop answering (s6-netfault: a black-holed or corrupted connection,
// a NAT that forgot it, a peer host gone without a reset). While a peer call is open, the
// peer client pings every kPeerKeepaliveTimeMs and closes the connection when a ping is not
// answered within kPeerKeepaliveTimeoutMs, so the next call reconnects instead of timing out
// on the dead connection again and again. A node accepts pings this often.
inline constexpr int kPeerKeepaliveTimeMs = 5'000;
inline constexpr int kPeerKeepaliveTimeoutMs = 5'000;
inline constexpr int kPingIntervalMsMin = 4'000;

// Replication (DESIGN §4, docs/PROTOCOL.md §8).
// Events a node keeps per group in `pending` (waiting for their parents, or held because their
// hlc is ahead of this node's clock), and their total size (signed bytes). When either is
// exceeded the event with the highest (seq, id) is evicted: anti-entropy brings it again.
inline constexpr size_t kPendingEventsPerGroupMax = 4'096;
inline constexpr size_t kPendingBytesPerGroupMax = 16 * 1024 * 1024;
// An event whose hlc.wall_ms is more than this ahead of the receiver's clock is held in
// pending until the clock catches up (DESIGN §2: held, never rejected).
inline constexpr uint64_t kClockSkewMsMax = 5 * 60 * 1000;
// Events one sync diff (PullEvents) returns at most, whatever the caller asks for.
inline constexpr size_t kSyncPullEventsMax = 4'096;
// Chain heads a frontier may carry (one per author of the group).
inline constexpr size_t kFrontierHeadsCountMax = 10'000;
// When a peer's head is not on this node's chain of that author (a fork), a diff sends up to
// this many of this node's events of that author ending at the peer's head seq, so the peer
// can find the first differing event and build the ForkProof itself.
inline constexpr size_t kSyncForkProbeEventsMax = 16;

// Fold checkpoints (DESIGN §3: a late event replays from the nearest checkpoint below it). A
// group keeps at most kFoldCheckpointCountMax copies of its folded state, taken every
// max(kFoldCheckpointIntervalEventsMin, events / kFoldCheckpointIntervalDivisor) events, so
// copying costs O(1) amortized per event and memory at most that many states.
inline constexpr size_t kFoldCheckpointIntervalEventsMin = 1'024;
inline constexpr size_t kFoldCheckpointIntervalDivisor = 64;
inline constexpr size_t kFoldCheckpointCountMax = 2;

// Decisions and membership (DESIGN §1, docs/PROTOCOL.md §5).
inline constexpr size_t kProposalTitleSizeBytesMax = 200;
inline constexpr size_t kStanceReasonSizeBytesMax = 4 * 1024;
// The longest voting window: a charter rule's voting_window_ms and a proposal's deadline_ms
// (measured from the proposal's hlc) are at most this.
inline constexpr uint64_t kVotingWindowMsMax = uint64_t{366} * 24 * 60 * 60 * 1000;
// A member's voting weight (MemberProfile.voting_weight, AdmitPayload.voting_weight).
inline constexpr uint32_t kVotingWeightMax = 1'000'000;

// Partnership health (docs/PROTOCOL.md §5.14): how many days a member may go without a record
// before the health view flags it silent, when the charter sets none, and the most a charter
// may set (ten years).
inline constexpr uint32_t kReviewCadenceDaysDefault = 30;
inline constexpr uint32_t kReviewCadenceDaysMax = 3'660;

// Shared strategy (docs/PROTOCOL.md §5.15): the text of one strategy version; the whole event
// stays within kEventSizeBytesMax.
inline constexpr size_t kStrategyContentSizeBytesMax = 48 * 1024;

// Paged list RPCs (client.proto "Paged lists", docs/PROTOCOL.md): items per page when the
// request gives no page_size, and at most; a page also ends once its views reach
// kListPageBytesMax (the item that crosses it is the page's last), so an answer is at most
// kListPageBytesMax plus one view. The largest view a list carries is bounded by
// kListViewSizeBytesMax: a pledge's (one event of at most kEventSizeBytesMax with its derived
// installment lines) or a proposal's (its electorate, one voter per member).
inline constexpr size_t kListPageSizeDefault = 100;
inline constexpr size_t kListPageSizeMax = 1'000;
inline constexpr size_t kListPageBytesMax = 2 * 1024 * 1024;
inline constexpr size_t kListViewSizeBytesMax = 1024 * 1024;
static_assert(kListPageSizeDefault <= kListPageSizeMax);
static_assert(kListViewSizeBytesMax >= 4 * kEventSizeBytesMax);
static_assert(kListPageBytesMax + kListViewSizeBytesMax + 1024 <= kRpcMessageSizeBytesMax);

// Relations between limits that the comments above state in words (TigerBeetle style: the
// build fails when a change breaks one).
// A signed event is the event plus the signature and protobuf framing.
static_assert(kSignedEventSizeBytesMax >= kEventSizeBytesMax + kSignatureSizeBytes + 16);
// The largest event fits one RPC message, and so does a full pull answer.
static_assert(kSignedEventSizeBytesMax <= kRpcMessageSizeBytesMax);
static_assert(kFederationPullEventsMax * kSignedEventSizeBytesMax <= kRpcMessageSizeBytesMax);
// Strings inside an event fit the event.
static_assert(kTextSizeBytesMax < kEventSizeBytesMax && kShortTextSizeBytesMax < kTextSizeBytesMax);
static_assert(kNameSizeBytesMax <= kShortTextSizeBytesMax);
static_assert(kStanceReasonSizeBytesMax < kEventSizeBytesMax);
static_assert(kStrategyContentSizeBytesMax < kEventSizeBytesMax);
// Any sum of kInstallmentCountMax amounts fits int64 (the installment sum is checked exactly).
static_assert(kMoneyAmountMinorMax <= INT64_MAX / static_cast<int64_t>(kInstallmentCountMax));
// The valuation (quantity x rate) and FX (amount x rate x 10^exponent) products fit 128 bits.
static_assert(static_cast<double>(kMoneyAmountMinorMax) * kFxRateMicrosMax * 1e4 < 1.7e38);
static_assert(static_cast<double>(kQuantityMilliMax) * kMoneyAmountMinorMax < 1.7e38);
// Voting weights summed over every member of a group stay far from uint64 overflow, and their
// products with basis points (tally thresholds) stay within 128 bits.
static_assert(uint64_t{kVotingWeightMax} * kFrontierHeadsCountMax * 10'000 < UINT64_MAX);
// A batch fits the queue; a stream page fits a pull answer's worth of work.
static_assert(kApplyBatchSizeMax <= kApplyQueueDepthMax);
static_assert(kFederationPullEventsMax <= kSyncPullEventsMax);
// A caller's cap is below the node's, and no token alone can fill the apply queue.
static_assert(kStreamsPerTokenMax < kStreamsPerNodeMax);
static_assert(kInFlightRequestsPerTokenMax < kInFlightRequestsPerNodeMax);
static_assert(kInFlightRequestsPerTokenMax < kApplyQueueDepthMax);
// A voting window fits the clock: the latest deadline is still a valid hlc.
static_assert(kVotingWindowMsMax < kHlcWallMsMax);
// The pending buffer holds at least one maximal pull answer.
static_assert(kPendingEventsPerGroupMax >= kSyncPullEventsMax);
static_assert(kPendingBytesPerGroupMax >= kFederationPullEventsMax * kSignedEventSizeBytesMax);
// A clock this far ahead is held, and federation timestamps get the same tolerance.
static_assert(kClockSkewMsMax == kFederationClockSkewMsMax);

}  // namespace constellation::limits
