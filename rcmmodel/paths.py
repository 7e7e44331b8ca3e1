"""Where the notebooks, report templates and example scenarios live.

A checkout keeps ``notebooks/``, ``templates/`` and ``scenarios/`` beside the package; an
installed wheel puts them in ``<prefix>/share/rcmmodel/`` (pyproject's data-files); and a
user can point at their own with an environment variable.
"""
from __future__ import annotations

import functools
import os
import sys
from pathlib import Path

from .errors import RcmInputError

_REPO = Path(__file__).resolve().parents[1]


def _find(kind: str, env: str, marker: str | None) -> Path | None:
    candidates = []
    if os.environ.get(env):
        candidates.append(Path(os.environ[env]))
    # The repo first: the app should serve the notebooks that match this code, even
    # when it is started from some other folder holding a notebooks/ of its own.
    candidates += [_REPO / kind, Path.cwd() / kind,
                   Path(sys.prefix) / "share" / "rcmmodel" / kind]
    for path in candidates:
        if path.is_dir() and (marker is None or (path / marker).exists()):
            return path.resolve()
    return None


def notebooks_dir() -> Path:
    """The folder ``rcm app`` and ``rcm lab`` serve.

    Looks in ``$RCMMODEL_NOTEBOOKS``, the repository the package was loaded from,
    ``./notebooks`` and ``<prefix>/share/rcmmodel/notebooks``, in that order.

    Raises
    ------
    RcmInputError
        Where none of them holds the app's notebooks.
    """
    found = _find("notebooks", "RCMMODEL_NOTEBOOKS", "app.ipynb")
    if found is None:
        raise RcmInputError.at(None, "notebooks", "cannot find the app's notebooks folder; "
                               "set RCMMODEL_NOTEBOOKS to the folder holding app.ipynb")
    return found


def scenarios_dir() -> Path | None:
    """The folder of example scenarios (``$RCMMODEL_SCENARIOS`` first), or None."""
    return _find("scenarios", "RCMMODEL_SCENARIOS", None)


def example_scenarios() -> dict[str, Path]:
    """Example scenario files by file name, sorted; empty where there are none."""
    folder = scenarios_dir()
    if folder is None:
        return {}
    return {p.name: p for p in sorted(folder.glob("*.yaml")) + sorted(folder.glob("*.yml"))}


def example_name(path: Path):
    """The ``name:`` an example scenario gives itself, or None where it gives none or cannot
    be read. Each version of a file is read once: the app lists the examples, by name, every
    time a panel or the app opens."""
    try:
        stat = path.stat()
    except OSError:
        return None
    return _example_name(str(path), stat.st_mtime_ns, stat.st_size)


@functools.lru_cache(maxsize=256)
def _example_name(path: str, mtime_ns: int, size: int):
    import yaml

    try:
        return (yaml.safe_load(Path(path).read_text(encoding="utf-8")) or {}).get("name")
    except (OSError, yaml.YAMLError, AttributeError):
        return None


def example(name: str) -> Path:
    """An example file shipped with rcmmodel, by its path under ``scenarios/``.

    The worked notebooks open their examples through it, so they run from ``notebooks/``
    (JupyterLab), from the repository's root (the tests) or from an installed wheel.

    >>> example("family-practice-claims.yaml").name                # doctest: +SKIP
    'family-practice-claims.yaml'

    Raises
    ------
    RcmInputError
        Where there is no examples folder, or no such file in it.
    """
    folder = scenarios_dir()
    path = folder / name if folder is not None else None
    if path is None or not path.is_file():
        where = folder if folder is not None else "scenarios/"
        raise RcmInputError.at(None, "example", f"no example file {name!r} in {where}; "
                               "set RCMMODEL_SCENARIOS to the folder holding the examples")
    return path


def templates_dir() -> Path:
    """The folder of report templates (``$RCMMODEL_TEMPLATES`` first)."""
    found = _find("templates", "RCMMODEL_TEMPLATES", "decision.ipynb")
    if found is None:
        raise RcmInputError.at(None, "templates", "cannot find the report templates; set "
                               "RCMMODEL_TEMPLATES to the folder holding decision.ipynb")
    return found
