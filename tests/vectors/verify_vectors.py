#!/usr/bin/env python3
"""Independent check of the protocol test vectors (tests/vectors/README.md).

Written from docs/PROTOCOL.md and proto/constellation/v1/event.proto alone, without reading the
C++ implementation, using only the Python standard library. For every vector document in the
directory given as the only argument it:

  * recomputes each event id: SHA-256 of the exact `event` bytes (§1, §2);
  * verifies each signature: pure Ed25519 (RFC 8032) by the event's author over
    "constellation/v1/event\\0" || id (§2);
  * replays the events in the file's order as one node receiving them: an event at an
    (author, seq) already held, whose prev is the held event seq - 1 (or seq = 1), is a fork
    (§3.1); the author is frozen from the lowest such seq;
  * at every point: recomputes depth and the canonical order (§4), the frozen authors, the
    number of folded events, the fold hash from the point's derived state with the encoding of
    §4.1, §5.8, §5.10 and §5.12, and the group state hash with the fork wrapper (§4.1);
  * checks that the totals and statuses a point states agree with its derived state.

Exit status 0 when every vector checks out, 1 otherwise (every failure is printed).
"""

import hashlib
import json
import os
import struct
import sys

# ---------------------------------------------------------------------------------------------
# Ed25519 verification (RFC 8032 §5.1.7, cofactorless equation [S]B = R + [k]A)

