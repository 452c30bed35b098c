"""Exceptions of the client: each refusal carries what the node said."""
from __future__ import annotations

from typing import Optional

__all__ = ["LabError", "Refused", "BadInput", "NotAllowed", "NotFound", "Conflict", "Unavailable",
           "WaitTimeout", "refusal_kind"]

_KINDS = {400: "bad_input", 401: "unauthorized", 403: "forbidden", 404: "not_found", 409: "conflict",
          413: "too_large", 414: "too_large", 431: "too_large", 503: "unavailable"}


def refusal_kind(status: int) -> str:
    """The kind of a refusal by its HTTP status: bad_input, unauthorized, forbidden, not_found, ..."""
    if status in _KINDS:
        return _KINDS[status]
    return "server_error" if status >= 500 else "refused"


class LabError(Exception):
    """Anything the client could not do."""


class Refused(LabError):
    """The node refused a request.

    Attributes:
        status: the HTTP status (400, 404, 409, ...)
        kind: the kind of refusal: the node's own ``kind`` when it sends one, else named from the
            status (``bad_input``, ``unauthorized``, ``forbidden``, ``not_found``, ``conflict``,
            ``too_large``, ``unavailable``, ``server_error``)
        message: the node's message, which says what was wrong and what to do
        method, path: the request refused
    """

    def __init__(self, status: int, message: str, kind: Optional[str] = None, method: str = "", path: str = ""):
        self.status = status
        self.kind = kind or refusal_kind(status)
        self.message = message
        self.method = method
        self.path = path
        super().__init__(f"{method} {path}: {status} {self.kind}: {message}".strip())


class BadInput(Refused):
    """400: the request was wrong; the message says what is allowed."""


class NotAllowed(Refused):
    """401 or 403: no token, an unknown one, or a viewer token on a change."""


class NotFound(Refused):
    """404: no such array, campaign, deployment or statistics."""


class Conflict(Refused):
    """409: the state does not allow it now (pause of a completed campaign, an id taken)."""


class Unavailable(Refused):
    """503: the node is starting or a part of it is down; try again later."""


class WaitTimeout(LabError, TimeoutError):
    """``Lab.wait`` ran out of time; ``status`` is the last status seen."""

    def __init__(self, message: str, status: dict):
        super().__init__(message)
        self.status = status


def refused(status: int, message: str, kind: Optional[str], method: str, path: str) -> Refused:
    cls = {400: BadInput, 401: NotAllowed, 403: NotAllowed, 404: NotFound, 409: Conflict, 503: Unavailable}.get(status, Refused)
    return cls(status, message, kind, method, path)
