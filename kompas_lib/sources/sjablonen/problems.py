"""The error an own file raises, and the order its problems are listed in.

Every problem is one Dutch line that starts with the file and, where there is one, the line
(``<file>: regel <n>: …``); :class:`TemplateError` lists them in file order, the first
:data:`MAX_SHOWN` in full and the rest counted.
"""

from __future__ import annotations

from kompas_lib.core.errors import DataError

MAX_SHOWN = 25  # problems listed in one message; the rest are counted


class TemplateError(DataError):
    """A file made from a template cannot be used; ``problems`` holds one line per problem."""

    def __init__(self, problems: list[str]):
        self.problems = problems
        n = len(problems)
        shown = problems[:MAX_SHOWN] + ([f"… en nog {n - MAX_SHOWN} meer"] if n > MAX_SHOWN else [])
        head = "1 probleem gevonden:" if n == 1 else f"{n} problemen gevonden:"
        super().__init__(head + "\n" + "\n".join(shown))


def fail(message: str) -> TemplateError:
    """The error for a file that cannot be read at all: one problem."""
    return TemplateError([message])


def in_file_order(problems: list[str], source: str) -> list[str]:
    """``problems`` sorted by the line they name (a problem of the whole file first); stable."""
    return sorted(problems, key=lambda m: line_of(m, source))


def line_of(message: str, source: str) -> int:
    """The line a problem message is about (0 when it names none), to list problems in file order."""
    prefix = f"{source}: regel "
    if not message.startswith(prefix):
        return 0
    digits = message[len(prefix):len(prefix) + 12].partition(":")[0]
    return int(digits) if digits.isdigit() else 0
