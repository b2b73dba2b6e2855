"""Work shared between forked workers: every item done once, failures seen, progress whole."""

from __future__ import annotations

import multiprocessing
import time
from collections.abc import Sequence
from pathlib import Path

import pytest

from digest.parallel import FAILED, Primed, SharedProgress, map_shared, run_shared


def test_every_item_is_done_once_across_workers(tmp_path: Path) -> None:
    def work(share: Sequence[int]) -> int:
        for i in share:
            (tmp_path / f"{i}.done").touch(exist_ok=False)
        return 0

    assert run_shared(work, list(range(50)), workers=3) == [0, 0, 0]
    assert sorted(int(p.stem) for p in tmp_path.iterdir()) == list(range(50))


def test_a_worker_that_raises_reports_failure(capfd: pytest.CaptureFixture[str]) -> None:
    def work(share: Sequence[int]) -> int:
        if 5 in share:
            raise ValueError("item five is broken")
        return 0

    codes = run_shared(work, list(range(6)), workers=3)  # 5 goes to the third worker
    assert codes == [0, 0, FAILED]
    assert "item five is broken" in capfd.readouterr().err


def test_the_progress_bar_counts_the_work_of_every_worker(
    capfd: pytest.CaptureFixture[str],
) -> None:
    bar = SharedProgress(40, "testing", "item", show=True)

    def work(share: Sequence[int]) -> int:
        for _ in share:
            bar.advance()
        return 0

    run_shared(work, list(range(40)), workers=4)
    bar.close()
    assert "40/40" in capfd.readouterr().err


def test_results_from_every_worker_come_back_in_the_items_order() -> None:
    assert map_shared(lambda share: [i * i for i in share], list(range(11)), workers=3) == [
        i * i for i in range(11)]


def test_a_worker_that_fails_to_deliver_fails_the_map(capfd: pytest.CaptureFixture[str]) -> None:
    def work(share: Sequence[int]) -> list[int]:
        if 5 in share:
            raise ValueError("item five is broken")
        return list(share)

    with pytest.raises(RuntimeError, match="worker process failed"):
        map_shared(work, list(range(6)), workers=3)
    assert "item five is broken" in capfd.readouterr().err


def test_ctrl_c_stops_the_workers_without_a_traceback(capfd: pytest.CaptureFixture[str]) -> None:
    # Ctrl-C reaches every process of the build; the command itself says "Aborted!".
    def work(share: Sequence[int]) -> list[int]:
        if 5 in share:  # the third worker, another process
            raise KeyboardInterrupt
        return list(share)

    with pytest.raises(RuntimeError, match="worker process failed"):
        map_shared(work, list(range(6)), workers=3)
    assert "Traceback" not in capfd.readouterr().err


def test_a_primed_worker_readies_itself_before_it_is_given_its_work(tmp_path: Path) -> None:
    ready = tmp_path / "ready"

    def prime() -> None:
        ready.touch()

    def work(arg: int) -> tuple[bool, int]:
        return ready.exists(), arg * 2

    # The file exists only in the worker's prime step: the work sees it, so it ran first.
    primed = Primed(prime, work)
    assert primed.start(21)() == (True, 42)


def test_a_cancelled_primed_worker_stops_without_doing_the_work(
    tmp_path: Path, capfd: pytest.CaptureFixture[str]
) -> None:
    done = tmp_path / "done"

    def work(arg: int) -> None:
        done.touch()

    primed = Primed(lambda: time.sleep(30), work)
    started = time.monotonic()
    primed.cancel()
    assert time.monotonic() - started < 10  # not waited for
    assert not multiprocessing.active_children()  # nor left to finish priming
    assert not done.exists()
    assert capfd.readouterr().err == ""  # said nothing
