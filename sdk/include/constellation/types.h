// sdk/include/constellation/types.h
//
// Every plain value type of the client API: what a node returns (views) and what a caller sends
// (inputs). One header per record domain holds them; this umbrella includes them all, so that
// `#include <constellation/types.h>` keeps giving every type. The types mirror
// proto/constellation/v1/client.proto and event.proto without exposing generated types, so that
// member organisations can build against the SDK with std and abseil only. Conventions:
// - Ids and keys (group, campaign, pledge and event ids, org keys, hashes) are 64 lowercase hex
//   characters; an empty string means "not set".
// - Enums are lowercase strings named after the proto value without its prefix:
//   GROUP_KIND_PARTNERSHIP -> "partnership", PLEDGE_STATUS_IN_PROGRESS -> "in_progress";
//   "" means unspecified.
// - Money is int64 minor units plus an ISO-4217 code (see money.h); times are milliseconds
//   since the Unix epoch (UTC), named *_ms, 0 meaning "not set".
// Adding a domain: one header here (sdk/include/constellation/<domain>.h), included below.
// Thread safety: plain values.
#pragma once

#include <constellation/common.h>       // Money, Hlc, EventRef
#include <constellation/convenings.h>   // convenings, attendance, minutes, action items
#include <constellation/fundraising.h>  // campaigns, pledges, payments, pledge history
#include <constellation/governance.h>   // proposals, stances, membership writes, join
#include <constellation/group.h>        // charter, members, group, group events
#include <constellation/health.h>       // pulse checks, the health view
#include <constellation/measurement.h>  // indicator reports, series
#include <constellation/node.h>         // node info, tokens, peers, sync
#include <constellation/org_card.h>     // OrgCard and its JSON text form
#include <constellation/pooled.h>       // contributions, funds, drawdowns, shares
#include <constellation/strategy.h>     // strategy versions, adoptions, DiffStrategy
#include <constellation/teams.h>        // action teams
