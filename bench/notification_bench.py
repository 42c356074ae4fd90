#!/usr/bin/env python3
"""Measures notification dispatch of a dealerd release build: e-mail to an SMTP server on loopback
(aiosmtpd, in this process) and Telegram to a fake Bot API on loopback (in this process).

Usage: bench/notification_bench.py DEALERD_BINARY DATABASE_URL [--messages N] [--chats N]
Run it with a Python that has aiosmtpd (scripts/test's venv: .build/test-python/bin/python).

1. E-mail throughput: N limit breaches are committed while notifications are off
   (DEALERD_NOTIFICATIONS_ENABLED=false), then dealerd starts with them on; messages/s = N / (start
   → last arrival), fan-out included. Once with smtp.max_per_second 0 (no cap), once at the shipped 20.
2. E-mail latency when idle: breaches one at a time; commit to arrival = the letter's arrival at the
   SMTP server − the ledger write's answer (the commit is just before it). p50 and p99.
3. Telegram throughput: CHATS managers link a chat each through the bot (/start CODE by getUpdates),
   then N breaches spread over their dealers go out as sendMessage; messages/s against the
   configured cap (telegram.max_per_second 25 overall, one a second per chat).
Everything shares the 2 cores with dealerd.
"""
import argparse, http.client, http.server, json, os, statistics, subprocess, sys, threading, time

from aiosmtpd.controller import Controller

from harness import free_port, percentile, start, stop

INNS = ["7707083893", "7736050003", "7702070139", "7728168971", "7710140679", "7830002293", "6663003127"]
RUN = format(int(time.time() * 1000) % 10**8, "x")
TOKEN = "123456:BENCH-token"

mail = []
telegram = []
updates = []
lock = threading.Lock()


class Sink:
    async def handle_DATA(self, server, session, envelope):
        with lock:
            mail.append((time.time(), envelope.rcpt_tos))
        return "250 OK"


