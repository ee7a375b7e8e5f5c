#!/usr/bin/env python3
"""Hostile CT log endpoints for run-watch-hostile.sh, on 127.0.0.1:PORT (argv[1]), one prefix each:
/big/      a 100 MB checkpoint, sent as fast as the client reads it
/drip/     a checkpoint dripped one byte a second
/retry/    503 with Retry-After: 300 on every answer
/loop/     a 302 to itself
/gzip/     a gzip bomb as the checkpoint (1 GiB of zeros in about 1 MB)
"""
import gzip, http.server, io, socketserver, sys, time

CHUNK = b"x" * 65536
BOMB = None

def bomb():
    global BOMB
    if BOMB is None:
        out = io.BytesIO()
        with gzip.GzipFile(fileobj=out, mode="wb", compresslevel=9) as z:
            zeros = b"\0" * (1 << 20)
            for _ in range(1024):
                z.write(zeros)
        BOMB = out.getvalue()
    return BOMB

class Handler(http.server.BaseHTTPRequestHandler):
    protocol_version = "HTTP/1.1"
    def log_message(self, *args):
        pass
    def do_GET(self):
        try:
            if self.path.startswith("/big/"):
                self.send_response(200)
                self.send_header("Content-Length", str(100 << 20))
                self.end_headers()
                for _ in range((100 << 20) // len(CHUNK)):
                    self.wfile.write(CHUNK)
            elif self.path.startswith("/drip/"):
                self.send_response(200)
                self.send_header("Content-Length", "100000")
                self.end_headers()
                for _ in range(100000):
                    self.wfile.write(b"x")
                    self.wfile.flush()
                    time.sleep(1)
            elif self.path.startswith("/retry/"):
                self.send_response(503)
                self.send_header("Retry-After", "300")
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif self.path.startswith("/loop/"):
                self.send_response(302)
                self.send_header("Location", self.path)
                self.send_header("Content-Length", "0")
                self.end_headers()
            elif self.path.startswith("/gzip/"):
                body = bomb()
                self.send_response(200)
                self.send_header("Content-Encoding", "gzip")
                self.send_header("Content-Length", str(len(body)))
                self.end_headers()
                self.wfile.write(body)
            else:
                self.send_response(404)
                self.send_header("Content-Length", "0")
                self.end_headers()
        except (BrokenPipeError, ConnectionResetError):
            pass

class Server(socketserver.ThreadingMixIn, http.server.HTTPServer):
    daemon_threads = True

bomb()
server = Server(("127.0.0.1", int(sys.argv[1])), Handler)
print("READY", flush=True)
server.serve_forever()
