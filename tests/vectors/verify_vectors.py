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


# The layouts of docs/PROTOCOL.md §5.8, §5.10 and §5.12 as data: each item is (kind, field) for a
# primitive of §4.1, or ("list", field, element layout, sort key) for a list whose elements must
# be in the spec's order (sort key None: an order the spec fixes otherwise, e.g. canonical).


def _by(*fields):
    """The sort key of §4.1: ids bytewise, then currency codes bytewise; None: the element itself
    is an id."""
    def part(element, field):
        if field is None:
            return bytes.fromhex(element)
        if field == "currency":
            return element[field].encode("ascii")
        return bytes.fromhex(element[field])
    return lambda element: tuple(part(element, f) for f in fields)


ROSTER = [
    ("opt_id", "charter_event"),
    ("list", "members", [
        ("id", "key"), ("id", "profile_event"), ("u64", "status"), ("id", "joined_event"),
        ("u64", "joined_seq"), ("opt_id", "admitted_by"), ("opt_id", "notice_event"),
        ("u64", "notice_effective_ms"), ("opt_id", "removal_event"), ("opt_id", "expelled_by"),
    ], _by("key")),
]

GOVERNANCE = [
    ("list", "proposals", [
        ("id", "id"), ("u64", "process"), ("u64", "deadline_ms"),
        ("list", "electorate", [("id", "key"), ("u64", "weight"), ("bool", "decides")],
         _by("key")),
        ("list", "stances", "id", None),  # canonical order
        ("opt_id", "close_event"), ("u64", "outcome"), ("bool", "closed"), ("bool", "final"),
        ("hlc", "close_hlc"), ("u64", "close_reason"), ("u64", "cast_weight"),
        ("u64", "agree_weight"), ("u64", "disagree_weight"), ("u64", "block_weight"),
        ("opt_id", "final_at"), ("bool", "effect_applied"), ("opt_id", "acceptance"),
    ], _by("id")),
    ("list", "removal_cuts", [("id", "proposal"), ("id", "member"), ("u64", "kept_seq")],
     _by("proposal")),
]

TOTALS = [("u64", "pledge_count")] + [("i128", name) for name in [
    "pledged", "received", "written_off", "outstanding", "conditional", "closed_received",
    "closed_written_off", "cancelled", "lapsed", "unapplied"]]

FUNDRAISING = [
    ("list", "campaigns", [
        ("id", "id"), ("id", "opened_by"), ("id", "fiscal_host"), ("opt_id", "proposal"),
        ("bytes", "goal_currency"), ("i64", "goal_minor"), ("u64", "deadline_ms"),
        ("list", "accepted_currencies", "bytes", None),  # the record's order
        ("i64", "threshold_minor"), ("u64", "threshold_member_count"),
        ("u64", "assurance_deadline_ms"), ("u64", "threshold_state"), ("i128", "counted_minor"),
        ("u64", "counted_pledgers"),
        ("list", "assurance_set", "id", _by(None)),
        ("u64", "pledge_count"),
        ("list", "totals", [("bytes", "currency")] + TOTALS, _by("currency")),
        ("list", "member_totals", [("id", "member"), ("bytes", "currency")] + TOTALS,
         _by("member", "currency")),
    ], _by("id")),
    ("list", "pledges", [
        ("id", "id"), ("id", "campaign"), ("id", "pledger"), ("id", "terms_event"),
        ("u64", "version"), ("bytes", "currency"), ("i64", "amount_minor"),
        ("bool", "conditional_terms"), ("i64", "received_minor"), ("i64", "written_off_minor"),
        ("i64", "unapplied_minor"), ("bool", "cancelled"), ("u64", "lapse"), ("u64", "condition"),
        ("bool", "threshold_pending"),
        ("list", "records", [("id", "event"), ("u64", "kind"), ("i64", "amount_minor"),
                             ("i64", "applied_minor")], _by("event")),
    ], _by("id")),
]

POOLED = [
    ("list", "entries", [("u64", "kind"), ("id", "event")], None),  # canonical order
    ("list", "contributions", [
        ("id", "id"), ("id", "contributor"), ("u64", "kind"), ("i64", "value_minor"),
        ("bytes", "currency"), ("opt_id", "fund"), ("opt_id", "reverses"),
        ("opt_id", "reversed_by"), ("opt_id", "receipt"), ("bool", "reversed_after_receipt"),
    ], _by("id")),
    ("list", "funds", [
        ("id", "id"), ("id", "proposal"), ("id", "fiscal_host"), ("bytes", "currency"),
        ("u64", "restriction"), ("u64", "until_ms"), ("i64", "received_minor"),
        ("i64", "disbursed_minor"),
    ], _by("id")),
    ("list", "disbursements", [("id", "proposal"), ("id", "event"), ("id", "fund"),
                               ("i64", "amount_minor")], _by("proposal")),
    ("list", "net_contributed", [("id", "org"), ("bytes", "currency"), ("i64", "net_minor")],
     _by("org", "currency")),
]