class FakeBotAPI(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"

    def do_POST(self):
        body = json.loads(self.rfile.read(int(self.headers["content-length"] or 0)) or b"{}")
        method = self.path.rsplit("/", 1)[-1]
        if method == "getUpdates":
            offset = int(body.get("offset", 0))
            deadline = time.time() + min(float(body.get("timeout", 0)), 1.0)
            while True:
                with lock:
                    pending = [u for u in updates if u["update_id"] >= offset]
                if pending or time.time() >= deadline:
                    break
                time.sleep(0.05)
            self.answer({"ok": True, "result": pending})
        elif method == "sendMessage":
            with lock:
                telegram.append((time.time(), str(body.get("chat_id")), body.get("text", "")))
                count = len(telegram)
            self.answer({"ok": True, "result": {"message_id": count}})
        else:
            self.answer({"ok": False, "error_code": 404, "description": "Not Found"})

    def answer(self, payload):
        data = json.dumps(payload).encode()
        self.send_response(200)
        self.send_header("content-type", "application/json")
        self.send_header("content-length", str(len(data)))
        self.end_headers()
        self.wfile.write(data)

    def log_message(self, *args):
        pass


def serve(binary, url, port, env):
    """dealerd with nothing held back by the clock: no quiet hours, no scheduled jobs."""
    return start(binary, url, port, {"DEALERD_NOTIFICATIONS_QUIET_HOURS": "none", "DEALERD_SCHEDULER_ENABLED": "false", **env})


class API:
    def __init__(self, port, key):
        self.conn = http.client.HTTPConnection("127.0.0.1", port, timeout=60)
        self.key = key

    def call(self, method, path, body=None):
        self.conn.request(method, path, body=json.dumps(body) if body is not None else None,
                          headers={"authorization": "Bearer " + self.key, "content-type": "application/json"})
        reply = self.conn.getresponse()
        data = reply.read()
        if reply.status >= 300:
            sys.exit(f"{method} {path}: {reply.status} {data[:300]!r}")
        return json.loads(data) if data else None


def dealers(api, count, managers, tag):
    """`count` dealers spread over `managers`, each with a limit of 100 ₽: a 1,000 ₽ shipment breaches it."""
    made = {}
    for i in range(count):
        code = f"N{RUN}{tag}{i}"
        made[code] = api.call("POST", "/v1/dealers", {"code": code, "name": f"Дилер {code}", "tax_id": INNS[i % len(INNS)],
                                                      "manager_id": managers[i % len(managers)]})["id"]
    return made


def policies(api, made):
    for dealer in made.values():
        api.call("PUT", f"/v1/dealers/{dealer}/credit-policy", {"limit": "100.00", "reason": "bench"})


def policies_and_breaches(api, made):
    policies(api, made)
    codes = list(made)
    for chunk in range(0, len(codes), 500):
        api.call("POST", "/v1/ledger/batch", {"entries": [
            {"dealer_code": code, "external_id": f"{code}-1", "kind": "shipment", "document_number": f"{code}-1",
             "document_date": time.strftime("%Y-%m-%d"), "amount": "1000.00"} for code in codes[chunk:chunk + 500]]})


def wait_for(collection, count, limit=600):
    deadline = time.time() + limit
    while time.time() < deadline:
        with lock:
            if len(collection) >= count:
                return True
        time.sleep(0.01)
    return False


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("binary")
    parser.add_argument("database")
    parser.add_argument("--messages", type=int, default=1000)
    parser.add_argument("--chats", type=int, default=50)
    parser.add_argument("--samples", type=int, default=50)
    args = parser.parse_args()

    smtp_port = free_port()
    controller = Controller(Sink(), hostname="127.0.0.1", port=smtp_port)
    controller.start()
    bot_port = free_port()
    bot = http.server.ThreadingHTTPServer(("127.0.0.1", bot_port), FakeBotAPI)
    threading.Thread(target=bot.serve_forever, daemon=True).start()

    port = free_port()
    key = subprocess.run([args.binary, "apikey", "create", "--name", f"bench-{RUN}", "--role", "admin"], check=True,
                         capture_output=True, text=True, env=dict(os.environ, DEALERD_DATABASE_URL=args.database)).stdout.strip()
    smtp = {"DEALERD_NOTIFICATIONS_SMTP_HOST": "127.0.0.1", "DEALERD_NOTIFICATIONS_SMTP_PORT": str(smtp_port),
            "DEALERD_NOTIFICATIONS_SMTP_SECURITY": "none", "DEALERD_NOTIFICATIONS_SMTP_FROM": "dealerd@bench.example"}

    # 1. E-mail throughput, uncapped and at the shipped cap.
    for cap, count in (("0", args.messages), ("20", min(args.messages, 200))):
        server = serve(args.binary, args.database, port, {**smtp, "DEALERD_NOTIFICATIONS_ENABLED": "false"})
        api = API(port, key)
        manager = api.call("POST", "/v1/managers", {"name": "Бенч", "email": f"m{RUN}{cap}@bench.example",
                                                     "role": "existing_clients"})["id"]
        policies_and_breaches(api, dealers(api, count, [manager], "e" + cap))
        stop(server)
        with lock:
            mail.clear()
        began = time.time()
        server = serve(args.binary, args.database, port, {**smtp, "DEALERD_NOTIFICATIONS_SMTP_MAX_PER_SECOND": cap})
        complete = wait_for(mail, count)
        with lock:
            last = mail[-1][0] if mail else began
            arrived = len(mail)
        print(f"  e-mail, smtp.max_per_second {cap} ({'no cap' if cap == '0' else 'shipped'}): {arrived} of {count} letters "
              f"in {last - began:.2f} s from start = {arrived / max(last - began, 1e-9):.0f} messages/s"
              + ("" if complete else " (incomplete)"))
        if cap == "0":
            # 2. Latency when idle, on the same running server (a new connection: the old one was to the last process).
            api = API(port, key)
            lags = []
            made = dealers(api, args.samples, [manager], "l")
            policies(api, made)
            for code in made:
                with lock:
                    before = len(mail)
                api.call("POST", "/v1/ledger/batch", {"entries": [
                    {"dealer_code": code, "external_id": f"{code}-1", "kind": "shipment", "document_number": f"{code}-1",
                     "document_date": time.strftime("%Y-%m-%d"), "amount": "1000.00"}]})
                committed = time.time()
                if wait_for(mail, before + 1, limit=30):
                    with lock:
                        lags.append((mail[before][0] - committed) * 1000)
            if lags:
                print(f"  e-mail, commit to arrival when idle ({len(lags)} samples): p50 {statistics.median(lags):.1f} ms, "
                      f"p99 {percentile(lags, 0.99):.1f} ms")
        stop(server)

    # 3. Telegram throughput over many chats.
    tg = {"DEALERD_NOTIFICATIONS_TELEGRAM_BOT_NAME": "bench_bot", "DEALERD_NOTIFICATIONS_TELEGRAM_API_URL": f"http://127.0.0.1:{bot_port}",
          "DEALERD_NOTIFICATIONS_TELEGRAM_POLL": "true", "DEALERD_TELEGRAM_TOKEN": TOKEN}
    server = serve(args.binary, args.database, port, tg)
    api = API(port, key)
    managers = []
    for i in range(args.chats):
        manager = api.call("POST", "/v1/managers", {"name": f"Чат {i}", "email": f"t{RUN}{i}@bench.example",
                                                     "role": "existing_clients"})["id"]
        link = api.call("POST", f"/v1/managers/{manager}/telegram-link")["url"]
        with lock:
            updates.append({"update_id": len(updates) + 1, "message": {
                "message_id": 1, "text": "/start " + link.rsplit("start=", 1)[-1],
                "chat": {"id": 900000 + i, "type": "private"}, "from": {"id": 900000 + i, "username": f"u{i}"}}})
        managers.append(manager)
    if not wait_for(telegram, args.chats, limit=120):
        sys.exit("the chats did not all get their link confirmation")
    stop(server)
    server = serve(args.binary, args.database, port, {**tg, "DEALERD_NOTIFICATIONS_ENABLED": "false"})
    api = API(port, key)
    policies_and_breaches(api, dealers(api, args.messages, managers, "t"))
    stop(server)
    with lock:
        telegram.clear()
    began = time.time()
    server = serve(args.binary, args.database, port, tg)
    complete = wait_for(telegram, args.messages)
    with lock:
        last = telegram[-1][0] if telegram else began
        arrived = len(telegram)
    stop(server)
    print(f"  telegram, {args.chats} chats, max_per_second 25: {arrived} of {args.messages} messages in {last - began:.2f} s "
          f"from start = {arrived / max(last - began, 1e-9):.1f} messages/s" + ("" if complete else " (incomplete)"))
    controller.stop()
    bot.shutdown()


if __name__ == "__main__":
    main()
