"""A campaign's HDF5 export read into pandas and xarray in bounded memory.

The export (docs/data-format.md) holds, per array, ``conductance_s`` (frames x rows x cols),
``sequence``, ``array_time_s``, ``suspect`` per frame, and the campaign's programming
(``programmed/levels`` and their ``array_time_s``). The reader goes through it a slice of frames at
a time, filling arrays allocated once at their final size: the peak is the result plus one slice.
"""
from __future__ import annotations

import json
from dataclasses import dataclass
from typing import Any, Dict, Iterator, List, Optional
from urllib.parse import unquote

import h5py
import numpy as np
import pandas as pd

__all__ = ["READ_COLUMNS", "ArrayBlock", "blocks", "frame_count", "read_frames", "iter_read_frames", "provenance"]

READ_COLUMNS = ["array", "read", "time_seconds", "row", "col", "conductance_siemens", "target_level"]


@dataclass(frozen=True)
class ArrayBlock:
    """Where one array's (or one block's) frames are in the file."""

    array: str
    group: str
    row0: int
    col0: int
    rows: int
    cols: int
    frames: int


def _text(v: Any) -> Any:
    if isinstance(v, bytes):
        return v.decode("utf-8", "replace")
    if isinstance(v, np.generic):
        return v.item()
    return v


def provenance(f: h5py.File) -> Dict[str, Any]:
    """The root attributes (campaign id, state, spec, software, metadata), strings decoded, JSON parsed."""
    out: Dict[str, Any] = {k: _text(v) for k, v in f.attrs.items()}
    for key in ("campaign_spec", "metadata"):
        if isinstance(out.get(key), str):
            try:
                out[key] = json.loads(out[key])
            except ValueError:
                pass
    return out


def blocks(f: h5py.File) -> List[ArrayBlock]:
    """Every array of the export, and within an array every block it was read in."""
    out: List[ArrayBlock] = []
    arrays = f.get("arrays")
    if arrays is None:
        return out
    for name in arrays:
        g = arrays[name]
        array = _text(g.attrs.get("array_id", unquote(name)))
        groups = [g] if "conductance_s" in g else [g[k] for k in g if k.startswith("block_") and "conductance_s" in g[k]]
        for b in groups:
            n = b["conductance_s"].shape[0]
            out.append(ArrayBlock(array, b.name, int(b.attrs.get("row0", 0)), int(b.attrs.get("col0", 0)),
                                  int(b["conductance_s"].shape[1]), int(b["conductance_s"].shape[2]), n))
    return out


def frame_count(f: h5py.File) -> int:
    return sum(b.frames for b in blocks(f))


def _targets(f: h5py.File, block: ArrayBlock) -> Optional[tuple]:
    """The programming of the block's array: (times, levels as int8 operations x rows x cols) or None."""
    array_group = f[block.group] if block.group.count("/") == 2 else f[block.group].parent
    p = array_group.get("programmed")
    if p is None or "levels" not in p or p["levels"].shape[0] == 0:
        return None
    return p["array_time_s"][...], p["levels"][...], int(p.attrs.get("row0", block.row0)), int(p.attrs.get("col0", block.col0))


def _level_of(targets: Optional[tuple], block: ArrayBlock, times: np.ndarray) -> np.ndarray:
    """Per frame and cell, the level last programmed before the frame (-1: none); frames x rows x cols int8."""
    out = np.full((len(times), block.rows, block.cols), -1, dtype=np.int8)
    if targets is None:
        return out
    ptimes, levels, prow0, pcol0 = targets
    which = np.searchsorted(ptimes, times, side="right") - 1
    r0, c0 = block.row0 - prow0, block.col0 - pcol0
    if r0 < 0 or c0 < 0 or r0 + block.rows > levels.shape[1] or c0 + block.cols > levels.shape[2]:
        return out  # programmed over another rectangle: no level is told
    window = levels[:, r0:r0 + block.rows, c0:c0 + block.cols]
    ok = which >= 0
    out[ok] = window[which[ok]]
    return out


def iter_read_frames(f: h5py.File, frames_per_chunk: int = 64) -> Iterator[pd.DataFrame]:
    """The reads as long DataFrames of at most ``frames_per_chunk`` frames each (constant memory)."""
    for block in blocks(f):
        g = f[block.group]
        targets = _targets(f, block)
        for start in range(0, block.frames, frames_per_chunk):
            stop = min(block.frames, start + frames_per_chunk)
            cols = _allocate(stop - start, block, block.array)
            _fill(cols, 0, g, block, targets, start, stop)
            yield _frame(cols)


def read_frames(f: h5py.File, frames_per_chunk: int = 64) -> pd.DataFrame:
    """Every read of the export as one long DataFrame (see READ_COLUMNS), built in place."""
    all_blocks = blocks(f)
    total = sum(b.frames * b.rows * b.cols for b in all_blocks)
    names = sorted({b.array for b in all_blocks})
    cols = {
        "array": np.empty(total, dtype=np.int16 if len(names) < 32000 else np.int32),
        "read": np.empty(total, dtype=np.int32),
        "time_seconds": np.empty(total, dtype=np.float64),
        "row": np.empty(total, dtype=np.int32),
        "col": np.empty(total, dtype=np.int32),
        "conductance_siemens": np.empty(total, dtype=np.float32),
        "target_level": np.empty(total, dtype=np.int8),
    }
    at = 0
    for block in all_blocks:
        g = f[block.group]
        targets = _targets(f, block)
        code = names.index(block.array)
        for start in range(0, block.frames, frames_per_chunk):
            stop = min(block.frames, start + frames_per_chunk)
            n = _fill(cols, at, g, block, targets, start, stop)
            cols["array"][at:at + n] = code
            at += n
    frame = pd.DataFrame({k: v for k, v in cols.items() if k != "array"}, copy=False)
    frame.insert(0, "array", pd.Categorical.from_codes(cols["array"], categories=names))
    return frame


def _allocate(frames: int, block: ArrayBlock, array: str) -> Dict[str, Any]:
    n = frames * block.rows * block.cols
    return {"array": array, "read": np.empty(n, np.int32), "time_seconds": np.empty(n, np.float64),
            "row": np.empty(n, np.int32), "col": np.empty(n, np.int32),
            "conductance_siemens": np.empty(n, np.float32), "target_level": np.empty(n, np.int8)}


def _fill(cols: Dict[str, Any], at: int, g: h5py.Group, block: ArrayBlock, targets: Optional[tuple],
          start: int, stop: int) -> int:
    cells = block.rows * block.cols
    frames = stop - start
    n = frames * cells
    g_slice = g["conductance_s"][start:stop]
    times = g["array_time_s"][start:stop]
    rows = np.repeat(np.arange(block.row0, block.row0 + block.rows, dtype=np.int32), block.cols)
    colsx = np.tile(np.arange(block.col0, block.col0 + block.cols, dtype=np.int32), block.rows)
    cols["read"][at:at + n] = np.repeat(np.arange(start, stop, dtype=np.int32), cells)
    cols["time_seconds"][at:at + n] = np.repeat(times, cells)
    cols["row"][at:at + n] = np.tile(rows, frames)
    cols["col"][at:at + n] = np.tile(colsx, frames)
    cols["conductance_siemens"][at:at + n] = g_slice.reshape(-1)
    cols["target_level"][at:at + n] = _level_of(targets, block, times).reshape(-1)
    return n


def _frame(cols: Dict[str, Any]) -> pd.DataFrame:
    frame = pd.DataFrame({k: v for k, v in cols.items() if k != "array"}, copy=False)
    frame.insert(0, "array", cols["array"])
    return frame
