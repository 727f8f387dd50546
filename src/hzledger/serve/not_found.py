"""A 404 in Chinese, like the rest of the supervisors' UI.

Werkzeug's page is English; Fava's own 404s carry no message a supervisor could use.
Only a `ZhNotFound` raised by our pages says more than the generic sentence, so no
English text and nothing from the request (a path, another ledger's name) reaches the page.
"""

from __future__ import annotations

from flask import jsonify, request
from flask.typing import ResponseReturnValue
from jinja2 import Environment, PackageLoader, select_autoescape
from werkzeug.exceptions import HTTPException, NotFound

NOT_FOUND_ZH = "未找到该页面：地址有误，或该页面在只读监管服务中不提供。"

# The service's own error page (the one `hzledger.serve.app` shows), read-only once built.
_TEMPLATES = Environment(
    loader=PackageLoader("hzledger.serve", "templates"),
    autoescape=select_autoescape(["html"]),
    trim_blocks=True,
    lstrip_blocks=True,
)


class ZhNotFound(NotFound):
    """A 404 whose description is a Chinese message for the supervisor."""


def not_found_page(exc: HTTPException) -> ResponseReturnValue:
    text = exc.description if isinstance(exc, ZhNotFound) and exc.description else NOT_FOUND_ZH
    if (request.endpoint or "").startswith("json_api."):
        return jsonify({"error": text}), 404
    body = _TEMPLATES.get_template("error.html").render(code=404, message=text)
    return body, 404, {"Content-Type": "text/html; charset=utf-8"}
