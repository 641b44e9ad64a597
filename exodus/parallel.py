"""Pure work over many items shared with forked processes, which inherit its inputs; done here where forking is not possible."""
from __future__ import annotations

import concurrent.futures
import multiprocessing
import os
from collections.abc import Callable, Sequence

_WORK: tuple[Callable, Sequence] | None = None  # what the forked processes inherit: never pickled


def cores() -> int:
    """The cores this process may run on."""
    return len(os.sched_getaffinity(0)) if hasattr(os, "sched_getaffinity") else (os.cpu_count() or 1)


def _share(k: int, workers: int) -> list:
    fn, items = _WORK
    return [fn(x) for x in items[k::workers]]


def mapped(fn: Callable, items: Sequence, least: int) -> list:
    """[fn(x) for x in items], the items dealt into one share per core (every n-th item, so costly items listed
    together are spread) when there are at least `least` of them: this process works through the first share
    while forked processes work through the others (they inherit fn and the items; only the results cross
    back). In this process alone below `least`, on one core, where processes cannot be forked, or when a
    forked process dies. Any failure of the forked run (an error fn raises, one that cannot cross back, a dead
    process) has the work done again here, where an error is raised as itself, with its traceback."""
    global _WORK
    n, workers = len(items), min(cores(), len(items))
    if n < least or workers < 2 or not hasattr(os, "fork"):
        return [fn(x) for x in items]
    _WORK, out = (fn, items), [None] * n
    try:
        with concurrent.futures.ProcessPoolExecutor(workers - 1, mp_context=multiprocessing.get_context("fork")) as pool:
            others = [pool.submit(_share, k, workers) for k in range(1, workers)]
            out[0::workers] = _share(0, workers)
            for k, share in enumerate(others, start=1):
                out[k::workers] = share.result()
        return out
    except Exception:  # noqa: BLE001 - redone here: see the docstring
        return [fn(x) for x in items]
    finally:
        _WORK = None
