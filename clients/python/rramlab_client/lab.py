"""``Lab``: one rramlab node over its HTTP API."""
from __future__ import annotations

import json
import os
import tempfile
import time
from contextlib import contextmanager
from typing import Any, Dict, Iterable, Iterator, List, Mapping, Optional, Sequence, Union

import h5py
import numpy as np
import pandas as pd
import requests

from . import reads as _reads
from ._http import refusal_of
from .errors import LabError, WaitTimeout
from .events import EventStream

__all__ = ["Lab", "Json", "MetadataValue"]

Json = Dict[str, Any]
MetadataValue = Union[str, int, float, bool]
_FINISHED = ("completed", "aborted")


class Lab:
    """A client of one rramlab node.

    ``url`` is the node's base URL (``http://127.0.0.1:8080``); ``token`` an operator token (to
    change things) or a viewer token (to read). Every refusal raises a :class:`~rramlab_client.Refused`
    carrying the node's ``status``, ``kind`` and ``message``.
    """

    def __init__(self, url: str, token: Optional[str] = None, timeout: float = 60.0,
                 session: Optional[requests.Session] = None):
        self.url = url.rstrip("/")
        self.timeout = timeout
        self._session = session or requests.Session()
        self._headers = {"Authorization": f"Bearer {token}"} if token else {}

    def __repr__(self) -> str:
        return f"Lab({self.url!r})"

    # ---- plumbing ----

    def _call(self, method: str, path: str, body: Any = None, params: Optional[Mapping[str, Any]] = None,
              data: Optional[Union[str, bytes]] = None, headers: Optional[Mapping[str, str]] = None) -> Any:
        h = dict(self._headers)
        if headers:
            h.update(headers)
        r = self._session.request(method, self.url + path, json=body, params=params, data=data, headers=h,
                                  timeout=self.timeout)
        if r.status_code >= 400:
            raise refusal_of(r, method, path)
        if not r.content:
            return None
        try:
            return r.json()
        except ValueError:
            return r.text

    def get(self, path: str, **params: Any) -> Any:
        """``GET path`` with query ``params``: any route of the API (docs/http-api.md)."""
        return self._call("GET", path, params=params or None)

    def post(self, path: str, body: Any = None, **params: Any) -> Any:
        """``POST path`` with a JSON ``body``: any route of the API."""
        return self._call("POST", path, body=body, params=params or None)

    # ---- the node ----

    def health(self) -> Json:
        """``GET /health``: answers while the process runs."""
        return self._call("GET", "/health")

    def ready(self) -> Json:
        """``GET /ready``: ``ready`` and the state of each part (broker, journal, statistics, archive)."""
        r = self._session.get(self.url + "/ready", headers=self._headers, timeout=self.timeout)
        return r.json()

    # ---- arrays ----

    def create_array(self, id: str, rows: int, cols: int, seed: Optional[int] = None, kind: str = "simulated",
                     preset: Optional[str] = None, **physical: Any) -> Json:
        """Registers an array (``POST /api/arrays``) and returns its summary.

        ``kind`` "simulated" (the device model of ``preset``, fabricated from ``seed``) or
        "physical"; a physical array takes its instruments as keywords: ``address``, ``die``,
        ``analyzer``, ``matrix``, ``board``, ``prober``.
        """
        body: Json = {"id": id, "kind": kind, "rows": rows, "cols": cols}
        if seed is not None:
            body["seed"] = seed
        if preset is not None:
            body["preset"] = preset
        body.update(physical)
        return self._call("POST", "/api/arrays", body=body)

    def array(self, id: str) -> Json:
        """``GET /api/arrays/{id}``: the array's state, link and clock."""
        return self._call("GET", f"/api/arrays/{id}")

    def import_reads(self, array_id: str, csv: Union[str, bytes, os.PathLike],
                     metadata: Optional[Mapping[str, MetadataValue]] = None) -> Json:
        """Publishes measured reads (the long CSV form, a path or the text) as array ``array_id``
        (``POST /api/arrays/{id}/import``); returns the frames and cell reads published."""
        if isinstance(csv, os.PathLike) or (isinstance(csv, str) and "\n" not in csv and os.path.exists(csv)):
            with open(csv, "rb") as f:
                data: Union[str, bytes] = f.read()
        else:
            data = csv
        params: Json = {"format": "csv"}
        if metadata is not None:
            params["metadata"] = json.dumps(dict(metadata))
        return self._call("POST", f"/api/arrays/{array_id}/import", params=params, data=data,
                          headers={"Content-Type": "text/csv"})

    # ---- campaigns ----

    def start_campaign(self, id: Optional[str], arrays: Sequence[str], interval_seconds: float,
                       reads: Optional[int] = None, acceleration: float = 1, metadata: Optional[Mapping[str, MetadataValue]] = None,
                       program: str = "every-level", level: Optional[int] = None,
                       duration_seconds: Optional[float] = None, bakes: Optional[Sequence[Mapping[str, float]]] = None,
                       block: Optional[Mapping[str, int]] = None, write_verify: Optional[bool] = None,
                       ambient_kelvin: Optional[float] = None) -> Json:
        """Creates and starts a drift campaign (``POST /api/campaigns``); returns its status.

        The arrays are programmed (``program``: "every-level", "level" with ``level``, or "keep"),
        then read ``reads`` times (or for ``duration_seconds`` of array time), one read every
        ``interval_seconds`` of array time; a simulated array runs ``acceleration`` times faster than
        the wall clock. ``metadata``: sample, wafer, operator, notes (strings, numbers, booleans),
        kept with the campaign, in its exports and searchable with :meth:`campaigns`.
        ``bakes``: ``[{"after_read": 3, "temperature_kelvin": 358.15, "duration_seconds": 3600}]``.
        """
        body: Json = {"arrays": list(arrays), "interval_seconds": interval_seconds, "acceleration": acceleration,
                      "program": {"pattern": program} if level is None else {"pattern": program, "level": level}}
        if id is not None:
            body["id"] = id
        optional = {"reads": reads, "duration_seconds": duration_seconds, "bakes": None if bakes is None else list(bakes),
                    "block": None if block is None else dict(block), "write_verify": write_verify,
                    "ambient_kelvin": ambient_kelvin, "metadata": None if metadata is None else dict(metadata)}
        body.update({k: v for k, v in optional.items() if v is not None})
        return self._call("POST", "/api/campaigns", body=body)

    def campaign(self, campaign_id: str) -> Json:
        """``GET /api/campaigns/{id}``: state, reads taken, metadata, provenance, what is archived."""
        return self._call("GET", f"/api/campaigns/{campaign_id}")

    def campaigns(self, **metadata_filters: MetadataValue) -> List[Json]:
        """Every campaign's status, or those whose metadata has each given key with that value:
        ``lab.campaigns(sample="W12", operator="ana")``."""
        params = {k: _query_value(v) for k, v in metadata_filters.items()}
        return self._call("GET", "/api/campaigns", params=params or None)

    def pause(self, campaign_id: str) -> Json:
        """Pauses a running campaign; 409 (:class:`Conflict`) when it is not running."""
        return self._call("POST", f"/api/campaigns/{campaign_id}/pause")

    def resume(self, campaign_id: str) -> Json:
        """Resumes a paused campaign; 409 when it is not paused."""
        return self._call("POST", f"/api/campaigns/{campaign_id}/resume")

    def abort(self, campaign_id: str, reason: Optional[str] = None) -> Json:
        """Ends a campaign for good."""
        return self._call("POST", f"/api/campaigns/{campaign_id}/abort", params={"reason": reason} if reason else None)

    def archived(self, campaign_id: str) -> Json:
        """``GET /api/campaigns/{id}/archive``: ``frames_archived`` of ``frames_taken``, where the files are."""
        return self._call("GET", f"/api/campaigns/{campaign_id}/archive")

    def wait(self, campaign_id: str, timeout: Optional[float] = None, archived: bool = True,
             poll_seconds: float = 0.25) -> Json:
        """Waits until the campaign completed or was aborted and returns its final status.

        With ``archived`` (default) it also waits until the archive holds every frame it read, so
        :meth:`reads` sees them all. Raises :class:`WaitTimeout` (with the last status) after
        ``timeout`` seconds (None: no limit).
        """
        deadline = None if timeout is None else time.monotonic() + timeout
        status = self.campaign(campaign_id)
        while status["state"] not in _FINISHED or (archived and not self._all_archived(campaign_id)):
            if deadline is not None and time.monotonic() > deadline:
                raise WaitTimeout(f"campaign {campaign_id} is {status['state']} (read {status['step']} of "
                                  f"{status['reads']}) after {timeout} s", status)
            time.sleep(poll_seconds)
            status = self.campaign(campaign_id)
        return status

    def _all_archived(self, campaign_id: str) -> bool:
        a = self.archived(campaign_id)
        return a.get("frames_archived", 0) >= a.get("frames_taken", 0)

    # ---- a campaign's data ----

    def download(self, campaign_id: str, path: Union[str, os.PathLike], format: str = "hdf5",
                 chunk_bytes: int = 1 << 20) -> int:
        """Streams the campaign's export (``hdf5`` or ``csv``) into ``path``; returns the bytes written."""
        route = f"/api/campaigns/{campaign_id}/export"
        r = self._session.get(self.url + route, params={"format": format}, headers=self._headers, stream=True,
                              timeout=self.timeout)
        try:
            if r.status_code >= 400:
                raise refusal_of(r, "GET", route)
            n = 0
            with open(path, "wb") as out:
                for chunk in r.iter_content(chunk_bytes):
                    out.write(chunk)
                    n += len(chunk)
            return n
        finally:
            r.close()

    @contextmanager
    def export_file(self, campaign_id: str) -> Iterator[h5py.File]:
        """The campaign's HDF5 export, downloaded to a temporary file and open; removed afterwards."""
        fd, name = tempfile.mkstemp(prefix=f"rramlab-{campaign_id}-", suffix=".h5")
        os.close(fd)
        try:
            self.download(campaign_id, name)
            with h5py.File(name, "r") as f:
                yield f
        finally:
            os.unlink(name)

    def reads(self, campaign_id: str, frames_per_chunk: int = 64) -> pd.DataFrame:
        """Every cell read of a campaign as a long DataFrame.

        Columns: ``array`` (categorical), ``read`` (0, 1, ... per array), ``time_seconds`` (array
        time), ``row``, ``col``, ``conductance_siemens`` (float32), ``target_level`` (the level last
        programmed, -1 when none). The HDF5 export is streamed to a temporary file and read a slice
        of frames at a time into columns allocated once: memory peaks at the DataFrame plus a slice.
        The frame's ``attrs`` hold the provenance (``campaign_id``, ``metadata``, ``campaign_spec``, ...).
        """
        with self.export_file(campaign_id) as f:
            frame = _reads.read_frames(f, frames_per_chunk)
            frame.attrs.update(_reads.provenance(f))
            return frame

    def iter_reads(self, campaign_id: str, frames_per_chunk: int = 64) -> Iterator[pd.DataFrame]:
        """The reads as successive DataFrames of at most ``frames_per_chunk`` frames (constant memory)."""
        with self.export_file(campaign_id) as f:
            yield from _reads.iter_read_frames(f, frames_per_chunk)

    def to_xarray(self, campaign_id: str, array: Optional[str] = None) -> "xarray.Dataset":  # noqa: F821
        """A campaign's reads as an ``xarray.Dataset``.

        ``conductance_siemens`` has dims (``array``, ``read``, ``row``, ``col``) when the campaign
        read several arrays of one shape and (``read``, ``row``, ``col``) for one array (or the one
        named by ``array``); coordinates ``time_seconds`` and ``sequence`` per read, ``row`` and
        ``col`` the cells' indices on the array, ``target_level`` per cell (the campaign's
        programming); attributes: the export's provenance and metadata.
        """
        import xarray as xr

        with self.export_file(campaign_id) as f:
            found = _reads.blocks(f)
            names = sorted({b.array for b in found})
            if array is not None:
                found = [b for b in found if b.array == array]
                if not found:
                    raise LabError(f"campaign {campaign_id} has no array {array!r}; it has {names}")
            if len({b.array for b in found}) != len(found):
                raise LabError(f"an array of campaign {campaign_id} was read in several blocks; use reads() instead")
            if not found:
                raise LabError(f"campaign {campaign_id} has no reads in its export yet")
            attrs = {k: (json.dumps(v) if isinstance(v, (dict, list)) else v) for k, v in _reads.provenance(f).items()}
            sets = [self._array_dataset(f, b) for b in found]
            if len(sets) == 1:
                ds = sets[0]
            else:
                shapes = {(b.frames, b.rows, b.cols, b.row0, b.col0) for b in found}
                if len(shapes) != 1:
                    raise LabError(f"the arrays of campaign {campaign_id} differ in shape or reads; "
                                   f"choose one with array=, one of {names}")
                ds = xr.concat(sets, dim="array", coords="different", compat="equals", join="override")
                ds = ds.assign_coords(array=[b.array for b in found])
            ds.attrs.update({k: v for k, v in attrs.items() if v is not None})
            return ds

    @staticmethod
    def _array_dataset(f: h5py.File, block: "_reads.ArrayBlock") -> "xarray.Dataset":  # noqa: F821
        import xarray as xr

        g = f[block.group]
        times = g["array_time_s"][...]
        level = _reads._level_of(_reads._targets(f, block), block, times[-1:])[0] if block.frames else None
        coords: Dict[str, Any] = {
            "read": np.arange(block.frames, dtype=np.int32),
            "row": np.arange(block.row0, block.row0 + block.rows, dtype=np.int32),
            "col": np.arange(block.col0, block.col0 + block.cols, dtype=np.int32),
            "time_seconds": ("read", times),
            "sequence": ("read", g["sequence"][...]),
        }
        data = {"conductance_siemens": (("read", "row", "col"), g["conductance_s"][...],
                                        {"units": "S", "long_name": "conductance"})}
        if "suspect" in g:
            data["suspect"] = (("read",), g["suspect"][...].astype(bool))
        if level is not None:
            data["target_level"] = (("row", "col"), level, {"no_level": -1})
        ds = xr.Dataset(data, coords=coords)
        ds["time_seconds"].attrs["units"] = "s"
        return ds

    # ---- statistics, deployments ----

    def statistics(self, array_id: Optional[str] = None) -> Json:
        """The live statistics (``GET /api/statistics[/{array}]``): per level mean, sigma, drift exponent ``nu``."""
        return self._call("GET", "/api/statistics" + ("" if array_id is None else f"/{array_id}"))

    def deployments(self, **metadata_filters: MetadataValue) -> List[Json]:
        """Every deployment's status, or those whose metadata matches every filter."""
        params = {k: _query_value(v) for k, v in metadata_filters.items()}
        return self._call("GET", "/api/deployments", params=params or None)

    def deployment(self, deployment_id: str) -> Json:
        """One deployment's status."""
        return self._call("GET", f"/api/deployments/{deployment_id}")

    def deploy(self, id: Optional[str], model: str, metadata: Optional[Mapping[str, MetadataValue]] = None,
               **settings: Any) -> Json:
        """Puts a saved model on arrays under OSA supervision (``POST /api/deployments``); ``settings``
        are the spec's other fields (``sram_fraction``, ``check_interval_seconds``, ...)."""
        body: Json = {"model": model, **settings}
        if id is not None:
            body["id"] = id
        if metadata is not None:
            body["metadata"] = dict(metadata)
        return self._call("POST", "/api/deployments", body=body)

    def rounds(self, deployment_id: str) -> List[Json]:
        """A deployment's OSA rounds (``GET /api/deployments/{id}/osa-rounds``)."""
        return self._call("GET", f"/api/deployments/{deployment_id}/osa-rounds")

    def checks(self, deployment_id: str) -> List[Json]:
        """A deployment's recent HIL accuracy checks."""
        return self._call("GET", f"/api/deployments/{deployment_id}/checks")

    # ---- live events ----

    def events(self, kinds: Optional[Iterable[str]] = None, last_event_id: Optional[int] = None,
               idle_timeout: float = 60.0, max_retries: Optional[int] = None) -> EventStream:
        """The node's live events, as an iterator that reconnects with ``Last-Event-ID``.

        ``kinds``: keep only these types (``statistics.report``, ``statistics.alarm``,
        ``accuracy.check``, ``osa.round``, ``training.job``, ...); ``last_event_id``: resume after
        that id. Use it in a ``with`` block, or ``close()`` it.
        """
        return EventStream(self._session, self.url + "/api/streams/events", self._headers, kinds, last_event_id,
                           idle_timeout=idle_timeout, max_retries=max_retries)


def _query_value(v: MetadataValue) -> str:
    if isinstance(v, bool):
        return "true" if v else "false"
    return str(v)