CONVENINGS = [
    ("list", "convenings", [
        ("id", "id"), ("id", "convener"), ("u64", "scheduled_ms"),
        ("list", "invitees", "id", _by(None)),
        ("list", "agenda_proposals", "id", None),  # the record's order
        ("list", "attendance", [("id", "attendee"), ("id", "event")], _by("attendee")),
        ("list", "minutes", "id", None),  # canonical order
    ], _by("id")),
    ("list", "actions", [
        ("id", "id"), ("id", "convening"), ("id", "recorded_by"), ("id", "owner"),
        ("u64", "due_ms"),
        ("list", "completions", "id", None),  # canonical order
    ], _by("id")),
]

HEALTH = [
    ("list", "pulses", [("id", "event"), ("id", "member"), ("u64", "alignment")],
     None),  # canonical order
]


STRATEGY = [
    ("list", "versions", [
        ("id", "id"), ("id", "author"), ("u64", "document"), ("opt_id", "parent"),
    ], _by("id")),
    ("list", "adoptions", [("id", "proposal"), ("id", "version")], _by("proposal")),
]


MEASUREMENT = [
    ("list", "reports", [
        ("id", "id"), ("id", "author"), ("id", "version"), ("i64", "value"),
        ("opt_id", "revises"),
    ], _by("id")),
]


TEAMS = [
    ("list", "teams", [
        ("id", "id"), ("id", "created_by"), ("u64", "status"),
        ("list", "versions", [
            ("id", "id"), ("id", "author"), ("u64", "status"),
            ("list", "leads", "id", _by(None)),
            ("list", "participants", "id", _by(None)),
            ("opt_id", "fiscal_host"), ("u64", "review_ms"),
        ], None),  # canonical order
    ], _by("id")),
]


def encode(h, layout, record):
    for item in layout:
        kind, field = item[0], item[1]
        value = record[field]
        if kind != "list":
            getattr(h, kind)(value)
            continue
        element, sort_key = item[2], item[3]
        if sort_key is not None:
            keys = [sort_key(x) for x in value]
            if keys != sorted(keys) or len(set(keys)) != len(keys):
                raise ValueError("%s are not in ascending order without duplicates" % field)
        h.u64(len(value))
        for x in value:
            if isinstance(element, str):
                getattr(h, element)(x)  # a list of primitives
            else:
                encode(h, element, x)


def fold_hash(state):
    h = Encoder()
    h.bytes("constellation/v1/group-state")
    h.id(state["group_id"])
    h.u64(state["event_count"])
    encode(h, ROSTER, state["roster"])
    encode(h, GOVERNANCE, state["governance"])
    encode(h, FUNDRAISING, state["fundraising"])
    if state["pooled"] is not None:  # an empty pooled domain writes nothing
        h.bytes("constellation/v1/pooled")
        encode(h, POOLED, state["pooled"])
    if state["convenings"] is not None:  # a group without convenings writes nothing
        h.bytes("constellation/v1/convenings")
        encode(h, CONVENINGS, state["convenings"])
    if state["health"] is not None:  # a group without pulse checks writes nothing
        h.bytes("constellation/v1/health")
        encode(h, HEALTH, state["health"])
    if state["strategy"] is not None:  # a group without strategy versions writes nothing
        h.bytes("constellation/v1/strategy")
        encode(h, STRATEGY, state["strategy"])
    if state["measurement"] is not None:  # a group without indicator reports writes nothing
        h.bytes("constellation/v1/measurement")
        encode(h, MEASUREMENT, state["measurement"])
    if state["teams"] is not None:  # a group without action teams writes nothing
        h.bytes("constellation/v1/teams")
        encode(h, TEAMS, state["teams"])
    encode(h, [("list", "rejected_events", "id", _by(None))], state)
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
    # §5.15: the current version of a document is the one of its adoption greatest by the
    # proposal's (hlc, id).
    strategy = state["strategy"] or {"versions": [], "adoptions": []}
    documents = {v["id"]: v["document"] for v in strategy["versions"]}
    current = {}
    for a in strategy["adoptions"]:
        document = documents[a["version"]]
        proposal = bytes.fromhex(a["proposal"])
        rank = (node.events[proposal]["hlc"], proposal)
        if document not in current or current[document][0] < rank:
            current[document] = (rank, a)
    expect("current strategy",
           [{"document": d, "version": current[d][1]["version"],
             "proposal": current[d][1]["proposal"]} for d in sorted(current)],
           point["statuses"]["current_strategy"])


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
