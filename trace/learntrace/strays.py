"""Files under records/ that are not records: a record saved as ACT-8.txt, ACT-8.yaml.txt, ACT-8.YAML or
with no ending would otherwise be missing from every analysis without a word. Only READMEs and hidden
files (and editors' leftovers, which are hidden in spirit) may sit beside the records."""

from __future__ import annotations

from collections.abc import Container

# Endings a text editor or a web upload adds to a record's name; what is left is the record's name.
_TEXT_ENDINGS = frozenset({"yaml", "yml", "txt", "text"})
# Endings of documents that are not plain text: such a file is kept in the wrong place, not misnamed.
_DOCUMENT_ENDINGS = frozenset({
    "csv", "doc", "docx", "htm", "html", "jpeg", "jpg", "json", "md", "odt", "ods", "pdf", "png", "pptx",
    "rtf", "xls", "xlsm", "xlsx", "zip",
})


def is_hidden(name: str) -> bool:
    """Hidden files and editor leftovers (backups, swap and lock files) are not records."""
    return name.startswith((".", "#", "~")) or name.endswith(("~", ".swp", ".swo", ".bak", ".orig", ".tmp"))


def is_readme(name: str) -> bool:
    """README, README.md, readme.txt, README-actions.md: notes for people, kept beside the records."""
    stem = name.split(".", 1)[0].lower()
    return stem == "readme" or stem.startswith(("readme-", "readme_"))


def _record_name(name: str) -> tuple[str, bool]:
    """The record's name without the endings added to it, and whether it is plain text (not a document)."""
    base, textual = name, True
    stem, _, ending = name.rpartition(".")
    if stem and ending.lower() in _DOCUMENT_ENDINGS:
        base, textual = stem, False
    while "." in base:
        stem, _, ending = base.rpartition(".")
        if not stem or ending.lower() not in _TEXT_ENDINGS:
            break
        base = stem
    return base, textual


def stem_and_suffix(path: str) -> tuple[str, str]:
    """A file's name without and with only its last extension, as pathlib gives them (ACT-1.yaml: ACT-1 and
    .yaml), without building a path object for each of ten thousand files."""
    name = path.rpartition("/")[2]
    stem, dot, suffix = name.rpartition(".")
    if not dot or not stem or not suffix:
        return name, ""
    return stem, "." + suffix


def record_name(path: str) -> str:
    """The id a file's name gives its record: ACT-8 for ACT-8.yaml, ACT-8.txt and ACT-8.yaml.txt alike."""
    return _record_name(path.rpartition("/")[2])[0]


def stray_message(path: str, paths: Container[str]) -> str | None:
    """Why a file under records/ will not be read and what to do, or None when it may be there.

    `paths` holds the other files' paths, to tell a misnamed record from a leftover copy of one."""
    folder, _, name = path.rpartition("/")
    if is_hidden(name) or is_readme(name) or name.endswith((".yaml", ".yml")):
        return None
    base, textual = _record_name(name)
    for ending in (".yaml", ".yml"):
        if f"{folder}/{base}{ending}" in paths:
            return (f"will not be read, and {base}{ending} is already there beside it: if this is an old copy, "
                    f"delete it or move it out of records/; if it is the newer one, copy it over {base}{ending}")
    if not textual:
        return (f"will not be read: records/ holds only records, each a plain-text file ending in .yaml; "
                f"move it out of records/ (or, if it is a record, save it as plain text named {base}.yaml)")
    return f"will not be read: rename it to {base}.yaml"
