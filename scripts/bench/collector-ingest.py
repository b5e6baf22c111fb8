#!/usr/bin/env python3
"""Ingest benchmark: events/s end to end over HTTP into the collector, beside the raw insert rate of
the same rows into the same schema on the same machine.

  scripts/bench/collector-ingest.py --bin .build/release --db sqlite:/tmp/bench.sqlite
  scripts/bench/collector-ingest.py --bin .build/release --db postgres://u:p@127.0.0.1/db?sslmode=disable

HTTP: DEVICES enrolled agents, each posting batches of BATCH events (heartbeats) on a keep-alive
connection from its own thread.
Raw: the rows the collector stores for those uploads (same device ids and seqs; the body of each row is
the event's JSON exactly as the agents send it) into a table with the collector's events schema (its
primary key and its two secondary indexes), one transaction per batch of BATCH like the collector:
- SQLite (WAL, synchronous=FULL like the collector unless --raw-synchronous NORMAL), one client (SQLite
  has one writer): INSERT OR IGNORE … VALUES (…),(…) of 500 rows, statements cached by sqlite3;
- PostgreSQL: --raw-clients processes (default DEVICES, as many as the agents), each COPY into a
  temporary table, then INSERT … SELECT … ON CONFLICT DO NOTHING into a copy of the events table
  (the fastest of COPY, UNNEST arrays and multi-row VALUES from psycopg on this machine).
Needs psycopg for PostgreSQL (scripts/bench.sh installs python3-psycopg).
--json prints the figures as one JSON object instead of the sentence (scripts/bench.sh reads it).
"""
import argparse, base64, http.client, json, multiprocessing, os, sqlite3, subprocess, sys, tempfile, threading, time, urllib.parse

REGISTRY = {
    "schools.csv": "school_id,name,county,township,primary_classes,primary_students,junior_classes,junior_students,high_classes,high_students\nS1,A,C,T,30,1200,0,0,0,0\n",
    "rooms.csv": "room_id,school_id,name,kind,stage,class_name\n" + "".join(f"R{i},S1,r{i},classroom,primary,c{i}\n" for i in range(1, 31)),
    "teachers.csv": "teacher_id,school_id,name,subjects\nT1,S1,n,m\n",
    "timetable.csv": "school_id,room_id,teacher_id,weekday,start,end,subject\nS1,R1,T1,1,08:00,08:40,m\n",
}

def event(seq, at):
    return {"seq": seq, "at": at, "kind": "heartbeat",
            "heartbeat": {"agent_version": "0.1.0", "uptime_seconds": seq, "queue_depth": 0, "dropped_usage_total": 0}}

def upload(b, batch, now, at=None):
    """The body of a device's b-th upload (every agent sends the same seqs, as separate devices); its
    events' agent time is `at` (default `now`)."""
    return {"sent_at": now, "events": [event(b * batch + s, now if at is None else at) for s in range(1, batch + 1)]}

def raw_batches(device, per, batch, now):
    """The rows the collector stores for one device's uploads, one list per upload."""
    return [[(device, e["seq"], e["kind"], e["at"], e["at"], now, json.dumps(e)) for e in upload(b, batch, now)["events"]]
            for b in range(per)]

EVENTS_TABLE = "(device_id TEXT NOT NULL, seq {INT} NOT NULL, kind TEXT NOT NULL, agent_at {INT} NOT NULL, at {INT} NOT NULL, received_at {INT} NOT NULL, body TEXT NOT NULL, PRIMARY KEY (device_id, seq))"
# The collector's secondary indexes on its events table (CoverageSchema, SpotCheckSchema; EventPartitions keeps them on PostgreSQL):
# the raw baseline writes the same schema, indexes included.
EVENTS_INDEXES = ["CREATE INDEX {table}_kind ON {table} (kind, device_id, seq)", "CREATE INDEX {table}_kind_at ON {table} (kind, at)"]

def raw_sqlite(path, devices, per, batch, synchronous):
    if os.path.exists(path): os.remove(path)
    db = sqlite3.connect(path, isolation_level=None)
    db.execute("PRAGMA journal_mode=WAL"); db.execute(f"PRAGMA synchronous={synchronous}")
    db.execute("CREATE TABLE events " + EVENTS_TABLE.format(INT="INTEGER"))
    for index in EVENTS_INDEXES: db.execute(index.format(table="events"))
    now = int(time.time() * 1000)
    # Interleaved by upload, as the agents' requests arrive.
    per_device = [raw_batches(f"dev{d}", per, batch, now) for d in range(devices)]
    batches = [per_device[d][b] for b in range(per) for d in range(devices)]
    t = time.perf_counter()
    for rows in batches:
        db.execute("BEGIN")
        for i in range(0, len(rows), 500):
            chunk = rows[i:i + 500]
            db.execute("INSERT OR IGNORE INTO events VALUES " + ",".join(["(?,?,?,?,?,?,?)"] * len(chunk)), [v for r in chunk for v in r])
        db.execute("COMMIT")
    return len(batches) * batch / (time.perf_counter() - t)

def raw_postgres_client(url, batches, ready, go, out):
    import psycopg
    with psycopg.connect(url) as c:
        c.execute("CREATE TEMP TABLE incoming (LIKE bench_events) ON COMMIT DELETE ROWS"); c.commit()
        ready.release(); go.wait()
        t = time.perf_counter()
        for rows in batches:
            with c.transaction():
                with c.cursor().copy("COPY incoming FROM STDIN") as copy:
                    for r in rows: copy.write_row(r)
                c.execute("INSERT INTO bench_events SELECT * FROM incoming ON CONFLICT DO NOTHING")
        out.put(time.perf_counter() - t)

