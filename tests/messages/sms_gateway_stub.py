"""A stand-in for Alibaba Cloud SMS's SendSms endpoint on this machine (a threaded http.server), so
the official SDK is tested as it really talks: it keeps each request it receives and answers what
the test chose for that number (success by default)."""
import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit


class SendSmsStub:
    def __init__(self):
        self.requests = []
        # {phone number: (HTTP status, answer body)}
        self.answers = {}
        self._server = ThreadingHTTPServer(("127.0.0.1", 0), self._handler())

    @property
    def endpoint(self):
        return f"http://127.0.0.1:{self._server.server_port}"

    def answer(self, phone, code, message="", status=200):
        self.answers[phone] = (status, {"Code": code, "Message": message or code, "RequestId": "stub-request"})

    def __enter__(self):
        threading.Thread(target=self._server.serve_forever, kwargs={"poll_interval": 0.05}, daemon=True).start()
        return self

    def __exit__(self, *exc):
        self._server.shutdown()
        self._server.server_close()

    def _handler(self):
        stub = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                self.rfile.read(int(self.headers.get("Content-Length") or 0))
                query = {key: values[0] for key, values in parse_qs(urlsplit(self.path).query).items()}
                stub.requests.append({"query": query, "headers": dict(self.headers)})
                phone = query.get("PhoneNumbers")
                status, body = stub.answers.get(phone, (200, {
                    "Code": "OK", "Message": "OK", "RequestId": "stub-request",
                    "BizId": f"biz-{len(stub.requests)}^0",
                }))
                payload = json.dumps(body).encode()
                self.send_response(status)
                self.send_header("Content-Type", "application/json;charset=utf-8")
                self.send_header("Content-Length", str(len(payload)))
                self.end_headers()
                self.wfile.write(payload)

            def log_message(self, *args):
                pass

        return Handler
