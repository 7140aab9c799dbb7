#!/usr/bin/env python3
"""A webhook receiver for tests/integration/webhook_test.cpp, run as a process of its own.

usage: webhook_receiver.py PORT PORT_FILE LOG_FILE SECRET_FILE STATUS_FILE

Listens on 127.0.0.1:PORT (0 picks one, written to PORT_FILE once listening). Every POST is
answered with the status in STATUS_FILE (200 when the file is missing or empty) and logged
as one JSON line in LOG_FILE: path, answered status, the Parley-Webhook-* headers, whether
the signature verifies with the secret in SECRET_FILE (HMAC-SHA256 over
"<timestamp>.<body>", as docs/api.md tells receivers to check it), and the parsed body.
"""
import hashlib
import hmac
import http.server
import json
import os
import sys

port, port_file, log_file, secret_file, status_file = sys.argv[1:6]


def read(path, default=""):
    try:
        with open(path, encoding="utf-8") as f:
            return f.read().strip()
    except FileNotFoundError:
        return default


class Handler(http.server.BaseHTTPRequestHandler):
    def do_POST(self):
        body = self.rfile.read(int(self.headers.get("Content-Length", "0")))
        status = int(read(status_file) or "200")
        timestamp = self.headers.get("Parley-Webhook-Timestamp", "")
        signature = self.headers.get("Parley-Webhook-Signature", "")
        secret = read(secret_file)
        expected = "v1=" + hmac.new(secret.encode(), timestamp.encode() + b"." + body,
                                    hashlib.sha256).hexdigest()
        entry = {
            "path": self.path,
            "status": status,
            "id": self.headers.get("Parley-Webhook-Id", ""),
            "timestamp": timestamp,
            "signature_ok": hmac.compare_digest(expected, signature),
            "content_type": self.headers.get("Content-Type", ""),
            "body": json.loads(body or b"null"),
        }
        with open(log_file, "a", encoding="utf-8") as f:
            f.write(json.dumps(entry) + "\n")
        answer = ("answered %d" % status).encode()
        self.send_response(status)
        self.send_header("Content-Length", str(len(answer)))
        self.end_headers()
        self.wfile.write(answer)

    def log_message(self, *args):
        pass


server = http.server.HTTPServer(("127.0.0.1", int(port)), Handler)
tmp = port_file + ".tmp"
with open(tmp, "w", encoding="utf-8") as f:
    f.write(str(server.server_address[1]))
os.replace(tmp, port_file)
server.serve_forever()
