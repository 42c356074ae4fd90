#!/usr/bin/env python3
"""A real SMTP server on loopback for dealerd's tests (aiosmtpd), with STARTTLS or implicit TLS and
AUTH. Every message it accepts is parsed with Python's email package and appended to --out as one
JSON line: the envelope, the decoded headers, the text and HTML parts and the attachments (saved
under --attachments). Prints "ready PORT" once it listens; runs until killed."""
import argparse, json, os, ssl, sys, time
from email import policy
from email.parser import BytesParser

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Sink:
    def __init__(self, out, attachments, refuse):
        self.out, self.attachments, self.refuse = out, attachments, set(refuse)

    async def handle_RCPT(self, server, session, envelope, address, rcpt_options):
        if address.lower() in self.refuse:
            return "550 5.1.1 no such mailbox"
        envelope.rcpt_tos.append(address)
        return "250 OK"

    async def handle_DATA(self, server, session, envelope):
        message = BytesParser(policy=policy.default).parsebytes(envelope.original_content or envelope.content)
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": session.ssl is not None,
            "auth": session.authenticated,
            "subject": str(message["subject"]),
            "from": str(message["from"]),
            "to": str(message["to"]),
            "message_id": str(message["message-id"]),
            "date": str(message["date"]),
            "list_unsubscribe": message["list-unsubscribe"] and str(message["list-unsubscribe"]),
            "content_type": message.get_content_type(),
            "text": None,
            "html": None,
            "attachments": [],
        }
        raw_headers = (envelope.original_content or envelope.content).split(b"\r\n\r\n", 1)[0].decode("ascii", "replace")
        record["raw_headers"] = raw_headers
        text = message.get_body(preferencelist=("plain",))
        html = message.get_body(preferencelist=("html",))
        record["text"] = text.get_content() if text else None
        record["html"] = html.get_content() if html else None
        for part in message.iter_attachments():
            data = part.get_payload(decode=True) or b""
            path = os.path.join(self.attachments, f"{int(time.time() * 1000)}-{part.get_filename()}")
            with open(path, "wb") as handle:
                handle.write(data)
            record["attachments"].append(
                {"filename": part.get_filename(), "content_type": part.get_content_type(), "size": len(data), "path": path})
        with open(self.out, "a", encoding="utf-8") as handle:
            handle.write(json.dumps(record, ensure_ascii=False) + "\n")
        return "250 2.0.0 queued as " + str(len(record["rcpt_tos"])) + "-" + str(int(time.time() * 1000))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, required=True)
    parser.add_argument("--out", required=True)
    parser.add_argument("--attachments", required=True)
    parser.add_argument("--cert")
    parser.add_argument("--key")
    parser.add_argument("--mode", choices=["starttls", "tls", "none"], default="starttls")
    parser.add_argument("--user", default="dealerd")
    parser.add_argument("--password", default="")
    parser.add_argument("--refuse", action="append", default=[])
    args = parser.parse_args()
    os.makedirs(args.attachments, exist_ok=True)

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = isinstance(auth_data, LoginPassword) and auth_data.login.decode() == args.user and auth_data.password.decode() == args.password
        return AuthResult(success=ok)

    context = None
    if args.mode != "none":
        context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
        context.load_cert_chain(args.cert, args.key)
    kwargs = dict(hostname="127.0.0.1", port=args.port, authenticator=authenticator, auth_require_tls=args.mode != "none",
                  server_hostname="localhost")
    if args.mode == "starttls":
        kwargs.update(tls_context=context, require_starttls=True)
    elif args.mode == "tls":
        kwargs.update(ssl_context=context)
    controller = Controller(Sink(args.out, args.attachments, [r.lower() for r in args.refuse]), **kwargs)
    controller.start()
    print(f"ready {args.port}", flush=True)
    try:
        while True:
            time.sleep(3600)
    finally:
        controller.stop()


if __name__ == "__main__":
    main()
