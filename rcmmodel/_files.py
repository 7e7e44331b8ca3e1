"""Files: atomic writes (a report, workbook or index appears whole or not at all), and reading
a small input file with a size cap and one clear message for each way it can fail."""
from __future__ import annotations

import os
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import RcmInputError


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


def read_small_text(path, option: str, max_bytes: int, too_big: str,
                    encoding: str = "utf-8") -> str:
    """The text of an input file named on the command line by ``option`` (e.g. ``--brand``);
    :class:`RcmInputError` (exit 2) if it is missing, unreadable or over ``max_bytes``
    (``too_big`` says why in the user's words)."""
    path = Path(path)
    try:
        if path.stat().st_size > max_bytes:
            raise RcmInputError.at(path, option, too_big)
        return path.read_text(encoding=encoding)
    except FileNotFoundError:
        raise RcmInputError.at(path, option, "no such file") from None
    except (OSError, UnicodeDecodeError) as exc:
        raise RcmInputError.at(path, option, f"cannot read: {exc}") from None
