"""The schemas compiled to Python (fastjsonschema) and kept in the user's cache, so that a run whose
records are all valid neither imports jsonschema nor compiles a schema: a tenth of a cold validate.

The compiled code is kept in trace's folder of the user's cache (never in the repository, which a pull
request controls), in a file named by a digest of the schemas, the tool's code and version,
fastjsonschema's version and Python's; it is read only if it is a regular file under the size cap
holding a code object for each kind, and anything else is compiled afresh. (That folder is the user's
own, as their shell's start-up files are: whoever can write there can already run code as them.)
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import types
from collections.abc import Callable, Mapping
from pathlib import Path
from typing import Any

from learntrace import __version__
from learntrace.atomic import write_atomically
from learntrace.cache import cache_home, code_stamp, read_marshalled
from learntrace.model import KINDS

_DRAFT07 = "http://json-schema.org/draft-07/schema#"  # the inlined schemas use no 2020-12-only keyword


def _code_file(schema_dir: Path, library_version: str, environ: Mapping[str, str]) -> Path | None:
    home = cache_home(environ)
    if home is None:
        return None
    digest = hashlib.sha256(f"{__version__}\0{code_stamp()}\0{library_version}\0{sys.version}\0".encode())
    for path in sorted(schema_dir.glob("*.json")):
        digest.update(path.name.encode() + b"\0" + path.read_bytes())
    return home / "schemas" / f"checks-{digest.hexdigest()[:32]}.marshal"


def _read(path: Path) -> dict[str, types.CodeType] | None:
    found = read_marshalled(path)
    if isinstance(found, dict) and set(found) == set(KINDS) and all(type(code) is types.CodeType
                                                                    for code in found.values()):
        return found
    return None


def compiled_checks(schema_dir: Path, schemas: Callable[[str], dict[str, Any]],
                    environ: Mapping[str, str] = os.environ) -> dict[str, Callable[[Any], Any]]:
    """A validate(data) function per kind that raises fastjsonschema.JsonSchemaException for a record the
    kind's schema refuses. `schemas(kind)` gives the inlined schema; it is asked only on a cache miss."""
    import fastjsonschema

    path = _code_file(schema_dir, fastjsonschema.VERSION, environ)
    codes = _read(path) if path is not None else None
    if codes is None:
        codes = {kind: compile(fastjsonschema.compile_to_code({**schemas(kind), "$schema": _DRAFT07}),
                               f"<the {kind} schema>", "exec") for kind in KINDS}
        if path is not None:
            try:
                path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
                write_atomically(path, marshal.dumps(codes))
            except OSError:
                pass  # a read-only cache folder: compiled again next time, nothing else is lost
    checks = {}
    for kind, code in codes.items():
        namespace: dict[str, Any] = {}
        exec(code, namespace)  # code fastjsonschema generated from trace's own schemas
        checks[kind] = namespace["validate"]
    return checks
