"""The one exception type a user's mistake raises.

Every problem carries the file it came from and a field path such as
``vendors[1].pricing.rate`` (or a row and column for tabular input), so the CLI can
print one clear message and exit with code 2, never a traceback.
"""
from __future__ import annotations

from dataclasses import dataclass

#: The most problems one error lists; the rest are counted in one last line, so a file of
#: 150,000 unknown keys is 26 lines, not 150,000 (the first are what to fix first).
MAX_LISTED = 25


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input: where it is and what is wrong (``more``: this line
    stands for that many problems not listed)."""

    file: str | None
    where: str
    message: str
    more: int = 0

    def __str__(self) -> str:
        place = f"{self.file}: " if self.file else ""
        where = f"{self.where}: " if self.where else ""
        return f"{place}{where}{self.message}"


class RcmInputError(ValueError):
    """Bad input from the user: a scenario, a claims file, a command-line option.

    Holds every problem found, so the user can fix them all at once.
    """

    def __init__(self, problems, file: str | None = None):
        if isinstance(problems, str):
            problems = [Problem(file, "", problems)]
        problems = list(problems)
        listed = [p for p in problems if not p.more]
        more = sum(p.more for p in problems) + max(0, len(listed) - MAX_LISTED)
        self.problems: list[Problem] = listed[:MAX_LISTED]
        if more:
            self.problems.append(Problem(
                problems[0].file, "", f"and {more:,} more problem{'s' if more > 1 else ''} "
                "not listed: fix these first, then check again", more=more))
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, file, where: str, message: str) -> "RcmInputError":
        return cls([Problem(None if file is None else str(file), where, message)])
