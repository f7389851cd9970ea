"""One running bot per SQLite file.

SQLite keeps its own locks consistent, but two bots on one file would both poll the
feeds, both deliver the editions and both answer every update: the coordination that
makes several instances one bot needs PostgreSQL. So a bot holds an exclusive
``flock`` on ``<database>.lock`` for as long as it runs; a second one — another process
or another runner in the same process — is refused with :class:`DatabaseInUse`.
The kernel drops the lock when the holder exits, even on ``kill -9``; the file stays
(removing it would race with a starting bot) and records the holder's pid.
"""

from __future__ import annotations

import contextlib
import fcntl
import os
from pathlib import Path
from typing import IO

from bot.errors import DatabaseInUse


class SQLiteFileLock:
    """The exclusive lock beside a SQLite database file; ``acquire`` once, ``release`` at
    shutdown."""

    def __init__(self, database: Path) -> None:
        self.database = database
        self.path = database.with_name(database.name + ".lock")
        self._file: IO[str] | None = None

    def acquire(self) -> None:
        """Take the lock, or raise :class:`DatabaseInUse` naming the holder's pid."""
        if self._file is not None:
            raise RuntimeError("the lock is already held")
        handle = self.path.open("a+", encoding="ascii")
        try:
            fcntl.flock(handle, fcntl.LOCK_EX | fcntl.LOCK_NB)
        except BlockingIOError:
            handle.seek(0)
            holder = handle.read().strip() or "unknown"
            handle.close()
            raise DatabaseInUse(
                f"another briefbot (pid {holder}) is running on the SQLite database "
                f"{self.database}. SQLite serves one instance: stop the other one, or point "
                "every instance at one PostgreSQL database (DATABASE_URL=postgresql://…)."
            ) from None
        except BaseException:
            handle.close()
            raise
        handle.seek(0)
        handle.truncate()
        handle.write(f"{os.getpid()}\n")
        handle.flush()
        self._file = handle

    def release(self) -> None:
        handle, self._file = self._file, None
        if handle is not None:
            with contextlib.suppress(OSError):
                fcntl.flock(handle, fcntl.LOCK_UN)
            handle.close()
