"""Share a loop over many items between forked processes, one per CPU core.

A build writes and renders thousands of small files. Python runs that on one
core, and the kernel's side of creating files is CPU time too, so on a 2-core
machine half the machine would sit idle. Forked workers share everything the
parent has loaded (the parsed config, templates, page list) without pickling,
and each takes every n-th item, which spreads cheap and costly items evenly.
"""

from __future__ import annotations

import multiprocessing
import os
import sys
from collections.abc import Callable, Sequence
from multiprocessing.connection import Connection
from typing import Generic, TypeVar

T = TypeVar("T")
A = TypeVar("A")
R = TypeVar("R")
# Below this many items, forking costs more than it saves.
PARALLEL_MIN_ITEMS = 200
MAX_WORKERS = 8
FAILED = 1  # a worker's exit code when its work raised


class WorkerError(RuntimeError):
    """A worker process failed; it has said why on standard error."""


def worker_count(items: int, minimum: int = PARALLEL_MIN_ITEMS) -> int:
    """Processes for `items` items: one per CPU core, or just this one below `minimum`."""
    if items < minimum:
        return 1
    return max(1, min(MAX_WORKERS, len(os.sched_getaffinity(0))))


def run_shared(
    work: Callable[[Sequence[T]], int], items: Sequence[T], workers: int | None = None
) -> list[int]:
    """Call work(share) in `workers` processes, this one first; what each returned.

    work returns an exit code (0 for success). An exception in this process
    propagates once the workers have finished; one in a worker is shown by that
    worker and gives FAILED.
    """
    return [FAILED if code is None else code for code in each_shared(work, items, workers)]


def each_shared(
    work: Callable[[Sequence[T]], R], items: Sequence[T], workers: int | None = None
) -> list[R | None]:
    """work(share) in `workers` processes, this one first; what each returned, None
    where a worker failed (it has said why)."""
    return _per_share(work, items, workers)[1]


def map_shared(
    work: Callable[[Sequence[T]], list[R]], items: Sequence[T], workers: int | None = None
) -> list[R]:
    """work(share) in `workers` processes, this one first; the results in the items' order.

    work returns one result per item of its share. A worker that fails shows why
    and makes this raise RuntimeError.
    """
    workers, parts = _per_share(work, items, workers)
    results: list[R] = [None] * len(items)  # type: ignore[list-item]
    for i, part in enumerate(parts):
        if part is None:
            raise WorkerError("a worker process failed (see the error above)")
        results[i::workers] = part
    return results


def _per_share(
    work: Callable[[Sequence[T]], R], items: Sequence[T], workers: int | None
) -> tuple[int, list[R | None]]:
    """The number of processes, and work(share) of each: None where a worker failed."""
    workers = workers or worker_count(len(items))
    shares = [items[i::workers] for i in range(workers)]
    context = multiprocessing.get_context("fork")
    children = []
    for share in shares[1:]:
        receive, send = context.Pipe(duplex=False)
        child = context.Process(target=_child, args=(work, share, send), daemon=True)
        child.start()
        send.close()  # so that a worker that dies gives EOFError, not a hang
        children.append((child, receive))
    results: list[R | None] = []
    try:
        results.append(work(shares[0]))
        for _, receive in children:
            try:
                results.append(receive.recv())
            except EOFError:
                results.append(None)
    finally:
        for child, _ in children:
            child.join()
    return workers, results


def _child(work: Callable[[Sequence[T]], R], share: Sequence[T], send: Connection) -> None:
    code = FAILED
    try:
        send.send(work(share))
        code = 0
    except Exception as err:  # the parent sees only a closed pipe: say what went wrong
        print(f"error: {err}", file=sys.stderr)
    except KeyboardInterrupt:
        pass  # Ctrl-C reaches every worker; the parent stops and says so, once
    finally:
        sys.stderr.flush()
        sys.stdout.flush()
    # Not sys.exit: the fork's copy of the parent must not run the parent's cleanup.
    os._exit(code)


class Primed(Generic[A, R]):
    """work(arg) in a forked process that starts now with prime(), and is given arg
    later: what work needs loaded (spaCy, for extraction) loads while this process
    finds out what to give it. Used once: start() or cancel()."""

    def __init__(self, prime: Callable[[], object], work: Callable[[A], R]) -> None:
        context = multiprocessing.get_context("fork")
        arg_in, self._arg_out = context.Pipe(duplex=False)
        self._receive, send = context.Pipe(duplex=False)

        def run(_: object) -> R | None:
            self._arg_out.close()  # this process's copy: else recv() never sees the end
            prime()
            try:
                arg = arg_in.recv()
            except EOFError:  # cancelled: nothing to do
                return None
            return work(arg)

        self._process = context.Process(target=_child, args=(run, (), send), daemon=True)
        self._process.start()
        arg_in.close()
        send.close()  # so that a worker that dies gives EOFError, not a hang

    def start(self, arg: A) -> Callable[[], R]:
        """Give the process its argument; returns a function that waits for the result."""
        self._arg_out.send(arg)
        self._arg_out.close()
        return self._result

    def cancel(self) -> None:
        """Stop the process, primed or not, without a word."""
        self._arg_out.close()
        self._process.terminate()
        self._process.join()

    def _result(self) -> R:
        try:
            return self._receive.recv()
        except EOFError:
            raise WorkerError("a worker process failed (see the error above)") from None
        finally:
            self._process.join()


class SharedProgress:
    """A progress bar that every worker advances and only this process draws."""

    def __init__(self, total: int, desc: str, unit: str, show: bool) -> None:
        self._done = multiprocessing.get_context("fork").Value("i", 0)
        self._owner = os.getpid()
        self._bar = None
        if show:  # tqdm imported only for a bar: not in the wait of `digest add`
            from tqdm import tqdm

            self._bar = tqdm(total=total, desc=desc, unit=unit)

    def advance(self) -> None:
        with self._done.get_lock():
            self._done.value += 1
        if self._bar is not None and os.getpid() == self._owner:
            self._bar.update(self._done.value - self._bar.n)

    def close(self) -> None:
        if self._bar is not None:
            self._bar.update(self._done.value - self._bar.n)
            self._bar.close()
