"""The client against a real node: metadata, refusals, reads, xarray, live events, memory."""
import threading
import time
import tracemalloc
from urllib.parse import urlparse

import numpy as np
import pandas as pd
import pytest

from rramlab_client import READ_COLUMNS, BadInput, Conflict, Lab, NotAllowed, NotFound, Refused, WaitTimeout

from proxy import CuttableProxy


def test_a_campaign_with_metadata_is_found_and_its_reads_load(lab, name):
    array, campaign = name("sim"), name("drift")
    # the power-law preset: no device relaxes to 0 S, so every read is a positive conductance
    summary = lab.create_array(array, rows=8, cols=8, seed=3, preset="dac2020-65nm")
    assert summary["array_id"] == array
    status = lab.start_campaign(campaign, [array], interval_seconds=600, reads=5, acceleration=60000,
                                metadata={"sample": campaign, "operator": "ana", "die": 7, "baked": False})
    assert status["metadata"]["sample"] == campaign
    final = lab.wait(campaign, timeout=60)
    assert final["state"] == "completed" and final["step"] == 5
    assert [c["id"] for c in lab.campaigns(sample=campaign)] == [campaign]
    assert [c["id"] for c in lab.campaigns(sample=campaign, die=7, baked=False)] == [campaign]
    assert lab.campaigns(sample=campaign, operator="bob") == []

    df = lab.reads(campaign)
    assert list(df.columns) == READ_COLUMNS
    assert len(df) == 5 * 64
    assert df["read"].max() == 4 and sorted(df["time_seconds"].unique()) == [0, 600, 1200, 1800, 2400]
    assert (df["row"].between(0, 7) & df["col"].between(0, 7)).all()
    assert df["conductance_siemens"].gt(0).all()
    assert df["target_level"].between(0, 9).all(), "every-level programs every cell to a level"
    assert df.attrs["metadata"]["die"] == 7 and df.attrs["campaign_id"] == campaign

    ds = lab.to_xarray(campaign)
    assert ds["conductance_siemens"].dims == ("read", "row", "col")
    assert ds["conductance_siemens"].shape == (5, 8, 8)
    assert list(ds["time_seconds"].values) == [0, 600, 1200, 1800, 2400]
    assert ds.attrs["metadata.sample"] == campaign
    # the same numbers both ways
    cell = df[(df["read"] == 3) & (df["row"] == 2) & (df["col"] == 5)]["conductance_siemens"].item()
    assert ds["conductance_siemens"].sel(read=3, row=2, col=5).item() == pytest.approx(cell, rel=0, abs=0)
    levels = df[df["read"] == 0].set_index(["row", "col"])["target_level"]
    assert int(ds["target_level"].sel(row=2, col=5)) == int(levels.loc[(2, 5)])


def test_two_arrays_stack_along_an_array_dimension(lab, name):
    a, b, campaign = name("sim"), name("sim"), name("pair")
    lab.create_array(a, rows=4, cols=6, seed=1)
    lab.create_array(b, rows=4, cols=6, seed=2)
    lab.start_campaign(campaign, [a, b], interval_seconds=60, reads=3, acceleration=6000)
    lab.wait(campaign, timeout=60)
    ds = lab.to_xarray(campaign)
    assert ds["conductance_siemens"].dims == ("array", "read", "row", "col")
    assert sorted(ds["array"].values) == sorted([a, b])
    assert lab.to_xarray(campaign, array=a)["conductance_siemens"].shape == (3, 4, 6)
    df = lab.reads(campaign)
    assert set(df["array"].cat.categories) == {a, b} and len(df) == 2 * 3 * 24


def test_refusals_carry_the_status_kind_and_message_of_the_node(lab, viewer, name):
    array = name("sim")
    lab.create_array(array, rows=4, cols=4, seed=1)
    with pytest.raises(BadInput) as bad:
        lab.start_campaign(name("bad"), [array], interval_seconds=60, reads=3, metadata={"sample": {"nested": 1}})
    assert bad.value.status == 400 and bad.value.kind == "bad_input"
    assert "strings, numbers or booleans" in bad.value.message
    assert isinstance(bad.value, Refused) and "400" in str(bad.value)

    with pytest.raises(NotFound) as missing:
        lab.campaign(name("nope"))
    assert missing.value.status == 404 and missing.value.kind == "not_found"

    with pytest.raises(NotAllowed) as viewer_change:
        viewer.create_array(name("sim"), rows=4, cols=4)
    assert viewer_change.value.status == 403

    campaign = name("done")
    lab.start_campaign(campaign, [array], interval_seconds=60, reads=2, acceleration=6000)
    lab.wait(campaign, timeout=60, archived=False)
    with pytest.raises(Conflict) as late:
        lab.pause(campaign)
    assert late.value.status == 409 and late.value.message

    with pytest.raises(BadInput):
        lab.campaigns(**{"not a key": "x"})


def test_pause_resume_and_wait(lab, name):
    array, campaign = name("sim"), name("slow")
    lab.create_array(array, rows=4, cols=4, seed=1)
    lab.start_campaign(campaign, [array], interval_seconds=60, reads=6, acceleration=120)  # a read every 0.5 s
    assert lab.pause(campaign)["state"] == "paused"
    with pytest.raises(WaitTimeout) as waited:
        lab.wait(campaign, timeout=1.5)
    assert waited.value.status["state"] == "paused"
    assert lab.resume(campaign)["state"] == "running"
    assert lab.wait(campaign, timeout=60)["state"] == "completed"


