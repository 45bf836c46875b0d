#!/usr/bin/env python3
"""An SMTP server over TLS on loopback (aiosmtpd), for tests/smtp_tls.rs: implicit TLS
(--mode smtps) or STARTTLS required before anything else (--mode starttls), AUTH
required (--user, --password), and one JSON line per message received in OUT, with the
envelope, whether the session was encrypted, who logged in, and the raw message.

    python3 smtp_tls_sink.py --mode smtps --cert cert.pem --key key.pem --user U --password P --out mail.jsonl

It prints "ready <port>" on standard output once it listens on 127.0.0.1.
"""

import argparse
import json
import signal
import socket
import ssl
import logging
import sys

from aiosmtpd.controller import Controller
from aiosmtpd.smtp import AuthResult, LoginPassword


class Keep:
    def __init__(self, out):
        self.out = open(out, "a", encoding="utf-8")

    async def handle_DATA(self, server, session, envelope):
        record = {
            "mail_from": envelope.mail_from,
            "rcpt_tos": envelope.rcpt_tos,
            "tls": server.transport.get_extra_info("ssl_object") is not None,
            "login": session.auth_data.login.decode() if isinstance(session.auth_data, LoginPassword) else None,
            "raw": envelope.content.decode("utf-8", "replace"),
        }
        self.out.write(json.dumps(record, ensure_ascii=False) + "\n")
        self.out.flush()
        return "250 OK"


def main():
    # aiosmtpd itself sets the deprecated Session.login_data, and logs a warning each time.
    logging.getLogger("mail.log").setLevel(logging.ERROR)
    parser = argparse.ArgumentParser()
    parser.add_argument("--mode", choices=["smtps", "starttls"], required=True)
    parser.add_argument("--cert", required=True)
    parser.add_argument("--key", required=True)
    parser.add_argument("--user", required=True)
    parser.add_argument("--password", required=True)
    parser.add_argument("--out", required=True)
    args = parser.parse_args()

    def authenticator(server, session, envelope, mechanism, auth_data):
        ok = (
            isinstance(auth_data, LoginPassword)
            and auth_data.login.decode() == args.user
            and auth_data.password.decode() == args.password
        )
        return AuthResult(success=ok, handled=False, auth_data=auth_data)

    context = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    context.load_cert_chain(args.cert, args.key)
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    if args.mode == "smtps":
        # aiosmtpd does not count implicit TLS as TLS for auth_require_tls.
        options = dict(ssl_context=context, authenticator=authenticator, auth_require_tls=False)
    else:
        options = dict(tls_context=context, require_starttls=True, authenticator=authenticator, auth_require_tls=True)
    controller = Controller(Keep(args.out), hostname="127.0.0.1", port=port, **options)
    controller.start()
    print(f"ready {port}", flush=True)
    signal.sigwait([signal.SIGTERM, signal.SIGINT])
    controller.stop()


if __name__ == "__main__":
    sys.exit(main())
