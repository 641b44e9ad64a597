"""Work shared with forked processes gives what this process alone gives, in order, errors included."""
from __future__ import annotations

import os

import pytest

from exodus import parallel

MINE = os.getpid()


def square_and_pid(x: int) -> tuple[int, int]:
    return x * x, os.getpid()


def test_the_shares_give_the_items_results_in_order_from_more_than_one_process():
    out = parallel.mapped(square_and_pid, list(range(101)), least=10)
    assert [r for r, _ in out] == [x * x for x in range(101)]
    pids = {pid for _, pid in out}
    assert MINE in pids  # this process works through the first share itself
    if parallel.cores() >= 2 and hasattr(os, "fork"):
        assert len(pids) == min(parallel.cores(), 101)


def test_below_the_threshold_everything_is_done_here():
    assert {pid for _, pid in parallel.mapped(square_and_pid, list(range(9)), least=10)} == {MINE}


def test_without_fork_everything_is_done_here(monkeypatch):
    monkeypatch.delattr(os, "fork")
    assert {pid for _, pid in parallel.mapped(square_and_pid, list(range(50)), least=10)} == {MINE}


def test_an_error_in_a_forked_share_is_raised_here():
    def refuse(x: int) -> int:
        if x == 90:  # in the last share, which a forked process works through
            raise ValueError(f"not a safe identifier: {x!r}")
        return x

    with pytest.raises(ValueError, match="not a safe identifier: 90"):
        parallel.mapped(refuse, list(range(100)), least=10)


def test_a_forked_process_that_dies_leaves_the_work_to_this_one():
    def die_if_forked(x: int) -> int:
        if os.getpid() != MINE:
            os._exit(1)
        return x + 1

    assert parallel.mapped(die_if_forked, list(range(60)), least=10) == list(range(1, 61))


class Unsendable(Exception):
    def __init__(self, message: str):
        super().__init__(message)
        self.lock = __import__("threading").Lock()  # cannot be pickled back from a forked process


def test_an_error_that_cannot_cross_back_is_raised_here_as_itself():
    def refuse(x: int) -> int:
        if x == 91:
            raise Unsendable("row 91 is bad")
        return x

    with pytest.raises(Unsendable, match="row 91 is bad"):
        parallel.mapped(refuse, list(range(100)), least=10)