_P = 2**255 - 19
_Q = 2**252 + 27742317777372353535851937790883648493
_D = -121665 * pow(121666, _P - 2, _P) % _P
_SQRT_M1 = pow(2, (_P - 1) // 4, _P)


def _recover_x(y, sign):
    if y >= _P:
        return None
    x2 = (y * y - 1) * pow(_D * y * y + 1, _P - 2, _P) % _P
    if x2 == 0:
        return None if sign else 0
    x = pow(x2, (_P + 3) // 8, _P)
    if (x * x - x2) % _P != 0:
        x = x * _SQRT_M1 % _P
    if (x * x - x2) % _P != 0:
        return None
    if (x & 1) != sign:
        x = _P - x
    return x


def _add(a, b):
    x1, y1, z1, t1 = a
    x2, y2, z2, t2 = b
    aa = (y1 - x1) * (y2 - x2) % _P
    bb = (y1 + x1) * (y2 + x2) % _P
    cc = t1 * 2 * _D * t2 % _P
    dd = z1 * 2 * z2 % _P
    e, f, g, h = bb - aa, dd - cc, dd + cc, bb + aa
    return (e * f % _P, g * h % _P, f * g % _P, e * h % _P)


def _mul(s, point):
    result = (0, 1, 1, 0)
    while s > 0:
        if s & 1:
            result = _add(result, point)
        point = _add(point, point)
        s >>= 1
    return result


def _equal(a, b):
    return (a[0] * b[2] - b[0] * a[2]) % _P == 0 and (a[1] * b[2] - b[1] * a[2]) % _P == 0


def _decompress(raw):
    if len(raw) != 32:
        return None
    y = int.from_bytes(raw, "little")
    sign = y >> 255
    y &= (1 << 255) - 1
    x = _recover_x(y, sign)
    if x is None:
        return None
    return (x, y, 1, x * y % _P)


_GY = 4 * pow(5, _P - 2, _P) % _P
_G = (_recover_x(_GY, 0), _GY, 1, _recover_x(_GY, 0) * _GY % _P)


def ed25519_verify(public, message, signature):
    if len(signature) != 64:
        return False
    a = _decompress(public)
    r = _decompress(signature[:32])
    if a is None or r is None:
        return False
    s = int.from_bytes(signature[32:], "little")
    if s >= _Q:
        return False
    k = int.from_bytes(hashlib.sha512(signature[:32] + public + message).digest(), "little") % _Q
    return _equal(_mul(s, _G), _add(r, _mul(k, a)))


# ---------------------------------------------------------------------------------------------
# The fields of constellation.v1.Event the chain rules read (protobuf wire format)


def _varint(data, i):
    value, shift = 0, 0
    while True:
        b = data[i]
        i += 1
        value |= (b & 0x7F) << shift
        if not b & 0x80:
            return value, i
        shift += 7


def _fields(data):
    """Yields (field number, wire type, value) of a serialized message."""
    i = 0
    while i < len(data):
        key, i = _varint(data, i)
        number, wire = key >> 3, key & 7
        if wire == 0:
            value, i = _varint(data, i)
        elif wire == 2:
            size, i = _varint(data, i)
            value, i = data[i:i + size], i + size
        elif wire == 1:
            value, i = data[i:i + 8], i + 8
        elif wire == 5:
            value, i = data[i:i + 4], i + 4
        else:
            raise ValueError("unsupported wire type %d" % wire)
        yield number, wire, value


def parse_event(data):
    event = {"group_id": b"", "author": b"", "seq": 0, "prev": b"", "deps": [], "hlc": (0, 0),
             "body": None}
    for number, _, value in _fields(data):
        if number == 2:
            event["group_id"] = value
        elif number == 3:
            event["author"] = value
        elif number == 4:
            event["seq"] = value
        elif number == 5:
            event["prev"] = value
        elif number == 6:
            event["deps"].append(value)
        elif number == 7:
            wall, logical = 0, 0
            for n, _, v in _fields(value):
                if n == 1:
                    wall = v
                elif n == 2:
                    logical = v
            event["hlc"] = (wall, logical)
        elif number >= 20:
            event["body"] = number
    return event


# ---------------------------------------------------------------------------------------------
# The state-hash encoding (docs/PROTOCOL.md §4.1)


class Encoder:
    def __init__(self):
        self.out = bytearray()

    def u64(self, v):
        if not 0 <= v < 2**64:
            raise ValueError("u64 out of range: %r" % v)
        self.out += struct.pack(">Q", v)

    def i64(self, v):
        if not -2**63 <= v < 2**63:
            raise ValueError("i64 out of range: %r" % v)
        self.u64(v % 2**64)

    def i128(self, v):
        v = int(v)
        self.i64(v >> 64)
        self.u64(v % 2**64)

    def bool(self, b):
        if not isinstance(b, bool):
            raise ValueError("not a boolean: %r" % b)
        self.u64(1 if b else 0)

    def id(self, hex_id):
        raw = bytes.fromhex(hex_id)
        if len(raw) != 32:
            raise ValueError("an id has 32 bytes: %r" % hex_id)
        self.out += raw

    def opt_id(self, hex_id):
        self.bool(hex_id is not None)
        if hex_id is not None:
            self.id(hex_id)

    def bytes(self, text):
        raw = text.encode("ascii")
        self.u64(len(raw))
        self.out += raw

    def hlc(self, h):
        self.u64(h["wall_ms"])
        self.u64(h["logical"])

    def list(self, items):
        self.u64(len(items))
        return items


def _check_sorted(items, key, what):
    keys = [key(x) for x in items]
    if keys != sorted(keys) or len(set(keys)) != len(keys):
        raise ValueError("%s are not in ascending order without duplicates" % what)


def encode_roster(h, roster):
    h.opt_id(roster["charter_event"])
    members = h.list(roster["members"])
    _check_sorted(members, lambda m: bytes.fromhex(m["key"]), "members")
    for m in members:
        h.id(m["key"])
        h.id(m["profile_event"])
        h.u64(m["status"])
        h.id(m["joined_event"])
        h.u64(m["joined_seq"])
        h.opt_id(m["admitted_by"])
        h.opt_id(m["notice_event"])
        h.u64(m["notice_effective_ms"])
        h.opt_id(m["removal_event"])
        h.opt_id(m["expelled_by"])


def encode_governance(h, governance):
    proposals = h.list(governance["proposals"])
    _check_sorted(proposals, lambda p: bytes.fromhex(p["id"]), "proposals")
    for p in proposals:
        h.id(p["id"])
        h.u64(p["process"])
        h.u64(p["deadline_ms"])
        electorate = h.list(p["electorate"])
        _check_sorted(electorate, lambda v: bytes.fromhex(v["key"]), "an electorate")
        for voter in electorate:
            h.id(voter["key"])
            h.u64(voter["weight"])
            h.bool(voter["decides"])
        for stance in h.list(p["stances"]):
            h.id(stance)
        h.opt_id(p["close_event"])
        h.u64(p["outcome"])
        h.bool(p["closed"])
        h.bool(p["final"])
        h.hlc(p["close_hlc"])
        h.u64(p["close_reason"])
        h.u64(p["cast_weight"])
        h.u64(p["agree_weight"])
        h.u64(p["disagree_weight"])
        h.u64(p["block_weight"])
        h.opt_id(p["final_at"])
        h.bool(p["effect_applied"])
        h.opt_id(p["acceptance"])
    cuts = h.list(governance["removal_cuts"])
    _check_sorted(cuts, lambda c: bytes.fromhex(c["proposal"]), "removal cuts")
    for cut in cuts:
        h.id(cut["proposal"])
        h.id(cut["member"])
        h.u64(cut["kept_seq"])


_TOTALS = ["pledged", "received", "written_off", "outstanding", "conditional", "closed_received",
           "closed_written_off", "cancelled", "lapsed", "unapplied"]


def encode_totals(h, totals):
    h.u64(totals["pledge_count"])
    for name in _TOTALS:
        h.i128(totals[name])


def encode_fundraising(h, fundraising):
    campaigns = h.list(fundraising["campaigns"])
    _check_sorted(campaigns, lambda c: bytes.fromhex(c["id"]), "campaigns")
    for c in campaigns:
        h.id(c["id"])
        h.id(c["opened_by"])
        h.id(c["fiscal_host"])
        h.opt_id(c["proposal"])
        h.bytes(c["goal_currency"])
        h.i64(c["goal_minor"])
        h.u64(c["deadline_ms"])
        for code in h.list(c["accepted_currencies"]):
            h.bytes(code)
        h.i64(c["threshold_minor"])
        h.u64(c["threshold_member_count"])
        h.u64(c["assurance_deadline_ms"])
        h.u64(c["threshold_state"])
        h.i128(c["counted_minor"])
        h.u64(c["counted_pledgers"])
        assurance = h.list(c["assurance_set"])
        _check_sorted(assurance, bytes.fromhex, "an assurance set")
        for key in assurance:
            h.id(key)
        h.u64(c["pledge_count"])
        totals = h.list(c["totals"])
        _check_sorted(totals, lambda t: t["currency"].encode(), "campaign totals")
        for t in totals:
            h.bytes(t["currency"])
            encode_totals(h, t)
        member_totals = h.list(c["member_totals"])
        _check_sorted(member_totals,
                      lambda t: (bytes.fromhex(t["member"]), t["currency"].encode()),
                      "member totals")
        for t in member_totals:
            h.id(t["member"])
            h.bytes(t["currency"])
            encode_totals(h, t)
    pledges = h.list(fundraising["pledges"])
    _check_sorted(pledges, lambda p: bytes.fromhex(p["id"]), "pledges")
    for p in pledges:
        h.id(p["id"])
        h.id(p["campaign"])
        h.id(p["pledger"])
        h.id(p["terms_event"])
        h.u64(p["version"])
        h.bytes(p["currency"])
        h.i64(p["amount_minor"])
        h.bool(p["conditional_terms"])
        h.i64(p["received_minor"])
        h.i64(p["written_off_minor"])
        h.i64(p["unapplied_minor"])
        h.bool(p["cancelled"])
        h.u64(p["lapse"])
        h.u64(p["condition"])
        h.bool(p["threshold_pending"])
        records = h.list(p["records"])
        _check_sorted(records, lambda r: bytes.fromhex(r["event"]), "pledge records")
        for r in records:
            h.id(r["event"])
            h.u64(r["kind"])
            h.i64(r["amount_minor"])
            h.i64(r["applied_minor"])


def encode_pooled(h, pooled):
    if pooled is None:
        return  # an empty pooled domain writes nothing
    h.bytes("constellation/v1/pooled")
    for entry in h.list(pooled["entries"]):
        h.u64(entry["kind"])
        h.id(entry["event"])
    contributions = h.list(pooled["contributions"])
    _check_sorted(contributions, lambda c: bytes.fromhex(c["id"]), "contributions")
    for c in contributions:
        h.id(c["id"])
        h.id(c["contributor"])
        h.u64(c["kind"])
        h.i64(c["value_minor"])
        h.bytes(c["currency"])
        h.opt_id(c["fund"])
        h.opt_id(c["reverses"])
        h.opt_id(c["reversed_by"])
        h.opt_id(c["receipt"])
        h.bool(c["reversed_after_receipt"])
    funds = h.list(pooled["funds"])
    _check_sorted(funds, lambda f: bytes.fromhex(f["id"]), "funds")
    for f in funds:
        h.id(f["id"])
        h.id(f["proposal"])
        h.id(f["fiscal_host"])
        h.bytes(f["currency"])
        h.u64(f["restriction"])
        h.u64(f["until_ms"])
        h.i64(f["received_minor"])
        h.i64(f["disbursed_minor"])
    disbursements = h.list(pooled["disbursements"])
    _check_sorted(disbursements, lambda d: bytes.fromhex(d["proposal"]), "disbursements")
    for d in disbursements:
        h.id(d["proposal"])
        h.id(d["event"])
        h.id(d["fund"])
        h.i64(d["amount_minor"])
    net = h.list(pooled["net_contributed"])
    _check_sorted(net, lambda n: (bytes.fromhex(n["org"]), n["currency"].encode()), "net totals")
    for n in net:
        h.id(n["org"])
        h.bytes(n["currency"])
        h.i64(n["net_minor"])


def fold_hash(state):
    h = Encoder()
    h.bytes("constellation/v1/group-state")
    h.id(state["group_id"])
    h.u64(state["event_count"])
    encode_roster(h, state["roster"])
    encode_governance(h, state["governance"])
    encode_fundraising(h, state["fundraising"])
    encode_pooled(h, state["pooled"])
    rejected = h.list(state["rejected_events"])
    _check_sorted(rejected, bytes.fromhex, "rejected events")
    for event_id in rejected:
        h.id(event_id)
    return hashlib.sha256(bytes(h.out)).hexdigest()


def group_state_hash(fold, frozen):
    """frozen: {author key bytes: lowest fork seq}."""
    if not frozen:
        return fold
    data = b"constellation/v1/group-state-with-forks\x00" + bytes.fromhex(fold)
    data += struct.pack(">Q", len(frozen))
    for author in sorted(frozen):
        data += author + struct.pack(">Q", frozen[author])
    return hashlib.sha256(data).hexdigest()


# ---------------------------------------------------------------------------------------------
# One node receiving the events of a vector

EVENT_CONTEXT = b"constellation/v1/event\x00"
_STATUS = {0: "active", 1: "notice_given", 2: "withdrawn", 3: "expelled"}


class Node:
    def __init__(self):
        self.events = {}  # id -> parsed event
        self.chains = {}  # (author, seq) -> id
        self.depth = {}  # id -> depth
        self.frozen = {}  # author -> lowest fork seq
        self.genesis = None

    def receive(self, event_id, event):
        """Returns "inserted" or "fork" (§3, §3.1)."""
        author, seq = event["author"], event["seq"]
        held = self.chains.get((author, seq))
        if held is not None and held != event_id:
            chain_valid = seq == 1 or self.chains.get((author, seq - 1)) == event["prev"]
            if not chain_valid:
                raise ValueError("a conflicting event that does not continue the held chain")
            self.frozen[author] = min(self.frozen.get(author, seq), seq)
            return "fork"
        if seq > 1 and self.chains.get((author, seq - 1)) != event["prev"]:
            raise ValueError("prev is not the author's held event seq - 1")
        parents = list(event["deps"]) + ([event["prev"]] if event["prev"] else [])
        for parent in parents:
            if parent not in self.events:
                raise ValueError("a parent is not held: the file is not in causal order")
        if self.genesis is None:
            if event["body"] != 20 or seq != 1 or event["group_id"]:
                raise ValueError("the first event is not a genesis charter")
            self.genesis = event_id
            depth = 1
        else:
            depth = 1 + max([1] + [self.depth[p] for p in parents])
        self.events[event_id] = event
        self.chains[(author, seq)] = event_id
        self.depth[event_id] = depth
        return "inserted"

    def canonical_order(self):
        return sorted(self.events, key=lambda i: (self.depth[i], i))

    def folded_count(self):
        count = 0
        for event_id, event in self.events.items():
            n = self.frozen.get(event["author"])
            if event_id == self.genesis or n is None or event["seq"] < n:
                count += 1
        return count


def check_point(point, node, failures, where):
    def expect(what, got, want):
        if got != want:
            failures.append(("%s: %s: computed %r, the vector states %r" %
                             (where, what, got, want))[:600])

    state = point["state"]
    expect("canonical order", [i.hex() for i in node.canonical_order()], point["canonical_order"])
    expect("frozen authors",
           [{"author": a.hex(), "fork_seq": n} for a, n in sorted(node.frozen.items())],
           point["frozen_authors"])
    expect("event_count (folded events)", node.folded_count(), state["event_count"])
    expect("group id", node.genesis.hex(), state["group_id"])
    fold = fold_hash(state)
    expect("fold hash", fold, point["fold_hash"])
    expect("state hash", group_state_hash(fold, node.frozen), point["state_hash"])

    # Totals and statuses a view shows agree with the derived state.
    by_id = {c["id"]: c for c in state["fundraising"]["campaigns"]}
    for view in point["totals"]["campaigns"]:
        campaign = by_id[view["id"]]
        sums = next((t for t in campaign["totals"] if t["currency"] == view["currency"]), None)
        for name in ["pledged", "received", "written_off", "outstanding", "conditional",
                     "cancelled", "lapsed", "unapplied"]:
            expect("campaign %s %s" % (view["id"][:12], name),
                   int(sums[name]) if sums else 0, view[name + "_minor"])
        expect("campaign %s pledge_count" % view["id"][:12],
               sums["pledge_count"] if sums else 0, view["pledge_count"])
    pooled = state["pooled"] or {"funds": []}
    funds = {f["id"]: f for f in pooled["funds"]}
    for view in point["totals"]["funds"]:
        f = funds[view["id"]]
        expect("fund %s balance" % view["id"][:12], f["received_minor"] - f["disbursed_minor"],
               view["balance_minor"])
    members = {m["key"]: m for m in state["roster"]["members"]}
    for view in point["statuses"]["members"]:
        m = members[view["key"]]
        shown = _STATUS[m["status"]]
        if m["status"] == 1 and point["as_of_ms"] >= m["notice_effective_ms"]:
            shown = "withdrawn"  # §5.7: read APIs show a run-out notice as withdrawn
        expect("member %s status" % view["key"][:12], shown, view["status"])


def verify_document(document, failures, name):
    node = Node()
    points = sorted(document["points"], key=lambda p: p["after"])
    events = document["events"]
    next_point = 0
    for index in range(len(events) + 1):
        while next_point < len(points) and points[next_point]["after"] == index:
            point = points[next_point]
            check_point(point, node, failures, "%s, point %r" % (name, point["label"]))
            next_point += 1
        if index == len(events):
            break
        entry = events[index]
        where = "%s, event %d" % (name, index)
        data = bytes.fromhex(entry["event"])
        event_id = hashlib.sha256(data).digest()
        if event_id.hex() != entry["id"]:
            failures.append("%s: id %s, the vector states %s" % (where, event_id.hex(), entry["id"]))
        event = parse_event(data)
        if not ed25519_verify(event["author"], EVENT_CONTEXT + event_id,
                              bytes.fromhex(entry["signature"])):
            failures.append("%s: the signature does not verify" % where)
        if event["author"].hex() != entry["author"] or event["seq"] != entry["seq"]:
            failures.append("%s: author or seq differ from the event bytes" % where)
        try:
            outcome = node.receive(event_id, event)
        except ValueError as e:
            failures.append("%s: %s" % (where, e))
            return
        if outcome != entry["receive"]:
            failures.append("%s: received as %s, the vector states %s" %
                            (where, outcome, entry["receive"]))
    if next_point != len(points):
        failures.append("%s: a point lies beyond the events" % name)


def self_test():
    """The checks can fail: a tampered signature and a changed state are caught."""
    sample = os.path.join(os.path.dirname(os.path.abspath(__file__)), "fork.json")
    with open(sample) as f:
        document = json.load(f)
    entry = document["events"][0]
    data = bytes.fromhex(entry["event"])
    event = parse_event(data)
    message = EVENT_CONTEXT + hashlib.sha256(data).digest()
    signature = bytearray(bytes.fromhex(entry["signature"]))
    assert ed25519_verify(event["author"], message, bytes(signature)), "a valid signature fails"
    signature[5] ^= 1
    assert not ed25519_verify(event["author"], message, bytes(signature)), "a bad one verifies"
    assert not ed25519_verify(event["author"], message[:-1] + b"\x00",
                              bytes.fromhex(entry["signature"])), "another message verifies"
    state = json.loads(json.dumps(document["points"][0]["state"]))
    before = fold_hash(state)
    state["event_count"] += 1
    assert fold_hash(state) != before, "the event count does not change the hash"


def main():
    if len(sys.argv) != 2:
        print("usage: verify_vectors.py DIR", file=sys.stderr)
        return 2
    directory = sys.argv[1]
    self_test()
    failures = []
    names = sorted(n for n in os.listdir(directory) if n.endswith(".json"))
    if not names:
        failures.append("no vector documents in %s" % directory)
    for name in names:
        with open(os.path.join(directory, name)) as f:
            document = json.load(f)
        if document.get("format") != "constellation-test-vectors/1":
            failures.append("%s: not a constellation-test-vectors/1 document" % name)
            continue
        before = len(failures)
        verify_document(document, failures, name)
        points = len(document["points"])
        print("%s: %d events, %d points: %s" % (name, len(document["events"]), points,
                                                 "ok" if len(failures) == before else "FAILED"))
    for failure in failures:
        print("FAIL " + failure)
    return 1 if failures else 0


if __name__ == "__main__":
    sys.exit(main())
