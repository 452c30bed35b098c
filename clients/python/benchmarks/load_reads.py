"""Seconds and peak memory to load a campaign's cell reads into pandas and into xarray.

    python3 clients/python/benchmarks/load_reads.py --url http://127.0.0.1:8080 --token OPERATOR \
        [--rows 256 --cols 256 --reads 153]

Runs one campaign on a simulated array (rows x cols cells read `reads` times: 10,027,008 cell reads
by default), waits until it is archived, then loads it in a fresh interpreter per case so each peak
is its own: pandas (Lab.reads), xarray (Lab.to_xarray), and pandas chunk by chunk (Lab.iter_reads).
Peak memory is the process's peak resident set (ru_maxrss) minus the resident set before the load,
and the peak of Python's traced allocations (tracemalloc: numpy's arrays included).
"""
import argparse
import json
import subprocess
import sys
import time
import uuid

CASE = r'''
import json, resource, sys, time, tracemalloc
from rramlab_client import Lab
url, token, campaign, case = sys.argv[1:5]
lab = Lab(url, token)
import pandas, xarray, h5py, numpy  # imported before the baseline
before = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
tracemalloc.start()
t = time.perf_counter()
if case == "pandas":
    result = lab.reads(campaign)
    n, size = len(result), int(result.memory_usage(deep=True).sum())
elif case == "xarray":
    result = lab.to_xarray(campaign)
    n, size = int(result["conductance_siemens"].size), int(result.nbytes)
else:
    n, size = 0, 0
    for chunk in lab.iter_reads(campaign, frames_per_chunk=8):
        n += len(chunk)
seconds = time.perf_counter() - t
_, traced = tracemalloc.get_traced_memory()
peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps({"case": case, "cell_reads": n, "seconds": round(seconds, 2), "result_mb": round(size / 1e6, 1),
                  "traced_peak_mb": round(traced / 1e6, 1), "rss_peak_growth_mb": round((peak - before) / 1e6, 1)}))
'''


def main() -> None:
    p = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    p.add_argument("--url", required=True)
    p.add_argument("--token", required=True)
    p.add_argument("--rows", type=int, default=256)
    p.add_argument("--cols", type=int, default=256)
    p.add_argument("--reads", type=int, default=153)
    p.add_argument("--campaign", help="load this campaign instead of running a new one")
    a = p.parse_args()
    from rramlab_client import Lab

    lab = Lab(a.url, a.token, timeout=600)
    campaign = a.campaign
    if campaign is None:
        suffix = uuid.uuid4().hex[:6]
        array, campaign = f"bench-sim-{suffix}", f"bench-load-{suffix}"
        lab.create_array(array, rows=a.rows, cols=a.cols, seed=11)
        t = time.perf_counter()
        lab.start_campaign(campaign, [array], interval_seconds=600, reads=a.reads, acceleration=1e6)
        lab.wait(campaign, timeout=1800)
        print(json.dumps({"campaign": campaign, "cell_reads": a.rows * a.cols * a.reads,
                          "campaign_and_archive_seconds": round(time.perf_counter() - t, 1)}), flush=True)
    for case in ("pandas", "xarray", "pandas-chunks"):
        out = subprocess.run([sys.executable, "-c", CASE, a.url, a.token, campaign, case], check=True,
                             capture_output=True, text=True)
        print(out.stdout.strip(), flush=True)


if __name__ == "__main__":
    main()
