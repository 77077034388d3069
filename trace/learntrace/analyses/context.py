"""What every analysis is given besides the graph."""

from __future__ import annotations

import datetime as dt
from dataclasses import dataclass
from typing import TYPE_CHECKING

from learntrace.config import Config

if TYPE_CHECKING:
    from learntrace.analyses.finding import Gap
    from learntrace.touches import HistoryIndex


@dataclass(frozen=True)
class AnalysisContext:
    """The as-of date (what is overdue), the configuration, and, when the command read git, the history
    index. `earlier` holds the findings of the analyses run before, for the ones that judge those."""

    as_of: dt.date
    config: Config | None = None
    history: HistoryIndex | None = None
    earlier: tuple[Gap, ...] = ()
