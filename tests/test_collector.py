"""The garbage collector is tuned only in a process kb started: our plugin in someone else's build leaves it alone."""

from __future__ import annotations

import gc
import os

from generator import collector


def test_outside_kb_the_stages_leave_the_collector_as_its_owner_set_it(monkeypatch):
    monkeypatch.delenv(collector.ENV, raising=False)
    threshold = gc.get_threshold()
    with collector.rare_collections(pause=True):
        assert gc.isenabled()
    with collector.rare_collections():
        assert gc.get_threshold() == threshold
    collector.freeze_until_built()
    assert gc.get_freeze_count() == 0


def test_under_kb_the_stages_pause_or_slow_the_collector_and_restore_it(monkeypatch):
    monkeypatch.delenv(collector.ENV, raising=False)
    threshold = gc.get_threshold()
    with collector.tuned_by_kb():
        with collector.rare_collections(pause=True):
            assert not gc.isenabled()
        assert gc.isenabled()
        with collector.rare_collections():
            assert gc.get_threshold()[0] == collector.RARE_THRESHOLD
        assert gc.get_threshold() == threshold
        collector.freeze_until_built()
        assert gc.get_freeze_count() > 0
        collector.release()
        assert gc.get_freeze_count() == 0
    assert collector.ENV not in os.environ  # kb's switch ends with the command
