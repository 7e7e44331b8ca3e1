"""Atomic file writes: a report, workbook or index appears whole or not at all."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path


def staged_file(target: Path, suffix: str = ".part") -> Path:
    """An empty temporary file beside ``target``, readable as a normal new file would be.

    mkstemp makes files 0600; a report or workbook renamed into place should get the
    permissions the user's umask gives any file they create.
    """
    fd, tmp = tempfile.mkstemp(prefix=f".{target.name}.", suffix=suffix, dir=target.parent)
    os.close(fd)
    umask = os.umask(0)
    os.umask(umask)
    os.chmod(tmp, 0o666 & ~umask)
    return Path(tmp)


@contextmanager
def atomic_path(target, suffix: str | None = None):
    """Yield a temporary path beside ``target``; rename it into place only if the block succeeds."""
    target = Path(target)
    target.parent.mkdir(parents=True, exist_ok=True)
    tmp = staged_file(target, suffix or target.suffix)
    try:
        yield tmp
        os.replace(tmp, target)
    finally:
        if tmp.exists():
            tmp.unlink()
