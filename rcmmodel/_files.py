"""Files: atomic writes (a report, workbook or index appears whole or not at all), and the one
door every input file is read through: regular files only (never a device, a pipe or a folder),
with a size cap, a workbook's decompressed-size cap, and one clear message for each way it can
fail."""
from __future__ import annotations

import os
import stat
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


# ------------------------------------------------------------------ reading input files

MB = 2**20
#: A claims file (ledger, 835, 837) or another large tabular input: hundreds of MB at most.
MAX_CLAIMS_BYTES = 2048 * MB
#: A workbook's parts once decompressed, and its rows: beyond them, a ledger is a CSV's job.
MAX_WORKBOOK_BYTES = 256 * MB
MAX_WORKBOOK_ROWS = 250_000
_KINDS = ((stat.S_ISCHR, "a device"), (stat.S_ISBLK, "a device"),
          (stat.S_ISFIFO, "a named pipe"), (stat.S_ISSOCK, "a socket"))


def regular_file(path, option: str = "", max_bytes: int | None = None,
                 too_big: str | None = None) -> int:
    """The size of ``path``, an input file named by ``option`` (e.g. ``--brand``; "" for a
    file a scenario names); :class:`RcmInputError` (exit 2) unless it is a regular file of at
    most ``max_bytes``. A device (``/dev/zero``), a named pipe or a folder would have a
    reader grow without limit or wait for ever: each is refused from its ``stat`` alone."""
    path = Path(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        raise RcmInputError.at(path, option, "no such file") from None
    except OSError as exc:
        raise RcmInputError.at(path, option, f"cannot read: {exc.strerror or exc}") from None
    if stat.S_ISDIR(info.st_mode):
        raise RcmInputError.at(path, option, "a folder, not a file")
    if not stat.S_ISREG(info.st_mode):
        kind = next((k for test, k in _KINDS if test(info.st_mode)), "not a plain file")
        raise RcmInputError.at(path, option, f"{kind}, not a file saved on disk; give the "
                               "path of a file")
    if max_bytes is not None and info.st_size > max_bytes:
        raise RcmInputError.at(path, option, too_big or f"the file is over "
                               f"{_size(max_bytes)}")
    return info.st_size


def read_input(path, option: str = "", max_bytes: int = MAX_CLAIMS_BYTES,
               too_big: str | None = None) -> bytes:
    """The bytes of a regular input file of at most ``max_bytes`` (see :func:`regular_file`);
    never more than ``max_bytes`` are read, even from a file growing while it is read."""
    regular_file(path, option, max_bytes, too_big)
    try:
        with open(path, "rb") as f:
            data = f.read(max_bytes + 1)
    except OSError as exc:
        raise RcmInputError.at(path, option, f"cannot read: {exc.strerror or exc}") from None
    if len(data) > max_bytes:
        raise RcmInputError.at(path, option, too_big or f"the file is over "
                               f"{_size(max_bytes)}")
    return data


def open_input(path, option: str = "", max_bytes: int = MAX_CLAIMS_BYTES,
               too_big: str | None = None):
    """A binary file object of a regular input file (see :func:`regular_file`), for readers
    that stream."""
    regular_file(path, option, max_bytes, too_big)
    try:
        return open(path, "rb")
    except OSError as exc:
        raise RcmInputError.at(path, option, f"cannot read: {exc.strerror or exc}") from None


def read_small_text(path, option: str, max_bytes: int, too_big: str,
                    encoding: str = "utf-8") -> str:
    """The text of a small input file named on the command line by ``option``; as
    :func:`read_input`, and :class:`RcmInputError` if it is not ``encoding`` text."""
    raw = read_input(path, option, max_bytes, too_big)
    try:
        return raw.decode(encoding)
    except UnicodeDecodeError as exc:
        raise RcmInputError.at(path, option, f"cannot read: {exc}") from None


def check_workbook(source, name, option: str = "",
                   max_bytes: int = MAX_WORKBOOK_BYTES) -> None:
    """Refuse a workbook (bytes or a path) whose parts would decompress to more than
    ``max_bytes``, from the sizes its zip directory declares, before any XML is parsed
    (Python's zip reader never inflates a part past its declared size, so the declaration is
    a bound). A damaged zip is left for the workbook reader to name."""
    import io
    import zipfile

    try:
        with zipfile.ZipFile(io.BytesIO(source) if isinstance(source, (bytes, bytearray))
                             else source) as book:
            total = sum(part.file_size for part in book.infolist())
    except (zipfile.BadZipFile, OSError, ValueError):
        return
    if total > max_bytes:
        raise RcmInputError.at(name, option, f"the workbook expands to {_size(total)} "
                               f"(over {_size(max_bytes)}); save its sheet as a CSV")


def _size(n: int) -> str:
    return f"{n / MB:,.0f} MB" if n >= MB else f"{n / 1024:,.0f} KB"
