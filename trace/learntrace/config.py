"""Find the records' root once and read its optional trace.toml into one frozen Config."""

from __future__ import annotations

import tomllib
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from learntrace.dates import month_number
from learntrace.errors import TraceError

CONFIG_FILE = "trace.toml"

# How alike two recommendations' texts must be (cosine of their TF-IDF terms, 0..1) for `trace similar`
# to pair them and for the repeat-learning gap. Chosen on Norfolk's hand-labelled pairs
# (tests/fixtures/similar_pairs.yaml): every threshold from 0.11 to 0.14 finds at least 80% of the
# pairs that say the same thing with at least 80% of the reported pairs plausible; 0.12 is the middle
# (precision 87%, recall 91% there). Scores are low numbers because most words of two recommendations
# differ even when they ask for the same thing.
DEFAULT_SIMILARITY_THRESHOLD = 0.12

@dataclass(frozen=True)
class Config:
    root: Path
    partnership: str = "Safeguarding Children Partnership"
    strategy: str = "Action plan"
    year_start_month: int = 4
    fail_on: frozenset[str] | None = None  # the gap kinds that fail `trace gaps`; None: every kind
    templates: Path | None = None
    max_acceptance_months: int = 12  # how far ahead an accepted gap's review_by may be
    privacy_allow: tuple[str, ...] = ()
    privacy_severity: str | None = None  # None: warning, or error when running in CI
    similarity_threshold: float = DEFAULT_SIMILARITY_THRESHOLD


def find_root(start: Path) -> Path:
    """The nearest folder at or above `start` that has a trace.toml or a records/ folder."""
    start = start.resolve()
    for folder in (start, *start.parents):
        if (folder / CONFIG_FILE).is_file() or (folder / "records").is_dir():
            return folder
    raise TraceError(
        f"no records/ folder or {CONFIG_FILE} in {start} or any folder above it; "
        "run trace inside the partnership's records repository, or pass --root DIR"
    )


def _month(value: Any) -> int:
    if isinstance(value, int) and 1 <= value <= 12:
        return value
    number = month_number(value) if isinstance(value, str) else None
    if number is not None:
        return number
    raise TraceError(
        f"{CONFIG_FILE}: 'reporting_year_starts' is {value!r}; give a month name such as \"April\" or a number 1-12"
    )


def _text(settings: dict[str, Any], name: str, default: str) -> str:
    value = settings.get(name, default)
    if not isinstance(value, str) or not value.strip():
        raise TraceError(f"{CONFIG_FILE}: '{name}' must be text in quotes, such as {name} = \"...\"")
    return value.strip()


def _fail_on(value: Any) -> frozenset[str] | None:
    """None for "all"; the names are checked against the analysis registry when the config is used."""
    if value == "all":
        return None
    if not isinstance(value, list) or not all(isinstance(item, str) for item in value):
        raise TraceError(
            f"{CONFIG_FILE}: 'fail_on' must be \"all\" or a list of gap kinds, such as [\"overdue-action\"]"
        )
    return frozenset(value)


_KNOWN_SETTINGS = ("partnership", "strategy", "reporting_year_starts", "fail_on", "templates", "privacy",
                   "similarity_threshold", "max_acceptance_months")


def _threshold(value: Any) -> float:
    if isinstance(value, int | float) and not isinstance(value, bool) and 0 <= value <= 1:
        return float(value)
    raise TraceError(
        f"{CONFIG_FILE}: 'similarity_threshold' is {value!r}; give a number from 0 to 1, such as "
        f"similarity_threshold = {DEFAULT_SIMILARITY_THRESHOLD}"
    )


def _templates(root: Path, value: Any) -> Path | None:
    """The report templates folder, which must be inside the root: a template is code that runs on
    the records, so it may come only from the repository that holds them (and is reviewed with them)."""
    if value is None or value == "":
        return None
    if not isinstance(value, str):
        raise TraceError(f"{CONFIG_FILE}: 'templates' must be a folder path in quotes")
    folder = (root / value).resolve()
    if not folder.is_relative_to(root.resolve()):
        raise TraceError(
            f"{CONFIG_FILE}: 'templates' is {value!r}, which is outside the folder that holds trace.toml; "
            "keep the report templates in this repository, such as templates = \"templates\""
        )
    return root / value


def _months(value: Any) -> int:
    if isinstance(value, int) and not isinstance(value, bool) and 1 <= value <= 120:
        return value
    raise TraceError(f"{CONFIG_FILE}: 'max_acceptance_months' is {value!r}; give a whole number of months "
                     "from 1 to 120, such as max_acceptance_months = 12")


def _privacy(value: Any) -> tuple[tuple[str, ...], str | None]:
    if value is None:
        return (), None
    if not isinstance(value, dict):
        raise TraceError(f"{CONFIG_FILE}: [privacy] must be a table, with allow = [...] and severity = \"warning\"")
    unknown = sorted(set(value) - {"allow", "severity"})
    if unknown:
        raise TraceError(f"{CONFIG_FILE}: [privacy] has unknown settings: {', '.join(unknown)}; use allow and severity")
    allow = value.get("allow", [])
    if not isinstance(allow, list) or not all(isinstance(item, str) for item in allow):
        raise TraceError(
            f"{CONFIG_FILE}: [privacy] allow must be a list of texts in quotes, such as [\"0300 300 0123\"]"
        )
    severity = value.get("severity")
    if severity not in (None, "warning", "error"):
        raise TraceError(f"{CONFIG_FILE}: [privacy] severity is {severity!r}; use \"warning\" or \"error\"")
    return tuple(allow), severity


def load_config(root: Path, path: Path | None = None) -> Config:
    """Read trace.toml at `root` if there is one (or the settings file `path`: CI judges a pull request
    by the base branch's settings, not by the ones the pull request brings); every setting has a default."""
    if path is not None and not path.is_file():
        raise TraceError(f"the settings file {path} does not exist")
    path = path or root / CONFIG_FILE
    if not path.is_file():
        return Config(root=root)
    try:
        settings = tomllib.loads(path.read_text(encoding="utf-8"))
    except (OSError, UnicodeDecodeError) as error:
        raise TraceError(f"{CONFIG_FILE} could not be read: {error}") from error
    except tomllib.TOMLDecodeError as error:
        raise TraceError(f"{CONFIG_FILE} is not valid TOML: {error}") from error
    unknown = sorted(set(settings) - set(_KNOWN_SETTINGS))
    if unknown:
        raise TraceError(
            f"{CONFIG_FILE} has unknown settings: {', '.join(unknown)}; the settings are: {', '.join(_KNOWN_SETTINGS)}"
        )
    defaults = Config(root=root)
    allow, severity = _privacy(settings.get("privacy"))
    return Config(
        root=root,
        privacy_allow=allow,
        privacy_severity=severity,
        partnership=_text(settings, "partnership", defaults.partnership),
        strategy=_text(settings, "strategy", defaults.strategy),
        year_start_month=_month(settings.get("reporting_year_starts", defaults.year_start_month)),
        fail_on=_fail_on(settings.get("fail_on", "all")),
        templates=_templates(root, settings.get("templates")),
        max_acceptance_months=_months(settings.get("max_acceptance_months", defaults.max_acceptance_months)),
        similarity_threshold=_threshold(settings.get("similarity_threshold", DEFAULT_SIMILARITY_THRESHOLD)),
    )
