#!/usr/bin/env python3
"""Measures receivables on a dealerd release build: batch ingestion, the credit check, the scan.

Usage: bench/receivables_bench.py DEALERD_BINARY DATABASE_URL [--dealers N] [--entries-per-dealer M]
       [--rate R] [--seconds S]

Seeds N dealers (default 10,000) with a credit policy each and N×M ledger entries (default 100 each:
1,000,000) through POST /v1/ledger/batch (5,000 per batch, --clients connections (default 2) each
sending the documents of its share of the dealers in date order), then runs credit checks open loop at R per second
(default 1,000) for S seconds over keep-alive connections, latency measured from each request's
scheduled time, and the credit-scan job once through the CLI. Python's standard library only; the
client shares the 2 cores with dealerd and the database, so the figures are a floor.
"""
import argparse, datetime, http.client, json, os, random, signal, socket, statistics, subprocess, sys, threading, time

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import open_loop
from harness import free_port, percentile

INNS = ["7707083893", "7736050003", "7702070139", "7728168971", "7710140679", "7830002293", "6663003127"]
RUN = format(int(time.time() * 1000) % 10**8, "x")


class Client:
    def __init__(self, port, key):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=120)
        self.headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}

    def call(self, method, path, body=None, raw=None):
        self.conn.request(method, path, body=raw if raw is not None else json.dumps(body) if body is not None else None, headers=self.headers)
        response = self.conn.getresponse()
        payload = response.read()
        if response.status >= 300:
            sys.exit(f"{method} {path}: {response.status} {payload[:300]}")
        return json.loads(payload) if payload else None


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("url")
    parser.add_argument("--dealers", type=int, default=10000)
    parser.add_argument("--entries-per-dealer", type=int, default=100)
    parser.add_argument("--rate", type=int, default=1000)
    parser.add_argument("--clients", type=int, default=2)
    parser.add_argument("--reuse", action="store_true", help="skip seeding: measure the check and the scan on a seeded database")
    parser.add_argument("--seconds", type=int, default=20)
    args = parser.parse_args()

    env = dict(os.environ, DEALERD_DATABASE_URL=args.url, DEALERD_LOG_LEVEL="warning")
    key = subprocess.check_output([args.binary, "apikey", "create", "--name", f"rc-bench-{RUN}", "--role", "admin"], env=env, text=True).strip()
    port = free_port()
    server = subprocess.Popen([args.binary, "serve"], env=dict(env, DEALERD_HTTP_PORT=str(port)),
                              stdout=subprocess.DEVNULL, stderr=subprocess.DEVNULL)
    try:
        while True:
            try:
                c = http.client.HTTPConnection("127.0.0.1", port, timeout=1)
                c.request("GET", "/readyz")
                if c.getresponse().status == 200:
                    break
            except OSError:
                pass
            time.sleep(0.01)
        client = Client(port, key)
        if args.reuse:
            # Measure again on a database an earlier run seeded: its dealers, page by page.
            ids, cursor = [], ""
            while True:
                page = client.call("GET", "/v1/dealers?limit=200" + (f"&cursor={cursor}" if cursor else ""))
                ids += [d["id"] for d in page["items"]]
                cursor = page.get("next_cursor")
                if not cursor:
                    break
            entries = [None] * (len(ids) * args.entries_per_dealer)
            print(f"  reusing {len(ids)} dealers")
        else:
            began = time.perf_counter()
            # Accredited dealers with terms, seeded by 8 client threads (the seeding is not measured).
            ids = [None] * args.dealers
            def seed(part):
                c = Client(port, key)
                for i in range(part, args.dealers, 8):
                    dealer = c.call("POST", "/v1/dealers", {"code": f"RB-{RUN}-{i}", "name": f"Дилер {i}", "tax_id": INNS[i % len(INNS)],
                                                            "region": "Москва", "segment": "cars"})
                    for status in ("applicant", "accredited"):
                        c.call("POST", f"/v1/dealers/{dealer['id']}/status", {"status": status, "reason": "бенчмарк"})
                    c.call("PUT", f"/v1/dealers/{dealer['id']}/credit-policy",
                           {"limit": str(random.randint(2, 20) * 1_000_000), "grace_days": 5, "reason": "бенчмарк"})
                    ids[i] = dealer["id"]
            threads = [threading.Thread(target=seed, args=(part,)) for part in range(8)]
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            print(f"  seeded {len(ids)} accredited dealers with a credit policy each in {time.perf_counter() - began:.0f} s")
            # A year of documents, oldest first: each payment settles the shipment before it, so what a
            # dealer owes is its latest shipment or two (mostly not yet due); every 20th dealer stopped
            # paying two months ago, so a share of the checks find overdue debt and block.
            entries = []
            today = datetime.date.today()
            for j in range(args.entries_per_dealer):
                day = today - datetime.timedelta(days=(args.entries_per_dealer - 1 - j) * 330 // max(1, args.entries_per_dealer - 1))
                for i, dealer in enumerate(ids):
                    shipment = j % 2 == 0 or j == args.entries_per_dealer - 1 or (i % 20 == 0 and day > today - datetime.timedelta(days=60))
                    amount = 1000 + (i * 7919 + (j - (0 if shipment else 1)) * 104729) % 900000
                    entries.append({"dealer_id": dealer, "external_id": f"RB-{RUN}-{i}-{j}", "kind": "shipment" if shipment else "payment",
                                    "document_number": str(j), "document_date": day.isoformat(), "amount": f"{amount}.00"})
            # Each client pushes the documents of its share of the dealers (dealer index modulo clients),
            # in date order, 5,000 per batch: as an ERP sending one stream per region would.
            # Bodies are encoded before the clock starts: Python's json is not what is measured.
            parts = [[e for k, e in enumerate(entries) if (k % len(ids)) % args.clients == part] for part in range(args.clients)]
            bodies = [[json.dumps({"entries": part[start:start + 5000]}).encode() for start in range(0, len(part), 5000)] for part in parts]
            def push(batches):
                c = Client(port, key)
                for body in batches:
                    c.call("POST", "/v1/ledger/batch", raw=body)
            threads = [threading.Thread(target=push, args=(batches,)) for batches in bodies]
            began = time.perf_counter()
            for t in threads:
                t.start()
            for t in threads:
                t.join()
            elapsed = time.perf_counter() - began
            print(f"  batch ingestion: {len(entries)} entries in {elapsed:.1f} s = {len(entries) / elapsed:,.0f} entries/s "
                  f"(5,000 per batch, {args.clients} client(s) each sending a share of the dealers in date order; "
                  f"idempotency, projection and alerts included)")

        # Warm the connection pools, then the measured run.
        def request(i):
            body = b'{"amount": "150000.00"}'
            return (f"POST /v1/dealers/{random.choice(ids)}/credit-check HTTP/1.1\r\nHost: 127.0.0.1\r\n"
                    f"Authorization: Bearer {key}\r\nContent-Type: application/json\r\nContent-Length: {len(body)}\r\n\r\n").encode() + body
        open_loop.run("127.0.0.1", port, request, rate=200, seconds=2)
        decisions = {}
        def decision(status, body, latency):
            try:
                d = json.loads(body)["decision"]
            except Exception:
                d = str(status)
            decisions.setdefault(d, []).append(latency)
        latencies, failures, elapsed = open_loop.run("127.0.0.1", port, request, rate=args.rate, seconds=args.seconds, on_answer=decision)
        print(f"  credit check, open loop at {args.rate}/s for {args.seconds} s: {len(latencies)} answered in {elapsed:.1f} s, "
              f"p50 {statistics.median(latencies):.2f} ms, p99 {percentile(latencies, 0.99):.2f} ms, "
              f"max {max(latencies):.1f} ms, failures {len(failures)}")
        for d, values in sorted(decisions.items()):
            print(f"    {d}: {len(values)} answers, p50 {statistics.median(values):.2f} ms, p99 {percentile(values, 0.99):.2f} ms"
                  + (" (each writes credit.shipment_blocked: a committed transaction)" if d == "block" else ""))
    finally:
        server.send_signal(signal.SIGTERM)
        server.wait()
    for attempt in (1, 2):
        began = time.perf_counter()
        out = subprocess.check_output([args.binary, "jobs", "run", "credit-scan"], env=env, stderr=subprocess.DEVNULL, text=True)
        print(f"  credit-scan over {args.dealers} dealers / {len(entries)} entries, run {attempt}: {out.strip()}; "
              f"{time.perf_counter() - began:.2f} s with the CLI's process start")


if __name__ == "__main__":
    main()
