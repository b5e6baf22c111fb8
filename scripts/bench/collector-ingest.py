#!/usr/bin/env python3
"""Ingest benchmark: events/s end to end over HTTP into the collector, beside the raw insert rate of
the same database with the same schema on the same machine.

  scripts/bench/collector-ingest.py --bin .build/release --db sqlite:/tmp/bench.sqlite
  scripts/bench/collector-ingest.py --bin .build/release --db postgres://u:p@127.0.0.1/db?sslmode=disable

Raw: the collector's own multi-row statement (SQLite, WAL, synchronous=FULL like the collector unless
--raw-synchronous NORMAL: INSERT OR IGNORE … VALUES (…),(…); PostgreSQL:
INSERT … SELECT * FROM UNNEST … ON CONFLICT DO NOTHING) from one client, batches of 1000.
HTTP: DEVICES enrolled agents, each posting batches of 1000 events (heartbeats) on a keep-alive
connection from its own thread. Needs psycopg for PostgreSQL (apt-get install python3-psycopg).
--json prints the figures as one JSON object instead of the sentence (scripts/bench.sh reads it).
"""
import argparse, base64, http.client, json, os, sqlite3, subprocess, sys, tempfile, threading, time, urllib.parse

REGISTRY = {
    "schools.csv": "school_id,name,county,township,primary_classes,primary_students,junior_classes,junior_students,high_classes,high_students\nS1,A,C,T,30,1200,0,0,0,0\n",
    "rooms.csv": "room_id,school_id,name,kind,stage,class_name\n" + "".join(f"R{i},S1,r{i},classroom,primary,c{i}\n" for i in range(1, 31)),
    "teachers.csv": "teacher_id,school_id,name,subjects\nT1,S1,n,m\n",
    "timetable.csv": "school_id,room_id,teacher_id,weekday,start,end,subject\nS1,R1,T1,1,08:00,08:40,m\n",
}

def event(seq, at):
    return {"seq": seq, "at": at, "kind": "heartbeat",
            "heartbeat": {"agent_version": "0.1.0", "uptime_seconds": seq, "queue_depth": 0, "dropped_usage_total": 0}}

def raw_rows(device, start, n, now):
    return [(device, s, "heartbeat", now + s, now + s, now, json.dumps(event(s, now + s), sort_keys=True, separators=(",", ":")))
            for s in range(start, start + n)]

