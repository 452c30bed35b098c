"""The node's live event stream (Server-Sent Events), followed across lost connections."""
from __future__ import annotations

import json
import time
from dataclasses import dataclass
from typing import Any, Callable, Iterable, Iterator, Optional

import requests

__all__ = ["Event", "EventStream"]


@dataclass(frozen=True)
class Event:
    """One event: ``id`` (increasing; None for a ``stream.gap`` notice), ``type``, ``time`` (ISO-8601), ``data``."""

    id: Optional[int]
    type: str
    time: Optional[str]
    data: Any


class EventStream(Iterator[Event]):
    """Iterates over ``GET /api/streams/events``; reconnects with ``Last-Event-ID`` when the
    connection drops, so no event is lost or repeated while the node still holds it (when it no
    longer does, a ``stream.gap`` event says which ids were missed).

    ``kinds`` keeps only those event types (plus ``stream.gap``); ``idle_timeout`` seconds without
    a byte (the node sends a heartbeat every 15 s) count as a lost connection. ``close()`` stops it;
    so does leaving a ``with`` block.
    """

    def __init__(self, session: requests.Session, url: str, headers: dict, kinds: Optional[Iterable[str]] = None,
                 last_event_id: Optional[int] = None, idle_timeout: float = 60.0, retry_seconds: float = 1.0,
                 max_retries: Optional[int] = None, on_reconnect: Optional[Callable[[int], None]] = None):
        self._session = session
        self._url = url
        self._headers = dict(headers)
        self._kinds = None if kinds is None else set(kinds) | {"stream.gap"}
        self.last_event_id = last_event_id
        self._idle = idle_timeout
        self._retry = retry_seconds
        self._max_retries = max_retries
        self._on_reconnect = on_reconnect
        self._response: Optional[requests.Response] = None
        self._lines: Optional[Iterator[str]] = None
        self._closed = False
        self.reconnects = 0

    def __enter__(self) -> "EventStream":
        return self

    def __exit__(self, *exc: object) -> None:
        self.close()

    def close(self) -> None:
        self._closed = True
        if self._response is not None:
            self._response.close()
            self._response = None

    def drop_connection(self) -> None:
        """Closes the current connection as a network fault would; the next event comes over a new one."""
        if self._response is not None:
            self._response.close()

    def __next__(self) -> Event:
        failures = 0
        while not self._closed:
            try:
                if self._lines is None:
                    self._connect()
                event = self._read_event()
                if event is None:
                    raise ConnectionError("the stream ended")
                failures = 0
                if event.id is not None:
                    self.last_event_id = event.id
                if self._kinds is None or event.type in self._kinds:
                    return event
            except (requests.RequestException, ConnectionError, OSError, AttributeError, ValueError) as e:
                if self._closed:
                    break
                if isinstance(e, _Refusal):
                    raise e.error from None
                self._lines = None
                if self._response is not None:
                    self._response.close()
                    self._response = None
                failures += 1
                if self._max_retries is not None and failures > self._max_retries:
                    raise ConnectionError(f"the event stream is lost and {self._max_retries} reconnections failed: {e}") from e
                time.sleep(self._retry if failures > 1 else 0)
                self.reconnects += 1
                if self._on_reconnect is not None:
                    self._on_reconnect(self.reconnects)
        raise StopIteration

    def _connect(self) -> None:
        headers = dict(self._headers, Accept="text/event-stream")
        if self.last_event_id is not None:
            headers["Last-Event-ID"] = str(self.last_event_id)
        r = self._session.get(self._url, headers=headers, stream=True, timeout=(10, self._idle))
        if r.status_code != 200:
            from ._http import refusal_of
            error = refusal_of(r, "GET", "/api/streams/events")
            r.close()
            raise _Refusal(error)
        self._response = r
        self._lines = r.iter_lines(chunk_size=None, decode_unicode=True)

    def _read_event(self) -> Optional[Event]:
        assert self._lines is not None
        data: list = []
        event_id: Optional[str] = None
        kind = "message"
        for line in self._lines:
            if line is None:
                continue
            if line == "":
                if data:
                    return self._event(event_id, kind, "\n".join(data))
                event_id, kind = None, "message"
                continue
            if line.startswith(":"):
                continue  # heartbeat
            field, _, value = line.partition(":")
            value = value[1:] if value.startswith(" ") else value
            if field == "data":
                data.append(value)
            elif field == "id":
                event_id = value
            elif field == "event":
                kind = value
            elif field == "retry" and value.isdigit():
                self._retry = int(value) / 1000.0
        return None

    @staticmethod
    def _event(event_id: Optional[str], kind: str, payload: str) -> Event:
        try:
            body = json.loads(payload)
        except ValueError:
            return Event(int(event_id) if event_id else None, kind, None, payload)
        if isinstance(body, dict) and "type" in body and "data" in body:
            return Event(body.get("id", int(event_id) if event_id else None), body["type"], body.get("time"), body["data"])
        return Event(int(event_id) if event_id else None, kind, None, body)


class _Refusal(ConnectionError):
    def __init__(self, error: Exception):
        super().__init__(str(error))
        self.error = error
