"""Where runs execute: in this process, in local worker processes, or on a Dask cluster.

Every executor yields the results of ``run_task`` as runs finish, in any order, while keeping
only a bounded number of runs in flight (so a sweep of a million runs does not queue a million
scenarios at once). Results do not depend on the executor: each run builds its own model from
its scenario and seed.

- ``serial``: in this process, one run after another (debugging, tests).
- ``processes`` (default): a pool of ``jobs`` spawned worker processes, reused across runs, so
  the model's imports and region tables are paid once per worker.
- ``dask``: a ``dask.distributed.LocalCluster`` of ``jobs`` single-threaded worker processes, or
  an existing cluster when ``scheduler`` (``tcp://HOST:PORT``) is given; its workers need this
  package installed (``pip install aandachtsgroepen-abm``) at the same version.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Iterator
from typing import Any

EXECUTORS = ("serial", "processes", "dask")


def _window(jobs: int) -> int:
    return max(2 * jobs, 4)


def run_serial(fn: Callable, tasks: Iterable[dict]) -> Iterator[dict]:
    for t in tasks:
        yield fn(t)


def _died(task: dict, why: str) -> dict:
    return {"key": task["key"], "ok": False, "point": task["point"], "seed": task["seed"], "seconds": 0.0, "error": why, "traceback": ""}


def run_processes(fn: Callable, tasks: Iterable[dict], jobs: int) -> Iterator[dict]:
    """A pool of spawned workers. If a worker dies (killed, out of memory), the runs it had in
    flight are reported as failed (retried by the next sweep) and a fresh pool carries on."""
    import multiprocessing as mp
    from concurrent.futures import FIRST_COMPLETED, ProcessPoolExecutor, wait
    from concurrent.futures.process import BrokenProcessPool

    it = iter(tasks)
    carry: list[dict] = []  # taken from ``tasks`` but not accepted by a pool that broke: for the next pool

    def next_task() -> dict | None:
        return carry.pop() if carry else next(it, None)

    while True:
        # spawn: fresh workers, no fork of a threaded parent (numpy, arrow, tqdm's monitor thread)
        pool = ProcessPoolExecutor(max_workers=jobs, mp_context=mp.get_context("spawn"))
        pending: dict = {}
        broken = False

        def submit(task: dict, pool=pool, pending=pending) -> bool:
            """False if the pool broke between a result and this submission (the task is carried over)."""
            try:
                pending[pool.submit(fn, task)] = task
                return True
            except BrokenProcessPool:
                carry.append(task)
                return False

        try:
            while len(pending) < _window(jobs) and not broken:
                task = next_task()
                if task is None:
                    break
                broken = not submit(task)
            while pending:
                done, _ = wait(pending, return_when=FIRST_COMPLETED)
                for fut in done:
                    task = pending.pop(fut)
                    try:
                        res = fut.result()
                    except BrokenProcessPool:
                        broken = True
                        res = _died(task, "BrokenProcessPool: a worker process died during this run (killed or out of memory?)")
                    if not broken:
                        nxt = next_task()
                        if nxt is not None:
                            broken = not submit(nxt)
                    yield res
                if broken:
                    for task in pending.values():
                        yield _died(task, "BrokenProcessPool: a worker process died while this run was in flight")
                    pending = {}
        except BaseException:
            pool.shutdown(wait=False, cancel_futures=True)
            raise
        pool.shutdown(wait=not broken, cancel_futures=True)
        if not broken:
            return


def run_dask(fn: Callable, tasks: Iterable[dict], jobs: int, scheduler: str | None = None) -> Iterator[dict]:
    from distributed import Client, LocalCluster, as_completed

    cluster = None
    if scheduler is None:
        # processes, one thread each: the model is single-threaded numpy; no dashboard (needs bokeh)
        cluster = LocalCluster(n_workers=jobs, threads_per_worker=1, processes=True, dashboard_address=None)
        client = Client(cluster)
    else:
        client = Client(scheduler, timeout="30s")
    try:
        it = iter(tasks)
        window = _window(jobs if scheduler is None else max(sum(client.nthreads().values()), 1))
        first = []
        for t in it:
            first.append(client.submit(fn, t, pure=False))
            if len(first) >= window:
                break
        queue = as_completed(first)
        for fut in queue:
            nxt = next(it, None)
            if nxt is not None:
                queue.add(client.submit(fn, nxt, pure=False))
            res = fut.result()
            fut.release()
            yield res
    finally:
        client.close()
        if cluster is not None:
            cluster.close()


def execute(fn: Callable, tasks: Iterable[dict], executor: str, jobs: int, scheduler: str | None = None) -> Iterator[Any]:
    """The results of ``fn`` on every task, as they finish."""
    if scheduler is not None or executor == "dask":
        return run_dask(fn, tasks, jobs, scheduler)
    if executor == "serial" or jobs == 1:
        return run_serial(fn, tasks)
    return run_processes(fn, tasks, jobs)
