"""Every console example in the README runs and prints what the README says it prints.

A fenced block holding lines that start with ``$ `` is a console example: each ``$ rcm ...``
line is a command, and the lines after it, up to the next command or the end of the block,
are its output (stdout, then stderr). Blocks without ``$ `` lines (``sh``, ``yaml``,
``python``) are illustrations and are not run here.
"""
from __future__ import annotations

import re
import shlex

import pytest

from conftest import ROOT, rcm_inprocess

README = ROOT / "README.md"


def console_examples() -> list[tuple[str, str]]:
    """(command line, expected output) for every ``$ `` line of every fenced block."""
    text = README.read_text(encoding="utf-8")
    found = []
    for block in re.findall(r"^```[a-z]*\n(.*?)^```", text, flags=re.M | re.S):
        if not re.search(r"^\$ ", block, flags=re.M):
            continue
        command, output = None, []
        for line in block.splitlines():
            if line.startswith("$ "):
                if command is not None:
                    found.append((command, "\n".join(output)))
                command, output = line[2:], []
            else:
                output.append(line)
        found.append((command, "\n".join(output)))
    return found


EXAMPLES = console_examples()


def test_the_readme_has_console_examples():
    commands = [c for c, _ in EXAMPLES]
    assert any(c.startswith("rcm evaluate") for c in commands)
    assert any(c.startswith("rcm validate") for c in commands)


def _clean(text: str) -> str:
    return "\n".join(line.rstrip() for line in text.strip("\n").splitlines())


@pytest.mark.parametrize("command, expected", EXAMPLES, ids=[c for c, _ in EXAMPLES])
def test_console_example_prints_what_the_readme_says(command, expected):
    argv = shlex.split(command)
    assert argv[0] == "rcm", f"README examples run rcm, not {argv[0]!r}"
    proc = rcm_inprocess(*argv[1:], cwd=ROOT)
    assert _clean(proc.stdout + proc.stderr) == _clean(expected), (
        f"README example `{command}` prints something else now:\n{proc.stdout}{proc.stderr}")
