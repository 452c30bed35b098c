"""Opens rramlab HDF5 files with h5py and a CSV export with pandas; prints JSON counts.

usage: check_archive.py segments DIR | export FILE.h5 | csv FILE.csv
"""
import json
import os
import sys

import h5py


def text(v):
    return v.decode() if isinstance(v, bytes) else str(v)


def segments(root):
    out = {}
    for array in sorted(os.listdir(root)):
        reads = {}
        attrs = {}
        for name in sorted(os.listdir(os.path.join(root, array))):
            if not name.startswith("reads-") or not name.endswith(".h5"):
                continue
            with h5py.File(os.path.join(root, array, name), "r") as f:
                g = f["conductance_s"]
                assert g.dtype == "float32", g.dtype
                assert g.shape[1:] == (f.attrs["rows"], f.attrs["cols"]), g.shape
                attrs = {k: text(v) for k, v in f.attrs.items()}
                seq = f["sequence"][:]
                assert len(seq) == g.shape[0] == len(f["array_time_s"]) == len(f["suspect"])
                for s in seq.tolist():
                    reads[s] = reads.get(s, 0) + 1
        out[array] = {"frames": len(reads), "doubled": sum(1 for c in reads.values() if c > 1),
                      "sequences": sorted(reads), "attributes": attrs}
    return out


def export(path):
    out = {}
    with h5py.File(path, "r") as f:
        attrs = {k: (v.decode() if isinstance(v, bytes) else v) for k, v in f.attrs.items()}
        for key, a in f["arrays"].items():
            g = a["conductance_s"]
            out[a.attrs["array_id"].decode()] = {
                "frames": int(g.shape[0]), "cells": int(g.shape[0] * g.shape[1] * g.shape[2]),
                "sum": float(g[...].astype("float64").sum()),
                "sequences": a["sequence"][:].tolist(),
                "programmed": int(a["programmed/levels"].shape[0]) if "programmed" in a else 0,
                "attributes": {k: text(v) for k, v in a.attrs.items()}}
    return {"arrays": out, "attributes": {k: str(v) for k, v in attrs.items()}}


def csv(path):
    import pandas
    df = pandas.read_csv(path)
    return {"rows": int(len(df)), "columns": list(df.columns),
            "sum": float(df["conductance_s"].sum()), "levels": int(df["target_level"].notna().sum()),
            "suspect": int(df["suspect"].sum())}


if __name__ == "__main__":
    what, path = sys.argv[1], sys.argv[2]
    print(json.dumps({"segments": segments, "export": export, "csv": csv}[what](path)))
