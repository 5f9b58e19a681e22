"""The SMS delivery-receipt callback: the gateway pushes its reports here.

Neither gateway signs its pushes, so the address holds a secret (``SMS_RECEIPT_TOKEN``); without
one configured, or with a wrong one, the address does not exist. Each gateway gets the answer
its console expects."""

from __future__ import annotations

import json

from django.conf import settings
from django.http import Http404, JsonResponse
from django.utils.crypto import constant_time_compare
from django.utils.decorators import method_decorator
from django.views import View
from django.views.decorators.csrf import csrf_exempt

from . import services

ANSWERS = {
    "aliyun": ({"code": 0, "msg": "成功"}, {"code": 1, "msg": "bad report"}),
    "tencent": ({"result": 0, "errmsg": "OK"}, {"result": 1, "errmsg": "bad report"}),
}


@method_decorator(csrf_exempt, name="dispatch")
class SmsReceiptView(View):
    http_method_names = ["post"]

    def post(self, request, backend: str, token: str):
        expected = settings.SMS_RECEIPT_TOKEN
        if backend not in ANSWERS or not expected or not constant_time_compare(token, expected):
            raise Http404
        good, bad = ANSWERS[backend]
        try:
            payload = json.loads(request.body or b"null")
            services.record_receipts(backend=backend, payload=payload)
        except (ValueError, KeyError, TypeError):
            return JsonResponse(bad, status=400)
        return JsonResponse(good)
