"""The one exception type a user's mistake raises.

Every problem carries the file it came from and a field path such as
``vendors[1].pricing.rate`` (or a row and column for tabular input), so the CLI can
print one clear message and exit with code 2, never a traceback.
"""
from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Problem:
    """One thing wrong with one input: where it is and what is wrong."""

    file: str | None
    where: str
    message: str

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
        self.problems: list[Problem] = list(problems)
        super().__init__("\n".join(str(p) for p in self.problems))

    @classmethod
    def at(cls, file, where: str, message: str) -> "RcmInputError":
        return cls([Problem(None if file is None else str(file), where, message)])
