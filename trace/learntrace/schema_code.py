"""The schemas inlined and compiled to Python (fastjsonschema), and kept in the user's cache, so that a run
whose records are all valid neither imports jsonschema nor compiles a schema: a tenth of a cold validate.

The compiled code is kept in trace's folder of the user's cache (never in the repository, which a pull
request controls), in a file named by a digest of the schemas, the tool's code and version,
fastjsonschema's version and Python's; it is read only if it is a regular file under the size cap
holding, for each kind, its schema as plain JSON values and a code object, and anything else is made
afresh. (That folder is the user's
own, as their shell's start-up files are: whoever can write there can already run code as them.)
"""

from __future__ import annotations

import hashlib
import marshal
import os
import sys
import types
from collections.abc import Callable, Mapping
from dataclasses import dataclass
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


def _json_like(value: Any) -> bool:
    if type(value) in (str, int, float, bool, type(None)):
        return True
    if type(value) is list:
        return all(_json_like(item) for item in value)
    return type(value) is dict and all(type(key) is str and _json_like(item) for key, item in value.items())


def _read(path: Path) -> tuple[dict[str, dict[str, Any]], dict[str, types.CodeType]] | None:
    found = read_marshalled(path)
    if not (isinstance(found, tuple) and len(found) == 2 and isinstance(found[0], dict)
            and isinstance(found[1], dict)):
        return None
    schemas, codes = found
    if (set(schemas) == set(codes) == set(KINDS) and all(type(code) is types.CodeType for code in codes.values())
            and all(type(schema) is dict and _json_like(schema) for schema in schemas.values())):
        return schemas, codes
    return None


def compiled_schemas(schema_dir: Path, inline: Callable[[], dict[str, dict[str, Any]]],
                     environ: Mapping[str, str] = os.environ) -> CompiledSchemas:
    """Each kind's schema with its references inlined, and a validate(data) function per kind that raises
    fastjsonschema.JsonSchemaException for a record the kind's schema refuses. `inline()` gives the
    inlined schemas (with jsonschema); it is asked only when the user's cache does not hold them."""
    import fastjsonschema

    path = _code_file(schema_dir, fastjsonschema.VERSION, environ)
    kept = _read(path) if path is not None else None
    if kept is None:
        schemas = inline()
        codes = {kind: compile(fastjsonschema.compile_to_code({**schemas[kind], "$schema": _DRAFT07}),
                               f"<the {kind} schema>", "exec") for kind in KINDS}
        if path is not None:
            _keep(path, marshal.dumps((schemas, codes)))
        kept = schemas, codes
    checks = {}
    for kind, code in kept[1].items():
        namespace: dict[str, Any] = {}
        exec(code, namespace)  # code fastjsonschema generated from trace's own schemas
        checks[kind] = namespace["validate"]
    return CompiledSchemas(kept[0], checks)


def _keep(path: Path, data: bytes) -> None:
    """Write the kept file; in a read-only cache folder it is made again next time, and nothing else is lost."""
    try:
        path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
        write_atomically(path, data)
    except OSError:
        return


@dataclass(frozen=True)
class CompiledSchemas:
    schemas: dict[str, dict[str, Any]]
    checks: dict[str, Callable[[Any], Any]]
