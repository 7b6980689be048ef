"""Ctrl-C and SIGTERM end a foreground command the same way: through ``KeyboardInterrupt``.

Python turns SIGINT into ``KeyboardInterrupt`` but lets SIGTERM kill the process outright,
which would leave a foreground poll's run open and its lease held until it expired. Raising
:class:`Terminated` (a ``KeyboardInterrupt``) instead lets the same clean-up run for both.
"""

from __future__ import annotations

import signal
import threading
from collections.abc import Iterator
from contextlib import contextmanager
from types import FrameType

__all__ = ["EXIT_INTERRUPTED", "EXIT_TERMINATED", "Terminated", "terminate_as_interrupt"]

# The shell's convention: 128 + the signal's number.
EXIT_INTERRUPTED = 128 + signal.SIGINT
EXIT_TERMINATED = 128 + signal.SIGTERM


class Terminated(KeyboardInterrupt):
    """SIGTERM arrived."""


def _raise_terminated(_signum: int, _frame: FrameType | None) -> None:
    raise Terminated


@contextmanager
def terminate_as_interrupt() -> Iterator[None]:
    """While inside, SIGTERM raises :class:`Terminated` in the main thread."""
    if threading.current_thread() is not threading.main_thread():
        yield  # only the main thread may set handlers (CliRunner in a test thread)
        return
    previous = signal.signal(signal.SIGTERM, _raise_terminated)
    try:
        yield
    finally:
        signal.signal(signal.SIGTERM, previous)
