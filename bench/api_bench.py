#!/usr/bin/env python3
"""Measures a running dealerd through its API: dealer creation and lookup throughput and latency.

Usage: bench/api_bench.py BASE_URL API_KEY [--dealers N] [--workers W] [--seconds S]
Python's standard library only, keep-alive connections, one per worker thread. On a 2-core machine
the client shares the CPU with the server: figures are a floor, not the server's ceiling.
"""
import argparse, http.client, json, statistics, threading, time, urllib.parse, uuid

from harness import percentile

INNS = ["7707083893", "7736050003", "7702070139", "7728168971", "7710140679", "7830002293", "6663003127"]


def worker(base, key, jobs, results, lock):
    url = urllib.parse.urlparse(base)
    conn = http.client.HTTPConnection(url.hostname, url.port, timeout=30)
    headers = {"Authorization": f"Bearer {key}", "Content-Type": "application/json"}
    while True:
        with lock:
            if not jobs:
                break
            method, path, body = jobs.pop()
        started = time.perf_counter()
        conn.request(method, path, body=body, headers=headers)
        response = conn.getresponse()
        payload = response.read()
        elapsed = time.perf_counter() - started
        with lock:
            results.append((response.status, elapsed, payload))
    conn.close()


def run(base, key, jobs, workers):
    results, lock = [], threading.Lock()
    threads = [threading.Thread(target=worker, args=(base, key, jobs, results, lock)) for _ in range(workers)]
    started = time.perf_counter()
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    return results, time.perf_counter() - started


def report(name, results, seconds):
    latencies = [elapsed * 1000 for _, elapsed, _ in results]
    failures = sum(1 for status, _, _ in results if status >= 400)
    print(f"{name:<28} {len(results):>7} requests {len(results) / seconds:>8.0f}/s   "
          f"p50 {percentile(latencies, 0.50):6.2f} ms   p99 {percentile(latencies, 0.99):6.2f} ms   errors {failures}")


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("base")
    parser.add_argument("key")
    parser.add_argument("--dealers", type=int, default=2000)
    parser.add_argument("--workers", type=int, default=8)
    parser.add_argument("--lookups", type=int, default=20000)
    args = parser.parse_args()

    run_id = uuid.uuid4().hex[:6]
    creates = [("POST", "/v1/dealers", json.dumps({
        "code": f"B-{run_id}-{i}", "name": f"Дилер {run_id} {i}", "tax_id": INNS[i % len(INNS)], "region": "Москва",
        "segment": "cars", "attributes": {"showroom_area_m2": 100 + i % 200, "own_warehouse": i % 2 == 0}}))
        for i in range(args.dealers)]
    results, seconds = run(args.base, args.key, creates, args.workers)
    report("POST /v1/dealers", results, seconds)
    ids = [json.loads(payload)["id"] for status, _, payload in results if status == 201]

    lookups = [("GET", f"/v1/dealers/{ids[i % len(ids)]}", None) for i in range(args.lookups)]
    results, seconds = run(args.base, args.key, lookups, args.workers)
    report("GET /v1/dealers/{id}", results, seconds)

    searches = [("GET", f"/v1/dealers?q={urllib.parse.quote('дилер ' + run_id)}&limit=50", None) for _ in range(args.lookups // 10)]
    results, seconds = run(args.base, args.key, searches, args.workers)
    report("GET /v1/dealers?q=…", results, seconds)


if __name__ == "__main__":
    main()
