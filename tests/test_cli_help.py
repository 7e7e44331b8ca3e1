"""Help texts speak to users: no internal references."""
from __future__ import annotations

import pytest

from rcmmodel.cli.main import ORDER, build_parser


def _help(argv) -> str:
    parser = build_parser()
    if not argv:
        return parser.format_help()
    sub = next(a for a in parser._actions if a.dest == "command")
    return sub.choices[argv[0]].format_help()


@pytest.mark.parametrize("command", [None, *ORDER])
def test_no_internal_words_in_help(command):
    text = _help([command] if command else [])
    for word in ("SP" + "EC", "seed text", "the project", "[0]"):
        assert word not in text, (command, word)