def test_statistics_and_deployments(lab, name):
    array, campaign = name("sim"), name("stats")
    # the power-law preset: every cell read enters the statistics (none relaxes to 0 S)
    lab.create_array(array, rows=16, cols=16, seed=4, preset="dac2020-65nm")
    lab.start_campaign(campaign, [array], interval_seconds=600, reads=4, acceleration=60000)
    lab.wait(campaign, timeout=60)
    deadline = time.monotonic() + 30
    while True:
        try:
            report = lab.statistics(array)
            if report["cells_read"] >= 4 * 256:
                break
        except NotFound:
            pass
        assert time.monotonic() < deadline, "no statistics for the array"
        time.sleep(0.2)
    assert len(report["levels"]) == 10
    assert isinstance(lab.deployments(), list)
    assert lab.deployments(sample="none-such") == []
    with pytest.raises(NotFound):
        lab.rounds(name("no-deployment"))


def test_a_lost_stream_reconnects_without_losing_events(lab, url, name):
    """The connection is cut twice while events flow; the ids received equal those of an undisturbed stream."""
    target = urlparse(url)
    proxy = CuttableProxy(target.hostname, target.port)
    try:
        proxied = Lab(f"http://127.0.0.1:{proxy.port}", lab._headers["Authorization"].split(" ", 1)[1])
        reference_ids = []
        reference = lab.events(idle_timeout=30)

        def follow():
            for e in reference:
                reference_ids.append(e.id)

        follower = threading.Thread(target=follow, daemon=True)
        follower.start()
        array, campaign = name("sim"), name("stream")
        lab.create_array(array, rows=8, cols=8, seed=5)
        deadline = time.monotonic() + 30
        while not reference_ids:  # what the node held when it connected; only live events after it
            assert time.monotonic() < deadline, "the reference stream received nothing"
            time.sleep(0.05)
        since = reference_ids[-1]
        # a read every 0.25 s: a statistics report about every second
        lab.start_campaign(campaign, [array], interval_seconds=60, reads=80, acceleration=240)
        got = []
        with proxied.events(idle_timeout=20, last_event_id=since) as stream:
            watchdog = threading.Timer(45, stream.close)  # fail, not hang, when events stop coming
            watchdog.start()
            cuts = 0
            for e in stream:
                got.append(e)
                # cut a connection only once the client is on it: events read ahead before a cut
                # would otherwise let the second cut fall on a connection already closed
                if cuts == stream.reconnects and len(got) >= (2 if cuts == 0 else 5) and cuts < 2:
                    proxy.cut()
                    cuts += 1
                if len(got) >= 8 and stream.reconnects == 2:
                    break
            watchdog.cancel()
            reconnects = stream.reconnects
        deadline = time.monotonic() + 10
        while not reference_ids or reference_ids[-1] < got[-1].id:
            assert time.monotonic() < deadline, "the reference stream fell behind"
            time.sleep(0.05)
        reference.close()
        lab.abort(campaign, reason="enough events")
        follower.join(timeout=10)
        assert len(got) >= 8 and reconnects == 2, f"{len(got)} events and {reconnects} reconnections in 45 s"
        ids = [e.id for e in got if e.id is not None]
        assert len(ids) == len(set(ids)), f"no event twice: {ids}"
        assert not [e for e in got if e.type == "stream.gap"], "the node still held every event: no gap"
        expected = [i for i in reference_ids if ids[0] <= i <= ids[-1]]
        assert ids == sorted(ids), f"in order: {ids}"
        lost = [i for i in expected if i not in ids]
        assert not lost, f"received {ids}; the undisturbed stream also saw {lost}"
        assert reconnects == 2, f"two cuts, two reconnections: {reconnects}"
        assert proxy.accepted == 3
    finally:
        proxy.close()


def test_a_million_cell_reads_load_in_bounded_memory(lab, name):
    array, campaign = name("sim"), name("million")
    lab.create_array(array, rows=128, cols=128, seed=6)
    started = time.monotonic()
    lab.start_campaign(campaign, [array], interval_seconds=600, reads=62, acceleration=1e6)
    lab.wait(campaign, timeout=120)
    tracemalloc.start()
    try:
        loaded = time.monotonic()
        df = lab.reads(campaign, frames_per_chunk=8)
        seconds = time.monotonic() - loaded
        _, peak = tracemalloc.get_traced_memory()
        size = df.memory_usage(deep=True).sum()
        assert len(df) == 62 * 128 * 128 >= 1_000_000
        print(f"\n1,015,808 cell reads: campaign {loaded - started:.1f} s, load {seconds:.2f} s, "
              f"DataFrame {size / 1e6:.1f} MB, peak {peak / 1e6:.1f} MB")
        assert peak < 1.25 * size, f"peak {peak / 1e6:.1f} MB for a {size / 1e6:.1f} MB DataFrame: not bounded"
        del df
        tracemalloc.reset_peak()
        n = 0
        for chunk in lab.iter_reads(campaign, frames_per_chunk=4):
            n += len(chunk)
        _, peak = tracemalloc.get_traced_memory()
        assert n == 62 * 128 * 128
        assert peak < 8e6, f"streaming in chunks of 4 frames peaked at {peak / 1e6:.1f} MB"
    finally:
        tracemalloc.stop()
    assert time.monotonic() - started < 60
