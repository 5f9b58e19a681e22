"""A local stand-in for an SMS gateway: a real HTTP server on 127.0.0.1, started by the test, that
answers in Aliyun's or Tencent's own response format. The SDKs reach it through SMS_ENDPOINT."""

from __future__ import annotations

import json
import threading
from http.server import BaseHTTPRequestHandler, ThreadingHTTPServer
from urllib.parse import parse_qs, urlsplit

ALIYUN = {
    "success": (
        200,
        {"Code": "OK", "Message": "OK", "BizId": "900619746936498440^0", "RequestId": "A1"},
    ),
    "throttled": (
        200,
        {
            "Code": "isv.BUSINESS_LIMIT_CONTROL",
            "Message": "触发小时级流控Permits:5",
            "RequestId": "A2",
        },
    ),
    "bad_number": (
        200,
        {"Code": "isv.MOBILE_NUMBER_ILLEGAL", "Message": "非法手机号", "RequestId": "A3"},
    ),
    "template": (
        200,
        {
            "Code": "isv.SMS_TEMPLATE_ILLEGAL",
            "Message": "该账号下找不到对应模板",
            "RequestId": "A4",
        },
    ),
    "down": (503, "<html><body>503 Service Temporarily Unavailable</body></html>"),
}


def _tencent_status(code: str, message: str, serial: str = "") -> dict:
    return {
        "Response": {
            "SendStatusSet": [
                {
                    "SerialNo": serial,
                    "PhoneNumber": "+8613800000000",
                    "Fee": 1 if code == "Ok" else 0,
                    "SessionContext": "",
                    "Code": code,
                    "Message": message,
                    "IsoCode": "CN",
                }
            ],
            "RequestId": "T1",
        }
    }


TENCENT = {
    "success": (200, _tencent_status("Ok", "send success", "2028:4301912331323435")),
    "throttled": (
        200,
        _tencent_status(
            "LimitExceeded.PhoneNumberThirtySecondLimit",
            "单个手机号30秒内下发短信条数超过设定的上限",
        ),
    ),
    "bad_number": (
        200,
        _tencent_status("InvalidParameterValue.IncorrectPhoneNumber", "手机号格式错误"),
    ),
    "template": (
        200,
        {
            "Response": {
                "Error": {
                    "Code": "FailedOperation.TemplateUnapprovedOrNotExist",
                    "Message": "模板未审批或内容不匹配",
                },
                "RequestId": "T2",
            }
        },
    ),
    "down": (502, "<html><body>502 Bad Gateway</body></html>"),
}


class GatewayServer:
    def __init__(self, answers: dict):
        self.answers = answers
        self.script: list[str] = []  # answers to give, in order; the last one repeats
        self.requests: list[dict] = []
        server = self

        class Handler(BaseHTTPRequestHandler):
            def do_POST(self):
                length = int(self.headers.get("Content-Length") or 0)
                body = self.rfile.read(length)
                query = {k: v[0] for k, v in parse_qs(urlsplit(self.path).query).items()}
                server.requests.append(
                    {"path": self.path, "headers": dict(self.headers), "query": query, "body": body}
                )
                name = server.script.pop(0) if len(server.script) > 1 else server.script[0]
                status, payload = server.answers[name]
                data = (
                    payload.encode() if isinstance(payload, str) else json.dumps(payload).encode()
                )
                self.send_response(status)
                kind = "text/html" if isinstance(payload, str) else "application/json"
                self.send_header("Content-Type", kind)
                self.send_header("Content-Length", str(len(data)))
                self.end_headers()
                self.wfile.write(data)

            do_GET = do_POST

            def log_message(self, *args):
                pass

        self.httpd = ThreadingHTTPServer(("127.0.0.1", 0), Handler)
        self.url = f"http://127.0.0.1:{self.httpd.server_address[1]}"
        self.thread = threading.Thread(target=self.httpd.serve_forever, daemon=True)
        self.thread.start()

    def answer(self, *names: str) -> None:
        self.script = list(names)

    def close(self) -> None:
        if self.thread is not None:
            self.httpd.shutdown()
            self.httpd.server_close()
            self.thread = None
