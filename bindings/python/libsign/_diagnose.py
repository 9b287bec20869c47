"""Diagnosing whole archives of dossiers from Python, on one machine or on a Dask cluster.

    import libsign
    run = libsign.diagnose(["/data/hoso"], trust_profile="vn-all", at="2026-07-01T00:00:00Z")
    for result in run:               # one dict per file, as C++ threads finish them
        ...
    summary = run.aggregate          # a libsign.Aggregate once the iteration is over
    print(summary.to_json())         # libsign-diagnose/1, see docs/diagnose.md

The verification runs on C++ threads (every core by default) without the GIL.
"""
import json as _json

from . import _core
from ._core import Aggregate


def _options(trust_profile="vn-all", at=None, trust=None, profiles_dir=None, revocation=None):
    from . import _paths, _time_text
    return {"trust_profile": trust_profile, "at": _time_text(at), "trust": _paths(trust),
            "profile_dirs": _paths(profiles_dir), "revocation": {} if revocation is None else revocation}


class Diagnosis:
    """An iterable over per-file results (dicts: path, folder, size, mtime, error, rows); after
    it is exhausted, `aggregate` is the summary. Iterate it once. `close()` (or leaving a `with`
    block) stops the run early; the aggregate is then marked incomplete."""

    def __init__(self, paths, options, jobs, state, examples):
        self._run = _core._DiagnoseRun(paths, options, jobs or 0, state or "", examples)
        self._done = False

    def __iter__(self):
        return self

    def __next__(self):
        line = self._run.next()
        if line is None:
            self._done = True
            raise StopIteration
        return _json.loads(line)

    @property
    def aggregate(self):
        if not self._done:
            raise RuntimeError("iterate the diagnosis to the end first (or call close())")
        return self._run.aggregate()

    @property
    def resumed_files(self):
        return self._run.resumed()

    @property
    def verifier_stats(self):
        """The run's revocation fetches and cache use (as Verifier.stats()), once iterated to the end."""
        if not self._done:
            raise RuntimeError("iterate the diagnosis to the end first (or call close())")
        return self._run.verifier_stats()

    def close(self):
        self._run.cancel()
        for _ in self:
            pass

    def __enter__(self):
        return self

    def __exit__(self, *exc):
        if not self._done:
            self.close()


def diagnose(paths, jobs=None, trust_profile="vn-all", at=None, trust=None, profiles_dir=None, revocation=None,
             state=None, examples=5):
    """Verify every dossier under `paths` (folders, files, glob patterns, ZIP archives) on `jobs`
    threads (default: every core); returns a Diagnosis (iterate it, then read .aggregate).
    trust_profile, at, trust, profiles_dir, revocation: as for libsign.make_verifier (the same
    default policy: no TOTAL_PASSED without a revocation status unless revocation={"required": False});
    state: a resumable state file; examples: example files kept per finding code."""
    from . import _paths
    return Diagnosis(_paths(paths), _options(trust_profile, at, trust, profiles_dir, revocation), jobs, state and str(state),
                     examples)


def discover(paths):
    """Work items [(path, root)] under `paths`, ZIP archives left whole (a worker opens its own)."""
    from . import _paths
    return _core.diagnose_discover(_paths(paths))


def diagnose_chunk(items, options, jobs=1, examples=5):
    """The Aggregate of a list of work items from discover(); `options`: a dict as made by
    verify_options(...). Runs without the GIL."""
    return _core.diagnose_chunk([tuple(i) for i in items], options, jobs, examples)


def verify_options(trust_profile="vn-all", at=None, trust=None, profiles_dir=None, revocation=None):
    """The validation options as a plain (picklable) dict for diagnose_chunk."""
    return _options(trust_profile, at, trust, profiles_dir, revocation)


def merge(a, b):
    """A new Aggregate: a merged with b (associative and commutative)."""
    out = Aggregate.from_json(a.to_json(-1))
    return out.merge(b)


def _chunk_json(items, options, examples):
    return diagnose_chunk(items, options, 1, examples).to_json(-1)


def _merge_json(a, b):
    return merge(Aggregate.from_json(a), Aggregate.from_json(b)).to_json(-1)


def diagnose_dask(client, paths, chunk_size=500, examples=5, **validation):
    """The same diagnosis on a Dask distributed cluster (client: a dask.distributed Client; paths as for
    diagnose; chunk_size: files per task; examples: as for diagnose; validation: the keyword arguments
    trust_profile, at, trust, profiles_dir, revocation of diagnose). Work items are discovered here (the paths
    must be readable at the same place on every worker, e.g. a shared mount), verified in chunks
    on the workers, and the chunk aggregates merged pairwise on the cluster. Returns an Aggregate
    equal to what libsign.diagnose (or `libsign diagnose`) gives on the same files.

        from dask.distributed import Client
        client = Client("tcp://scheduler:8786")
        summary = libsign.diagnose_dask(client, ["/mnt/hoso"], trust_profile="vn-all")
    """
    options = verify_options(**validation)
    items = discover(paths)
    chunks = [items[i:i + chunk_size] for i in range(0, len(items), chunk_size)] or [[]]
    futures = client.map(_chunk_json, chunks, options=options, examples=examples, pure=False)
    while len(futures) > 1:  # a tree of merges: no single task holds every chunk
        pairs = [client.submit(_merge_json, futures[i], futures[i + 1], pure=False) for i in range(0, len(futures) - 1, 2)]
        futures = pairs + ([futures[-1]] if len(futures) % 2 else [])
    return Aggregate.from_json(futures[0].result())
