#!/usr/bin/env python3
"""A Constellation client in Python, generated from proto/ alone (issue 12 item 7).

It founds a group, opens a campaign, records a pledge and amends it, records a payment, reads
the group's signed history (StreamEvents) and a short watch (WatchEvents), and prints the
campaign's totals. Everything it needs to know is in the .proto comments; README.md says how
to generate the code.

usage: pledge_client.py GENERATED_DIR ENDPOINT TOKEN
  GENERATED_DIR  where protoc wrote constellation/v1/*_pb2*.py
  ENDPOINT       host:port of a node (plaintext)
  TOKEN          an admin token (constellationd init prints the first one)
"""
import sys
import time
import uuid


def main():
    generated, endpoint, token = sys.argv[1:4]
    sys.path.insert(0, generated)
    import grpc
    from constellation.v1 import client_pb2 as api
    from constellation.v1 import client_pb2_grpc as rpc
    from constellation.v1 import event_pb2 as ev

    # client.proto header: every call carries `authorization: Bearer <token>`.
    auth = (("authorization", "Bearer " + token),)
    channel = grpc.insecure_channel(endpoint)
    groups = rpc.GroupServiceStub(channel)
    funds = rpc.FundraisingServiceStub(channel)

    def request_id():
        # client.proto header: 1..128 printable ASCII characters, unique per intended write;
        # a retry of the same write reuses it.
        return uuid.uuid4().hex

    # A group whose charter lets a member open a campaign alone (OPEN_CAMPAIGN,
    # member_acts_alone). Ids on the wire are raw 32-byte values; people see them as hex.
    charter = ev.Charter(
        name="River Basin Partnership", base_currency="EUR",
        decision_rules=[ev.DecisionRule(decision_type=ev.DECISION_TYPE_OPEN_CAMPAIGN,
                                        process=ev.DECISION_PROCESS_CONSENT,
                                        member_acts_alone=True)])
    created = groups.CreateGroup(
        api.CreateGroupRequest(request_id=request_id(), charter=charter), metadata=auth)
    group_id = created.group.group_id
    print("group", group_id.hex())

    # Money is an integer of minor units (cents for EUR) with its ISO-4217 code.
    campaign = funds.OpenCampaign(api.OpenCampaignRequest(
        request_id=request_id(), group_id=group_id,
        campaign=ev.Campaign(name="Clean water", goal=ev.Money(amount_minor=5_000_000,
                                                                currency="EUR"),
                             deadline_ms=1_830_297_600_000)),  # 2028-01-01
        metadata=auth).campaign
    campaign_id = campaign.campaign_id

    pledge_write = request_id()
    pledge = funds.RecordPledge(api.RecordPledgeRequest(
        request_id=pledge_write, group_id=group_id, campaign_id=campaign_id,
        terms=ev.PledgeTerms(amount=ev.Money(amount_minor=120_000, currency="EUR"))),
        metadata=auth)
    # Retrying a write with the same request_id returns the first event, never a second one.
    again = funds.RecordPledge(api.RecordPledgeRequest(
        request_id=pledge_write, group_id=group_id, campaign_id=campaign_id,
        terms=ev.PledgeTerms(amount=ev.Money(amount_minor=120_000, currency="EUR"))),
        metadata=auth)
    assert again.event.event_id == pledge.event.event_id, "a retried write wrote twice"
    pledge_id = pledge.pledge.pledge_id
    print("pledge", pledge_id.hex(), "amount_minor", pledge.pledge.terms.amount.amount_minor)

    # Amend with a patch: only the amount changes; the node keeps every other term.
    amended = funds.AmendPledge(api.AmendPledgeRequest(
        request_id=request_id(), group_id=group_id, pledge_id=pledge_id,
        patch=api.PledgeTermsPatch(amount=ev.Money(amount_minor=150_000, currency="EUR")),
        reason="board approved more"), metadata=auth)
    print("amended to", amended.pledge.terms.amount.amount_minor,
          "version", amended.pledge.version)

    # A payment is dated when it was received: never in the future.
    funds.RecordPayment(api.RecordPaymentRequest(
        request_id=request_id(), group_id=group_id, pledge_id=pledge_id,
        amount=ev.Money(amount_minor=50_000, currency="EUR"),
        received_ms=int(time.time() * 1000) - 60_000, external_ref="bank-2027-001"),
        metadata=auth)

    # The signed history in canonical order; each event is the exact bytes its author signed.
    kinds = []
    for item in groups.StreamEvents(api.StreamEventsRequest(group_id=group_id), metadata=auth):
        event = ev.Event.FromString(item.signed_event.event)
        kinds.append(event.WhichOneof("body"))
        print("event", item.position, item.event_id.hex()[:12], "seq", event.seq,
              event.WhichOneof("body"))

    # A watch from the genesis: the same events (then it would wait for new ones; a deadline
    # ends it here). Keep the highest seq per author to resume after a disconnect.
    revision = {}
    watched = 0
    try:
        for item in groups.WatchEvents(api.WatchEventsRequest(group_id=group_id),
                                       metadata=auth, timeout=3):
            revision[item.author] = item.seq
            watched += 1
            if watched == len(kinds):
                break
    except grpc.RpcError as error:
        if error.code() != grpc.StatusCode.DEADLINE_EXCEEDED:
            raise
    print("watched", watched, "resume at",
          ",".join("%s:%d" % (a.hex(), s) for a, s in sorted(revision.items())))

    view = funds.GetCampaign(api.GetCampaignRequest(group_id=group_id, campaign_id=campaign_id),
                             metadata=auth)
    print("totals pledged_minor", view.pledged_minor, "received_minor", view.received_minor,
          "outstanding_minor", view.outstanding_minor)
    expected = (150_000, 50_000, 100_000)
    got = (view.pledged_minor, view.received_minor, view.outstanding_minor)
    if got != expected or kinds != ["charter", "campaign", "pledge", "pledge_amendment",
                                    "payment_receipt"] or watched != len(kinds):
        print("unexpected:", got, kinds, watched, file=sys.stderr)
        return 1
    print("ok")
    return 0


if __name__ == "__main__":
    sys.exit(main())
