"""Files: atomic writes (a report, workbook or index appears whole or not at all), and the one
door every input file is read through: regular files only (never a device, a pipe or a folder),
with a size cap, a workbook's decompressed-size cap, and one clear message for each way it can
fail."""
from __future__ import annotations

import errno
import os
import re
import shutil
import signal
import stat
import tempfile
from contextlib import contextmanager
from pathlib import Path

from .errors import RcmInputError


def column_key(name) -> str:
    """A CSV or sheet header cell as a column name, ignoring case, spaces, hyphens and
    underscores, as exports spell them: ' Claim ID ' and 'Insurance-Paid' become 'claim_id'
    and 'insurance_paid'.

    >>> column_key(" Annual Collections "), column_key("\ufeffINSURANCE-PAID")
    ('annual_collections', 'insurance_paid')
    """
    return re.sub(r"[\s_\-]+", "_", str(name).replace("\ufeff", "").strip().lower()).strip("_")


# ------------------------------------------------------------------ writing outputs

#: Hidden folders holding outputs being written; never left behind (see :func:`staging`).
STAGING_PREFIX = ".rcm-staging-"
#: Errors that no later write to the same folder would escape (a batch stops at them).
FOLDER_ERRORS = frozenset({errno.ENOSPC, errno.EDQUOT, errno.EROFS, errno.EACCES, errno.EPERM})


class held_signals:
    """Hold SIGINT and SIGTERM while a set of files is moved into place, so the set appears
    whole; a signal that arrives meanwhile is acted on after, as it would have been.

    In the main thread the handlers are swapped for a recorder (a signal delivered to any
    other thread runs its Python handler in the main thread, so masking alone would not
    hold it); elsewhere the thread's signal mask holds them."""

    SIGNALS = (signal.SIGINT, signal.SIGTERM)

    def __enter__(self):
        import threading

        self._pending: list[int] = []
        self._old = None
        if threading.current_thread() is threading.main_thread():
            self._old = {n: signal.signal(n, lambda signum, frame: self._pending.append(signum))
                         for n in self.SIGNALS}
        else:
            self._mask = signal.pthread_sigmask(signal.SIG_BLOCK, self.SIGNALS)
        return self

    def __exit__(self, *exc):
        if self._old is None:
            signal.pthread_sigmask(signal.SIG_SETMASK, self._mask)
            return
        for n, handler in self._old.items():
            signal.signal(n, handler)
        for n in dict.fromkeys(self._pending):
            handler = self._old[n]
            if callable(handler):
                handler(n, None)
            elif handler == signal.SIG_DFL:
                os.kill(os.getpid(), n)


@contextmanager
def staging(out_dir):
    """A hidden folder inside ``out_dir`` (created if missing) to write outputs in; removed
    with whatever is left in it when the block ends, however it ends (an error, a full disk,
    a signal turned into an exception by the command line)."""
    out_dir = Path(out_dir)
    out_dir.mkdir(parents=True, exist_ok=True)
    folder = Path(tempfile.mkdtemp(prefix=STAGING_PREFIX, dir=out_dir))
    try:
        yield folder
    finally:
        shutil.rmtree(folder, ignore_errors=True)


def move_into_place(pairs) -> None:
    """Rename each staged file onto its target, signals held, with the permissions the
    user's umask gives any new file (a staging folder is private; its files need not be)."""
    umask = os.umask(0)
    os.umask(umask)
    with held_signals():
        for staged, target in pairs:
            os.chmod(staged, 0o666 & ~umask)
            os.replace(staged, target)


def write_set(out_dir, files: dict) -> dict:
    """Write ``files`` ({file name: bytes or text}) into ``out_dir`` as one set: every file is
    written in a staging folder first, and only when all are written are they moved into
    place. Returns {file name: target path}. An error (a full disk, say) leaves the folder
    as it was."""
    out_dir = Path(out_dir)
    with staging(out_dir) as folder:
        pairs = []
        for name, payload in files.items():
            staged = folder / name
            if isinstance(payload, str):
                staged.write_text(payload, encoding="utf-8")
            else:
                staged.write_bytes(payload)
            pairs.append((staged, out_dir / name))
        move_into_place(pairs)
    return {name: out_dir / name for name in files}


@contextmanager
def atomic_path(target, suffix: str | None = None):
    """Yield a staging path for ``target`` (for writers that want a path); the file is moved
    into place only if the block succeeds. ``suffix`` is kept for callers that name one."""
    target = Path(target)
    with staging(target.parent) as folder:
        tmp = folder / (target.name if suffix is None else target.stem + suffix)
        yield tmp
        move_into_place([(tmp, target)])


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