def raw_sqlite(path, total, batch, synchronous):
    if os.path.exists(path): os.remove(path)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL"); db.execute(f"PRAGMA synchronous={synchronous}")
    db.execute("CREATE TABLE events (device_id TEXT NOT NULL, seq INTEGER NOT NULL, kind TEXT NOT NULL, agent_at INTEGER NOT NULL, at INTEGER NOT NULL, received_at INTEGER NOT NULL, body TEXT NOT NULL, PRIMARY KEY (device_id, seq))")
    now = int(time.time() * 1000)
    batches = [raw_rows("raw", b * batch + 1, batch, now) for b in range(total // batch)]
    t = time.perf_counter()
    for rows in batches:
        db.execute("BEGIN")
        for i in range(0, len(rows), 500):
            chunk = rows[i:i + 500]
            db.execute("INSERT OR IGNORE INTO events VALUES " + ",".join(["(?,?,?,?,?,?,?)"] * len(chunk)), [v for r in chunk for v in r])
        db.execute("COMMIT")
    return total / (time.perf_counter() - t)

def raw_postgres(url, total, batch):
    import psycopg
    with psycopg.connect(url.replace("postgres://", "postgresql://"), autocommit=True) as c:
        c.execute("DROP TABLE IF EXISTS bench_events")
        c.execute("CREATE TABLE bench_events (device_id TEXT NOT NULL, seq BIGINT NOT NULL, kind TEXT NOT NULL, agent_at BIGINT NOT NULL, at BIGINT NOT NULL, received_at BIGINT NOT NULL, body TEXT NOT NULL, PRIMARY KEY (device_id, seq))")
        now = int(time.time() * 1000)
        batches = [list(zip(*raw_rows("raw", b * batch + 1, batch, now))) for b in range(total // batch)]
        t = time.perf_counter()
        for cols in batches:
            c.execute("INSERT INTO bench_events SELECT * FROM UNNEST(%s::text[], %s::bigint[], %s::text[], %s::bigint[], %s::bigint[], %s::bigint[], %s::text[]) ON CONFLICT DO NOTHING", [list(x) for x in cols])
        rate = total / (time.perf_counter() - t)
        c.execute("DROP TABLE bench_events")
        return rate

def call(conn, method, path, token=None, body=None):
    headers = {"Content-Type": "application/json"}
    if token: headers["Authorization"] = "Bearer " + token
    conn.request(method, path, body=json.dumps(body) if body is not None else None, headers=headers)
    r = conn.getresponse(); data = r.read()
    if r.status >= 300: raise SystemExit(f"{method} {path}: {r.status} {data[:300]!r}")
    return json.loads(data) if data else {}

def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("--bin", default=".build/release"); ap.add_argument("--db", required=True)
    ap.add_argument("--events", type=int, default=200_000); ap.add_argument("--devices", type=int, default=8)
    ap.add_argument("--batch", type=int, default=1000); ap.add_argument("--port", type=int, default=18490)
    # The collector commits with synchronous=FULL (it acknowledges only what is durable); the raw rate matches it.
    ap.add_argument("--raw-synchronous", choices=["FULL", "NORMAL"], default="FULL")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    a = ap.parse_args()
    exe = os.path.join(a.bin, "classroom-collector")
    if a.db.startswith("sqlite:") and os.path.exists(a.db[7:]): os.remove(a.db[7:])
    token = subprocess.check_output([exe, "token", "create", "--role", "bureau_admin", "--name", "bench", "--db", a.db], text=True).strip()
    server = subprocess.Popen([exe, "serve", "--db", a.db, "--listen", f"127.0.0.1:{a.port}", "--log-level", "error"], stdout=subprocess.PIPE, text=True)
    try:
        server.stdout.readline()
        c = http.client.HTTPConnection("127.0.0.1", a.port)
        call(c, "PUT", "/api/v1/registry", token, {"files": {k: base64.b64encode(v.encode()).decode() for k, v in REGISTRY.items()}})
        et = call(c, "POST", "/api/v1/enrollment-tokens", token, {"school_id": "S1", "max_uses": a.devices, "expires_in_seconds": 3600})["token"]
        creds = [call(c, "POST", "/api/v1/agent/enroll", None, {"token": et, "room_id": f"R{i + 1}", "public_key": base64.b64encode(bytes(32)).decode(), "hostname": f"pc{i}", "agent_version": "0.1.0"})["credential"] for i in range(a.devices)]
        per = a.events // a.devices // a.batch
        now = int(time.time() * 1000)
        bodies = [json.dumps({"sent_at": now, "events": [event(b * a.batch + s, now) for s in range(1, a.batch + 1)]}) for b in range(per)]
        def agent(cred):
            conn = http.client.HTTPConnection("127.0.0.1", a.port)
            for body in bodies:
                conn.request("POST", "/api/v1/agent/events", body=body, headers={"Content-Type": "application/json", "Authorization": "Bearer " + cred})
                r = conn.getresponse(); ack = json.loads(r.read())
                assert r.status == 200 and ack["accepted"] == a.batch, ack
        threads = [threading.Thread(target=agent, args=(cr,)) for cr in creds]
        t = time.perf_counter()
        for th in threads: th.start()
        for th in threads: th.join()
        http_rate = per * a.batch * a.devices / (time.perf_counter() - t)
    finally:
        server.terminate(); server.wait()
    if a.db.startswith("sqlite:"):
        raw = raw_sqlite(os.path.join(tempfile.mkdtemp(), "raw.sqlite"), a.events, a.batch, a.raw_synchronous); kind = f"SQLite (raw synchronous={a.raw_synchronous})"
    else:
        raw = raw_postgres(a.db.split("?")[0], a.events, a.batch); kind = "PostgreSQL"
    if a.json:
        print(json.dumps({"store": kind, "http_events_per_s": round(http_rate), "raw_events_per_s": round(raw),
                          "ratio": round(http_rate / raw, 3), "devices": a.devices, "batch": a.batch,
                          "events": per * a.batch * a.devices}))
        return
    print(f"{kind}: HTTP end to end {http_rate:,.0f} events/s ({a.devices} agents, batches of {a.batch}); raw insert {raw:,.0f} events/s; ratio {http_rate / raw:.0%}")

if __name__ == "__main__":
    main()
