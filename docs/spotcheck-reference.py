#!/usr/bin/env python3
"""Independent re-implementation of the ClassroomFleet spot-check draw (docs/spotcheck-draw.md).

Written from the document alone, in another language, to show that it is enough to audit a draw:

    python3 docs/spotcheck-reference.py REVEAL.json     # verify a reveal: exit 0, or the first difference and exit 1
    python3 docs/spotcheck-reference.py --vector        # print the worked test vector of the document

Standard library only (hashlib, json).
"""
import hashlib
import json
import sys

M64 = (1 << 64) - 1
LABEL_SNAPSHOT = "ClassroomFleet spot-check snapshot v1"
LABEL_SEED = "ClassroomFleet spot-check seed v1"
LABEL_RESULT = "ClassroomFleet spot-check result v1"
FORMAT = "classroomfleet-spotcheck-reveal/1"


def u8(v): return bytes([v & 0xFF])
def u16(v): return (v & 0xFFFF).to_bytes(2, "big")
def u32(v): return (v & 0xFFFFFFFF).to_bytes(4, "big")
def frame(s): b = s.encode("utf-8"); return u32(len(b)) + b
def key(s): return s.encode("utf-8")  # bytewise UTF-8 order
def minutes(hhmm): h, m = hhmm.split(":"); return int(h) * 60 + int(m)
def hhmm(m): return "%02d:%02d" % (m // 60, m % 60)


def canonical_snapshot(teachers):
    out = []
    for t in sorted(teachers, key=lambda t: key(t["teacher_id"])):
        lessons = sorted(t["lessons"], key=lambda l: (l["weekday"], minutes(l["start"]), minutes(l["end"]),
                                                      key(l["room_id"]), key(l["subject"])))
        out.append({"teacher_id": t["teacher_id"], "school_id": t["school_id"], "lessons": lessons})
    return out


def snapshot_digest(teachers):
    b = frame(LABEL_SNAPSHOT) + u32(len(teachers))
    for t in teachers:
        b += frame(t["teacher_id"]) + frame(t["school_id"]) + u32(len(t["lessons"]))
        for l in t["lessons"]:
            b += u8(l["weekday"]) + u16(minutes(l["start"])) + u16(minutes(l["end"])) + frame(l["room_id"]) + frame(l["subject"])
    return hashlib.sha256(b).digest()


def derive_seed(week, digest, count, rnd, drawn, beacon):
    b = frame(LABEL_SEED) + frame(week) + digest + u32(count) + u32(rnd) + u32(len(drawn))
    for d in sorted(drawn, key=key):
        b += frame(d)
    return hashlib.sha256(b + frame(beacon)).digest()


class Xoshiro256StarStar:
    def __init__(self, seed32):
        self.s = [int.from_bytes(seed32[8 * k:8 * k + 8], "big") for k in range(4)]
        if self.s == [0, 0, 0, 0]:
            self.s = [1, 0, 0, 0]
        self.used = 0

    def next(self):
        s = self.s
        rotl = lambda x, k: ((x << k) | (x >> (64 - k))) & M64
        result = (rotl((s[1] * 5) & M64, 7) * 9) & M64
        t = (s[1] << 17) & M64
        s[2] ^= s[0]; s[3] ^= s[1]; s[1] ^= s[2]; s[0] ^= s[3]; s[2] ^= t; s[3] = rotl(s[3], 45)
        self.used += 1
        return result

    def bounded(self, n):  # Lemire: high 64 bits of x*n, reject while low < 2^64 mod n
        p = self.next() * n
        if (p & M64) < n:
            threshold = (2 ** 64 - n) % n
            while (p & M64) < threshold:
                p = self.next() * n
        return p >> 64

    def shuffle(self, a):  # Fisher-Yates from the front
        for i in range(len(a) - 1):
            j = i + self.bounded(len(a) - i)
            a[i], a[j] = a[j], a[i]


def draw(week, count, beacon, teachers, rnd, drawn):
    digest = snapshot_digest(teachers)
    seed = derive_seed(week, digest, count, rnd, drawn, beacon)
    g = Xoshiro256StarStar(seed)
    target = min(count, len({t["school_id"] for t in teachers}))
    chosen, rounds, used = [], [], set()

    def take(pool, r):
        pool = list(pool)
        g.shuffle(pool)
        for i in pool:
            if len(chosen) < count and teachers[i]["school_id"] not in used:
                used.add(teachers[i]["school_id"]); chosen.append(i); rounds.append(r)

    take([i for i, t in enumerate(teachers) if t["teacher_id"] not in drawn], rnd)
    after_round, after_drawn, new_round = rnd, set(drawn) | {teachers[i]["teacher_id"] for i in chosen}, False
    if len(chosen) < target:
        new_round, first = True, len(chosen)
        take([i for i in range(len(teachers)) if i not in set(chosen)], rnd + 1)
        after_round, after_drawn = rnd + 1, {teachers[i]["teacher_id"] for i in chosen[first:]}
    orders = []
    for i, r in zip(chosen, rounds):
        t = teachers[i]
        l = t["lessons"][g.bounded(len(t["lessons"]))]
        orders.append({"round": r, "teacher_id": t["teacher_id"], "school_id": t["school_id"], "room_id": l["room_id"],
                       "weekday": l["weekday"], "start": hhmm(minutes(l["start"])), "end": hhmm(minutes(l["end"])),
                       "subject": l["subject"]})
    return {"snapshot_digest": digest, "seed": seed, "orders": orders, "shortfall": count - len(orders),
            "new_round_started": new_round, "rounds_after": {"round": after_round, "drawn": sorted(after_drawn, key=key)},
            "outputs_used": g.used}


def commitment(week, count, result, salt):
    b = frame(LABEL_RESULT) + frame(week) + result["seed"] + u32(count) + u32(result["shortfall"])
    b += u8(1 if result["new_round_started"] else 0) + u32(result["rounds_after"]["round"])
    b += u32(len(result["rounds_after"]["drawn"])) + b"".join(frame(d) for d in result["rounds_after"]["drawn"])
    b += u32(len(result["orders"]))
    for o in result["orders"]:
        b += u32(o["round"]) + frame(o["teacher_id"]) + frame(o["school_id"]) + frame(o["room_id"])
        b += u8(o["weekday"]) + u16(minutes(o["start"])) + u16(minutes(o["end"])) + frame(o["subject"])
    return hashlib.sha256(b + salt).digest()


def verify(reveal):
    if reveal.get("format") != FORMAT:
        return "format: not " + FORMAT
    teachers = canonical_snapshot(reveal["snapshot"]["teachers"])
    rb = reveal["rounds_before"]
    r = draw(reveal["week"], reveal["count"], reveal["beacon"], teachers, rb["round"], set(rb["drawn"]))
    checks = [("snapshot_digest", reveal["snapshot_digest"].lower(), r["snapshot_digest"].hex()),
              ("seed", reveal["seed"].lower(), r["seed"].hex()),
              ("orders (count)", len(reveal["orders"]), len(r["orders"]))]
    for i, (p, q) in enumerate(zip(reveal["orders"], r["orders"])):
        for f in ("teacher_id", "school_id", "round", "room_id", "weekday", "start", "end", "subject"):
            checks.append(("orders[%d].%s" % (i, f), p[f] if f not in ("start", "end") else hhmm(minutes(p[f])), q[f]))
    checks += [("shortfall", reveal["shortfall"], r["shortfall"]),
               ("new_round_started", reveal["new_round_started"], r["new_round_started"]),
               ("rounds_after.round", reveal["rounds_after"]["round"], r["rounds_after"]["round"]),
               ("rounds_after.drawn", sorted(reveal["rounds_after"]["drawn"], key=key), r["rounds_after"]["drawn"]),
               ("commitment", reveal["commitment"].lower(),
                commitment(reveal["week"], reveal["count"], r, bytes.fromhex(reveal["salt"])).hex())]
    for field, published, recomputed in checks:
        if published != recomputed:
            return "%s: the reveal says %r, the recomputed draw gives %r" % (field, published, recomputed)
    return None


VECTOR_TEACHERS = [
    {"teacher_id": "T01", "school_id": "S1", "lessons": [
        {"room_id": "R1", "weekday": 3, "start": "10:00", "end": "10:40", "subject": "数学"},
        {"room_id": "R1", "weekday": 1, "start": "08:00", "end": "08:40", "subject": "语文"}]},
    {"teacher_id": "T02", "school_id": "S1", "lessons": [
        {"room_id": "R1", "weekday": 2, "start": "09:00", "end": "09:40", "subject": "英语"}]},
    {"teacher_id": "T03", "school_id": "S2", "lessons": [
        {"room_id": "R2", "weekday": 1, "start": "08:00", "end": "08:40", "subject": "数学"},
        {"room_id": "R2", "weekday": 4, "start": "14:30", "end": "15:10", "subject": "科学"}]},
    {"teacher_id": "T04", "school_id": "S3", "lessons": [
        {"room_id": "R3", "weekday": 5, "start": "08:50", "end": "09:30", "subject": "语文"}]},
    {"teacher_id": "T05", "school_id": "S3", "lessons": [
        {"room_id": "R3", "weekday": 2, "start": "10:00", "end": "10:40", "subject": "音乐"},
        {"room_id": "R3", "weekday": 3, "start": "11:00", "end": "11:40", "subject": "美术"},
        {"room_id": "R3", "weekday": 4, "start": "08:00", "end": "08:40", "subject": "语文"}]},
    {"teacher_id": "T06", "school_id": "S4", "lessons": [
        {"room_id": "R4", "weekday": 1, "start": "14:00", "end": "14:40", "subject": "体育"}]},
]


def vector():
    teachers = canonical_snapshot(VECTOR_TEACHERS)
    salt = bytes(range(32))
    rnd, drawn = 1, {"T04"}
    for week in ("2026-W48", "2026-W49"):
        r = draw(week, 3, "2026-11-23 test beacon", teachers, rnd, drawn)
        print(week, "rounds_before", rnd, sorted(drawn, key=key))
        print("  snapshot_digest", r["snapshot_digest"].hex())
        print("  seed           ", r["seed"].hex())
        g = Xoshiro256StarStar(r["seed"])
        print("  first outputs  ", [g.next() for _ in range(3)])
        for o in r["orders"]:
            print("  order", json.dumps(o, ensure_ascii=False))
        print("  shortfall", r["shortfall"], "new_round_started", r["new_round_started"], "rounds_after", r["rounds_after"])
        print("  outputs used   ", r["outputs_used"])
        print("  commitment     ", commitment(week, 3, r, salt).hex())
        rnd, drawn = r["rounds_after"]["round"], set(r["rounds_after"]["drawn"])


if __name__ == "__main__":
    if sys.argv[1:] == ["--vector"]:
        vector()
        sys.exit(0)
    if len(sys.argv) != 2:
        print(__doc__, file=sys.stderr)
        sys.exit(2)
    with open(sys.argv[1], encoding="utf-8") as f:
        difference = verify(json.load(f))
    if difference:
        print(sys.argv[1] + ": " + difference, file=sys.stderr)
        sys.exit(1)
    print(sys.argv[1] + ": verified")
