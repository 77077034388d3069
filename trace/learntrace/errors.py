"""Problems in the user's data are values; a fatal condition is one exception."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True, order=True)
class Problem:
    """One thing wrong with a record, said so that its author can fix it."""

    path: str
    line: int | None
    column: int | None
    code: str
    message: str
    id: str | None = None
    severity: str = "error"  # or "warning": reported, but does not make the records invalid

    def location(self) -> str:
        where = self.path
        if self.line is not None:
            where += f":{self.line}"
            if self.column is not None:
                where += f":{self.column}"
        return where

    def as_dict(self) -> dict[str, object]:
        return {
            "path": self.path,
            "line": self.line,
            "column": self.column,
            "id": self.id,
            "code": self.code,
            "severity": self.severity,
            "message": self.message,
        }


class TraceError(Exception):
    """Something stops the tool from doing its job at all (exit code 2)."""
