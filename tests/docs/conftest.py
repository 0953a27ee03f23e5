"""Fixtures of the documentation tests: how long the commands of each page took, printed at
the end of the test session."""

from __future__ import annotations

import pytest

TIMINGS = pytest.StashKey[list]()


@pytest.fixture(scope="session")
def command_timings(request):
    """The list of (page, seconds, [(page:line, seconds, command)]) printed at the end."""
    return request.config.stash.setdefault(TIMINGS, [])


def pytest_terminal_summary(terminalreporter, config):
    timings = config.stash.get(TIMINGS, [])
    if not timings:
        return
    terminalreporter.section("commands of the docs: execution times")
    for page, seconds, commands in timings:
        terminalreporter.write_line(f"{seconds:7.1f} s  {page}")
        for where, took, ran in sorted(commands, key=lambda c: -c[1])[:3]:
            terminalreporter.write_line(f"{took:13.1f} s  {where}  {ran}")
    terminalreporter.write_line(f"{sum(s for _, s, _ in timings):7.1f} s  in all")
