"""Turning the node's answers into values or refusals."""
from __future__ import annotations

from typing import Any

import requests

from .errors import Refused, refused


def refusal_of(response: requests.Response, method: str, path: str) -> Refused:
    """The node's refusal: its JSON ``{"error": ..., "status": ..., "kind": ...}``, or the text it sent."""
    message = response.text.strip() or response.reason or "no message"
    kind = None
    try:
        body: Any = response.json()
        if isinstance(body, dict):
            message = str(body.get("error", body.get("message", message)))
            kind = body.get("kind")
    except ValueError:
        pass
    return refused(response.status_code, message, kind, method, path)
