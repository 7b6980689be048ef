"""Private files on disk: the data directory 0700, the database and key files 0600.

``mkdir`` and SQLite create what they make with the process umask, usually 022: a database
readable by every local user. The modes here do not depend on the umask.
"""

from __future__ import annotations

import os
from pathlib import Path

__all__ = ["DIR_MODE", "FILE_MODE", "private_dir", "private_file"]

DIR_MODE = 0o700
FILE_MODE = 0o600


def private_dir(path: Path) -> None:
    """Create ``path`` 0700 if missing (missing parents get the usual mode)."""
    if path.exists():
        return  # an operator's existing directory keeps the mode they gave it
    path.mkdir(mode=DIR_MODE, parents=True, exist_ok=True)
    path.chmod(DIR_MODE)  # mkdir applies the umask; 0700 exactly


def private_file(path: Path) -> None:
    """Create ``path`` empty with mode 0600 if missing; narrow it to 0600 if it is wider."""
    try:
        fd = os.open(path, os.O_WRONLY | os.O_CREAT | os.O_EXCL, FILE_MODE)
    except FileExistsError:
        stat = path.stat()
        if stat.st_mode & 0o077 and stat.st_uid == os.getuid():
            path.chmod(FILE_MODE)
        return
    os.close(fd)
    path.chmod(FILE_MODE)  # the umask may have narrowed it further; 0600 exactly
