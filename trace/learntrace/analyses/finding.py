"""A finding of an analysis: a gap in the records, where it is, and what to do about it."""

from __future__ import annotations

from dataclasses import dataclass


@dataclass(frozen=True)
class Gap:
    kind: str
    id: str
    path: str
    line: int
    message: str
    accepted: bool = False
    reason: str | None = None
    review_by: str | None = None
    title: str = ""
    subject: str = ""  # the other record, where one record can have several gaps of a kind

    @property
    def key(self) -> tuple[str, str, str]:
        """What makes a gap the same gap at two points in history."""
        return (self.kind, self.id, self.subject)

    def as_dict(self) -> dict[str, object]:
        return {"kind": self.kind, "id": self.id, "path": self.path, "line": self.line,
                "message": self.message, "accepted": self.accepted, "reason": self.reason,
                "review_by": self.review_by}
