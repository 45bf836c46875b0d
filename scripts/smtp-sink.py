#!/usr/bin/env python3
"""A real SMTP server on loopback (aiosmtpd) that keeps what it receives: one JSON
line per message in OUT, with the envelope, the decoded headers and the text body.
Tests start it; so can anyone trying `sambandh outbox send` without a mail server.

    python3 scripts/smtp-sink.py --port 2525 --out /tmp/mail.jsonl [--delay-ms 20] [--envelope-only]

--envelope-only keeps the envelope and the size, not the parsed message: for
benchmarks, where parsing every message would make the sink the bottleneck.

It prints "ready <port>" on standard output once it listens (port 0 picks a free one).
"""

import argparse
import asyncio
import email
import email.policy
import json
import signal
import socket
import sys

from aiosmtpd.controller import Controller


class Keep:
    def __init__(self, out, delay, envelope_only):
        self.out = open(out, "a", encoding="utf-8")
        self.delay = delay
        self.envelope_only = envelope_only

    async def handle_DATA(self, server, session, envelope):
        if self.delay:
            await asyncio.sleep(self.delay)
        if self.envelope_only:
            record = {"mail_from": envelope.mail_from, "rcpt_tos": envelope.rcpt_tos, "size": len(envelope.content)}
            self.out.write(json.dumps(record) + "\n")
            self.out.flush()
            return "250 OK"
        message = email.message_from_bytes(envelope.content, policy=email.policy.default)
        body = message.get_body(preferencelist=("plain",))
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "headers": {name: str(value) for name, value in message.items()},
            "body": body.get_content() if body is not None else "",
        }
        self.out.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.out.flush()
        return "250 OK"


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--port", type=int, default=0)
    parser.add_argument("--out", required=True)
    parser.add_argument("--delay-ms", type=int, default=0)
    parser.add_argument("--envelope-only", action="store_true")
    args = parser.parse_args()
    port = args.port
    if port == 0:
        with socket.socket() as probe:
            probe.bind(("127.0.0.1", 0))
            port = probe.getsockname()[1]
    controller = Controller(Keep(args.out, args.delay_ms / 1000, args.envelope_only), hostname="127.0.0.1", port=port)
    controller.start()
    print(f"ready {port}", flush=True)
    signal.sigwait([signal.SIGTERM, signal.SIGINT])
    controller.stop()


if __name__ == "__main__":
    sys.exit(main())
