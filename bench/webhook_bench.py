#!/usr/bin/env python3
"""Measures webhook dispatch of a dealerd release build against a receiver on loopback.

Usage: bench/webhook_bench.py DEALERD_BINARY DATABASE_URL [--events N] [--samples N]

1. Throughput: N events are committed while the dispatcher is off (DEALERD_WEBHOOKS_ENABLED=false),
   then dealerd starts with it on; deliveries/s = N / (first start → last arrival), fan-out included.
2. Latency when idle: dealers created one at a time; commit-to-first-attempt = arrival at the
   receiver − the event's timestamp (its commit time, same clock). p50 and p99.
The receiver is Python's threading HTTP server with keep-alive; it shares the 2 cores with dealerd.
"""
import argparse, http.client, http.server, json, os, statistics, subprocess, sys, threading, time
from datetime import datetime

from harness import free_port, percentile, start, stop

INNS = ["7707083893", "7736050003", "7702070139", "7728168971", "7710140679", "7830002293", "6663003127"]
arrivals = []
lock = threading.Lock()
RUN = format(int(time.time() * 1000) % 10**8, "x")  # dealer codes unique across runs on one database


class Receiver(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = self.rfile.read(int(self.headers["content-length"]))
        now = time.time()
        with lock:
            arrivals.append((now, self.headers["webhook-id"], body))
        self.send_response(204)
        self.send_header("content-length", "0")
        self.end_headers()

    def log_message(self, *args):
        pass


def webhooks(dispatch):
    return {"DEALERD_WEBHOOKS_ALLOWED_HOSTS": "127.0.0.1", "DEALERD_WEBHOOKS_ENABLED": "true" if dispatch else "false"}


def api(port, key, method, path, body=None):
    conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
    conn.request(method, path, body=json.dumps(body) if body is not None else None,
                 headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
    response = conn.getresponse()
    payload = response.read()
    if response.status >= 300:
        sys.exit(f"{method} {path}: {response.status} {payload[:300]}")
    return json.loads(payload) if payload else None


def create_dealers(port, key, start_index, count, workers=8):
    def work(indices):
        conn = http.client.HTTPConnection("127.0.0.1", port, timeout=30)
        for i in indices:
            body = {"code": f"W-{RUN}-{i}", "name": f"Дилер {i}", "tax_id": INNS[i % len(INNS)], "region": "Москва"}
            conn.request("POST", "/v1/dealers", body=json.dumps(body),
                         headers={"Authorization": f"Bearer {key}", "Content-Type": "application/json"})
            response = conn.getresponse()
            response.read()
            assert response.status == 201, response.status
    indices = list(range(start_index, start_index + count))
    threads = [threading.Thread(target=work, args=(indices[w::workers],)) for w in range(workers)]
    for t in threads:
        t.start()
    for t in threads:
        t.join()


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("url")
    parser.add_argument("--events", type=int, default=5000)
    parser.add_argument("--samples", type=int, default=200)
    args = parser.parse_args()

    receiver = http.server.ThreadingHTTPServer(("127.0.0.1", 0), Receiver)
    threading.Thread(target=receiver.serve_forever, daemon=True).start()
    hook = f"http://127.0.0.1:{receiver.server_address[1]}/hook"
    port = free_port()
    env = dict(os.environ, DEALERD_DATABASE_URL=args.url)
    key = subprocess.check_output([args.binary, "apikey", "create", "--name", f"wh-bench-{time.time()}", "--role", "admin"],
                                  env=env, text=True).strip()

    process = start(args.binary, args.url, port, webhooks(False))
    api(port, key, "POST", "/v1/webhooks/endpoints", {"url": hook, "event_types": ["dealer.created"]})
    create_dealers(port, key, 0, args.events)
    stop(process)
    began = time.time()
    process = start(args.binary, args.url, port, webhooks(True))
    while True:
        with lock:
            if len(arrivals) >= args.events:
                break
        if time.time() - began > 300:
            sys.exit(f"only {len(arrivals)} of {args.events} deliveries arrived in 300 s")
        time.sleep(0.01)
    elapsed = max(a[0] for a in arrivals) - began
    ids = {a[1] for a in arrivals}
    print(f"  throughput: {args.events} deliveries in {elapsed:.2f} s = {args.events / elapsed:.0f}/s "
          f"(from process start, fan-out included; duplicates {len(arrivals) - len(ids)})")

    with lock:
        arrivals.clear()
    lags = []
    for i in range(args.samples):
        create_dealers(port, key, args.events + i, 1, workers=1)
        deadline = time.time() + 5
        while time.time() < deadline:
            with lock:
                if arrivals:
                    arrived, _, body = arrivals.pop()
                    break
            time.sleep(0.0005)
        else:
            sys.exit("a delivery did not arrive within 5 s")
        occurred = datetime.fromisoformat(json.loads(body)["timestamp"].replace("Z", "+00:00")).timestamp()
        lags.append((arrived - occurred) * 1000)
        time.sleep(0.02)
    print(f"  commit to first attempt (idle, {args.samples} events): p50 {statistics.median(lags):.1f} ms, "
          f"p99 {percentile(lags, 0.99):.1f} ms, max {max(lags):.1f} ms")
    stop(process)


if __name__ == "__main__":
    main()