def raw_postgres(url, devices, per, batch, clients):
    import psycopg
    url = url.replace("postgres://", "postgresql://")
    with psycopg.connect(url, autocommit=True) as c:
        c.execute("DROP TABLE IF EXISTS bench_events")
        c.execute("CREATE TABLE bench_events " + EVENTS_TABLE.format(INT="BIGINT"))
        for index in EVENTS_INDEXES: c.execute(index.format(table="bench_events"))
    now = int(time.time() * 1000)
    all_batches = [b for d in range(devices) for b in raw_batches(f"dev{d}", per, batch, now)]
    ctx = multiprocessing.get_context("fork")
    ready, go, out = ctx.Semaphore(0), ctx.Event(), ctx.Queue()
    procs = [ctx.Process(target=raw_postgres_client, args=(url, all_batches[i::clients], ready, go, out)) for i in range(clients)]
    for p in procs: p.start()
    for _ in procs: ready.acquire()
    t = time.perf_counter(); go.set()
    for _ in procs: out.get()
    elapsed = time.perf_counter() - t
    for p in procs: p.join()
    with psycopg.connect(url, autocommit=True) as c:
        n = c.execute("SELECT count(*) FROM bench_events").fetchone()[0]
        c.execute("DROP TABLE bench_events")
    assert n == len(all_batches) * batch, n
    return n / elapsed

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
    ap.add_argument("--raw-clients", type=int, help="PostgreSQL raw: concurrent clients (default: --devices)")
    ap.add_argument("--skip-raw", action="store_true", help="HTTP only (e.g. to alternate builds, raw measured once)")
    ap.add_argument("--skip-http", action="store_true", help="raw only")
    ap.add_argument("--json", action="store_true", help="print the figures as one JSON object")
    ap.add_argument("--upload-minutes", action="store_true",
                    help="HTTP: each upload's events one minute after the previous upload's (ending now), like agents "
                         "uploading every minute, with the per-device request rate lifted; default: every event at the same time")
    a = ap.parse_args()
    exe = os.path.join(a.bin, "classroom-collector")
    per = a.events // a.devices // a.batch
    http_rate = raw = None
    if not a.skip_http:
        http_rate = http_ingest(a, exe, per)
    if a.skip_raw:
        pass
    elif a.db.startswith("sqlite:"):
        raw = raw_sqlite(os.path.join(tempfile.mkdtemp(), "raw.sqlite"), a.devices, per, a.batch, a.raw_synchronous)
    else:
        raw = raw_postgres(a.db.split("?")[0], a.devices, per, a.batch, a.raw_clients or a.devices)
    kind = f"SQLite (raw: 1 client, synchronous={a.raw_synchronous})" if a.db.startswith("sqlite:") else f"PostgreSQL (raw: {a.raw_clients or a.devices} clients, COPY + INSERT … SELECT)"
    if a.json:
        print(json.dumps({"store": kind, "http_events_per_s": round(http_rate) if http_rate is not None else None,
                          "raw_events_per_s": round(raw) if raw is not None else None,
                          "ratio": round(http_rate / raw, 3) if http_rate is not None and raw is not None else None,
                          "devices": a.devices, "batch": a.batch, "events": per * a.batch * a.devices}))
        return
    parts = [kind + ":"]
    if http_rate is not None: parts.append(f"HTTP end to end {http_rate:,.0f} events/s ({a.devices} agents, batches of {a.batch});")
    if raw is not None: parts.append(f"raw insert {raw:,.0f} events/s;")
    if http_rate is not None and raw is not None: parts.append(f"ratio {http_rate / raw:.0%}")
    print(" ".join(parts).rstrip(";"))

def http_ingest(a, exe, per):
    if a.db.startswith("sqlite:") and os.path.exists(a.db[7:]): os.remove(a.db[7:])
    token = subprocess.check_output([exe, "token", "create", "--role", "bureau_admin", "--name", "bench", "--db", a.db], text=True).strip()
    # A day of minutes is uploaded in seconds: lift the per-device request rate, which would refuse it.
    limits = ["--agent-requests-per-second", "10000", "--agent-request-burst", "10000"] if a.upload_minutes else []
    server = subprocess.Popen([exe, "serve", "--db", a.db, "--listen", f"127.0.0.1:{a.port}", "--log-level", "error"] + limits, stdout=subprocess.PIPE, text=True)
    try:
        server.stdout.readline()
        c = http.client.HTTPConnection("127.0.0.1", a.port)
        call(c, "PUT", "/api/v1/registry", token, {"files": {k: base64.b64encode(v.encode()).decode() for k, v in REGISTRY.items()}})
        et = call(c, "POST", "/api/v1/enrollment-tokens", token, {"school_id": "S1", "max_uses": a.devices, "expires_in_seconds": 3600})["token"]
        creds = [call(c, "POST", "/api/v1/agent/enroll", None, {"token": et, "room_id": f"R{i + 1}", "public_key": base64.b64encode(bytes(32)).decode(), "hostname": f"pc{i}", "agent_version": "0.1.0"})["credential"] for i in range(a.devices)]
        now = int(time.time() * 1000)
        # --upload-minutes: upload b holds minute b of the agents' past (the last upload now), as agents
        # uploading every minute would; the collector's read models then see a new minute on every upload.
        bodies = [json.dumps(upload(b, a.batch, now, now - (per - 1 - b) * 60_000 if a.upload_minutes else None)) for b in range(per)]
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
        return per * a.batch * a.devices / (time.perf_counter() - t)
    finally:
        server.terminate(); server.wait()

if __name__ == "__main__":
    main()
