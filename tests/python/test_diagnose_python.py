"""libsign.diagnose from Python: per-file results while C++ threads verify, the aggregate equal to
the CLI's, threads that scale (the GIL is released), and the same aggregate on a Dask cluster."""
import json
import threading
import time

import pytest

import libsign
import conftest
from conftest import run_cli

import make_diagnose_corpus


@pytest.fixture(scope="module")
def corpus(tmp_path_factory):
    out = tmp_path_factory.mktemp("pydiag")
    manifest = make_diagnose_corpus.write(str(out), 4)
    manifest["dir"] = out
    # The CLI's run on the same files, the reference for every comparison.
    report = out / "cli.json"
    proc = run_cli("diagnose", out / "archive", *manifest["args"], "--json", report, "-q", timeout=120)
    assert proc.returncode == 0, proc.stderr
    manifest["cli"] = json.loads(report.read_text(encoding="utf-8"))
    return manifest


def options(corpus):
    # As the CLI's `--offline --revocation optional` (the default would require a status).
    return dict(trust_profile="diag-gov", profiles_dir=corpus["profiles_dir"], at=make_diagnose_corpus.AT,
                revocation={"required": False})


def without_run(report):
    return {k: v for k, v in report.items() if k != "run"}


def test_iteration_yields_every_file_then_the_aggregate(corpus):
    run = libsign.diagnose(corpus["dir"] / "archive", jobs=2, **options(corpus))
    with pytest.raises(RuntimeError):
        run.aggregate  # not before the end
    results = list(run)
    total = sum(k["files"] for k in corpus["kinds"].values())
    assert len(results) == total
    assert {r["path"] for r in results} == {str(p) for p in (corpus["dir"] / "archive").rglob("*.pdf")}
    not_pdf = [r for r in results if r.get("error") == "INPUT_NOT_PDF"]
    assert len(not_pdf) == corpus["kinds"]["not-pdf"]["files"]
    assert not_pdf[0]["rows"][0]["ind"] == "ERROR"
    summary = json.loads(run.aggregate.to_json())
    assert without_run(summary) == without_run(corpus["cli"])
    assert run.aggregate.complete and run.aggregate.files == total
    # The settings are recorded (the same as the CLI's with --offline --revocation optional).
    assert run.aggregate.settings == corpus["cli"]["settings"]
    assert run.aggregate.settings["trust_profile"] == "diag-gov" and run.aggregate.settings["revocation"] == "offline"


def test_close_stops_early_and_marks_incomplete(corpus):
    with libsign.diagnose(corpus["dir"] / "archive", jobs=1, **options(corpus)) as run:
        next(run)
    assert not run.aggregate.complete or run.aggregate.files == corpus["cli"]["totals"]["files"]


def test_bad_options_raise_before_running(corpus):
    with pytest.raises(libsign.UsageError):
        libsign.diagnose(corpus["dir"], trust_profile="no-such-profile")
    with pytest.raises(libsign.FormatError):
        libsign.Aggregate.from_json("{}")


def test_chunks_merge_to_the_single_run_and_pickle(corpus):
    import pickle
    items = libsign._diagnose.discover(corpus["dir"] / "archive")
    opts = libsign._diagnose.verify_options(**options(corpus))
    parts = [libsign._diagnose.diagnose_chunk(items[i:i + 7], opts) for i in range(0, len(items), 7)]
    parts = [pickle.loads(pickle.dumps(p)) for p in parts]
    merged = libsign.Aggregate()
    for p in reversed(parts):
        merged.merge(p)
    assert without_run(json.loads(merged.to_json())) == without_run(corpus["cli"])


def test_python_threads_run_in_parallel_without_the_gil(corpus):
    items = libsign._diagnose.discover(corpus["dir"] / "archive") * 8
    opts = libsign._diagnose.verify_options(**options(corpus))
    half = len(items) // 2
    # A Python thread holding the GIL would block the others: count how far a pure-Python loop
    # gets while two chunks run; it must keep running (the GIL is free during C++ work). Its pace is
    # compared with its pace alone just before, so a loaded machine (slow 1 ms sleeps) does not fail it;
    # a call holding the GIL would stop it almost completely.
    ticks = []
    done = threading.Event()

    def spin():
        while not done.is_set():
            ticks.append(1)
            time.sleep(0.001)

    def spinner_pace(seconds):
        done.clear()
        ticks.clear()
        spinner = threading.Thread(target=spin)
        spinner.start()
        time.sleep(seconds)
        done.set()
        spinner.join()
        return len(ticks) / seconds

    alone = spinner_pace(0.5)
    done.clear()
    ticks.clear()
    spinner = threading.Thread(target=spin)
    spinner.start()
    start = time.monotonic()
    results = [None, None]
    workers = [threading.Thread(target=lambda i=i: results.__setitem__(i, libsign._diagnose.diagnose_chunk(items[i * half:(i + 1) * half], opts)))
               for i in range(2)]
    for w in workers:
        w.start()
    for w in workers:
        w.join()
    elapsed = time.monotonic() - start
    done.set()
    spinner.join()
    assert results[0].files + results[1].files == 2 * half
    assert len(ticks) > elapsed * alone * 0.3, (len(ticks), elapsed, alone)  # the spinner kept most of its pace


def test_dask_local_cluster_gives_the_single_run_aggregate(corpus, monkeypatch):
    distributed = pytest.importorskip("distributed")
    if conftest.PYTHON_PRELOAD:  # sanitizer build: the worker processes import the instrumented module too
        monkeypatch.setenv("LD_PRELOAD", conftest.PYTHON_PRELOAD)
    with distributed.LocalCluster(n_workers=2, threads_per_worker=1, processes=True, host="127.0.0.1",
                                  dashboard_address=None, protocol="tcp") as cluster:
        for worker in cluster.workers.values():
            assert "127.0.0.1" in worker.address
        assert cluster.scheduler_address.startswith("tcp://127.0.0.1:")
        with distributed.Client(cluster) as client:
            summary = libsign.diagnose_dask(client, [corpus["dir"] / "archive"], chunk_size=5, **options(corpus))
    assert without_run(json.loads(summary.to_json())) == without_run(corpus["cli"])


def test_state_file_from_python(corpus, tmp_path):
    state = tmp_path / "state.jsonl"
    first = libsign.diagnose(corpus["dir"] / "archive", state=state, **options(corpus))
    assert len(list(first)) == first.aggregate.files and first.resumed_files == 0
    second = libsign.diagnose(corpus["dir"] / "archive", state=state, **options(corpus))
    assert len(list(second)) == first.aggregate.files
    assert second.resumed_files == first.aggregate.files
    assert second.aggregate.to_json() == first.aggregate.to_json()
