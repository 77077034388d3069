"""The JSON Schemas of the record kinds, and their errors said in plain English."""

from __future__ import annotations

import difflib
import json
import re
from collections.abc import Callable, Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path
from typing import TYPE_CHECKING, Any

from learntrace import pasted
from learntrace.errors import TraceError
from learntrace.model import KINDS

if TYPE_CHECKING:  # jsonschema is imported only when a schema is needed: a cached run never needs one
    from jsonschema import Draft202012Validator
    from jsonschema.exceptions import ValidationError

    from learntrace.schema_code import CompiledSchemas

_PACKAGE_DIR = Path(__file__).resolve().parent


def data_dir(name: str) -> Path:
    """A folder shipped with the tool (schemas, templates): inside the wheel, or at the repository root."""
    for candidate in (_PACKAGE_DIR / "data" / name, _PACKAGE_DIR.parent.parent / name):
        if candidate.is_dir():
            return candidate
    raise TraceError(f"the tool's {name} folder is missing; reinstall trace")


@dataclass(frozen=True)
class SchemaIssue:
    """One schema violation: where in the record, and the sentence to show."""

    data_path: tuple[Any, ...]
    message: str


def _inline_refs(node: Any, documents: Mapping[str, Any], document: str) -> Any:
    """The schema with every $ref replaced by what it points at: the same meaning, validated several
    times faster because nothing is looked up for every record. A reference is `file#/pointer` or
    `#/pointer` (into `document`), as trace's own schemas write them."""
    if isinstance(node, list):
        return [_inline_refs(item, documents, document) for item in node]
    if not isinstance(node, dict):
        return node
    if "$ref" in node:
        name, _, pointer = str(node["$ref"]).partition("#")
        name = name or document
        target = _inline_refs(_pointed_at(documents[name], pointer), documents, name)
        siblings = {key: _inline_refs(value, documents, document) for key, value in node.items() if key != "$ref"}
        merged = {**target, **siblings}
        if "description" in target and "description" in siblings:
            # The field's own description says what it means; keep the definition's, which says its form.
            merged["x-form"] = target.get("x-form", target["description"])
        return merged
    return {key: _inline_refs(value, documents, document) for key, value in node.items()}


def _pointed_at(document: Any, pointer: str) -> Any:
    """What a JSON pointer (RFC 6901: /$defs/id) names in a document."""
    node = document
    for part in pointer.split("/")[1:]:
        part = part.replace("~1", "/").replace("~0", "~")
        node = node[int(part)] if isinstance(node, list) else node[part]
    return node


@cache
def _documents() -> dict[str, Any]:
    """The schema files, by file name."""
    folder = data_dir("schemas")
    return {path.name: json.loads(path.read_text(encoding="utf-8")) for path in sorted(folder.glob("*.schema.json"))}


@cache
def _inlined() -> dict[str, dict[str, Any]]:
    """Each kind's schema with its references inlined (what the fields are, for every command that asks,
    without jsonschema or compiling anything)."""
    documents = _documents()
    schemas = {}
    for kind in KINDS:
        name = f"{kind}.schema.json"
        inlined = _inline_refs(documents[name], documents, name)
        inlined.pop("$id", None)
        schemas[kind] = inlined
    return schemas


@cache
def _validators() -> dict[str, Draft202012Validator]:
    from jsonschema import Draft202012Validator, FormatChecker

    documents = _documents()
    for kind in KINDS:
        Draft202012Validator.check_schema(documents[f"{kind}.schema.json"])
    return {kind: Draft202012Validator(schema, format_checker=FormatChecker()) for kind, schema in _inlined().items()}


@cache
def _compiled() -> CompiledSchemas:
    """The schemas compiled to Python, from the user's cache when it holds them (schema_code.py)."""
    from learntrace.schema_code import compiled_schemas

    return compiled_schemas(data_dir("schemas"), _inlined)


def _schema(kind: str) -> dict[str, Any]:
    """The kind's schema with its references inlined (always a mapping: the files are checked on load)."""
    return _inlined()[kind]


def _fast_checks() -> dict[str, Any]:
    """Compiled validators: a record that passes needs no further schema work. jsonschema still
    explains every failure, so messages do not depend on the compiled code (schema_code.py)."""
    return _compiled().checks


@cache
def schema_properties(kind: str) -> tuple[str, ...]:
    """The fields a record of this kind may have, in the schema's order."""
    return tuple(_schema(kind)["properties"])


@cache
def field_schemas(kind: str) -> dict[str, dict[str, Any]]:
    """Each field's schema (references inlined), in the schema's order."""
    return {name: dict(value) for name, value in _schema(kind)["properties"].items()}


@cache
def required_fields(kind: str) -> tuple[str, ...]:
    return tuple(_schema(kind)["required"])


def article(kind: str) -> str:
    return f"an {kind}" if kind[0] in "aeiou" else f"a {kind}"


def describe_path(data_path: Sequence[Any]) -> str:
    """`aims` item 2, `provenance` item 1 → `section`: how a person finds the spot in the file."""
    parts: list[str] = []
    for step in data_path:
        if isinstance(step, int):
            parts.append(f"item {step + 1}")
        else:
            parts.append(f"'{step}'" if not parts else f"→ '{step}'")
    return " ".join(parts) if parts else "the record"


def _description(error: ValidationError) -> str:
    schema = error.schema if isinstance(error.schema, Mapping) else {}
    description = schema.get("description")
    return str(description) if description else ""


def _type_words(expected: Any) -> str:
    words = {
        "string": "text",
        "integer": "a whole number",
        "array": "a list",
        "object": "a set of fields",
        "number": "a number",
        "boolean": "true or false",
    }
    names = [str(name) for name in (expected if isinstance(expected, list) else [expected])]
    return " or ".join(words.get(name, name) for name in names)


def _found_words(instance: Any) -> str:
    if instance is None:
        return "nothing (the value is empty)"
    if isinstance(instance, bool):
        return f"{str(instance).lower()}"
    if isinstance(instance, (int, float)):
        return f"the number {instance}"
    if isinstance(instance, list):
        return "a list"
    if isinstance(instance, dict):
        return "a set of fields"
    return f"'{instance}'"


def _pasted(where: str, instance: Any, fits: Callable[[str], bool], otherwise: str) -> str | None:
    """The message for a value typed exactly but pasted with look-alike or invisible characters, such as
    'status' is '<curly>complete<curly>', which has curly quotes around it; type the value without them: complete."""
    if not isinstance(instance, str):
        return None
    found = pasted.describe(instance)
    if found is None:
        return None
    description, fix = found
    plain = pasted.cleaned(instance)
    advice = f"{fix}: {plain}" if plain and fits(plain) else otherwise
    return f"{where} is {_found_words(instance)}, which {description}; {advice}"


def _matches(pattern: str) -> Callable[[str], bool]:
    return lambda text: re.search(pattern, text) is not None


def _missing_fields(path: tuple[Any, ...], instance: Any, required: Any, schema: Mapping[str, Any],
                    kind: str) -> Iterator[SchemaIssue]:
    missing = [name for name in required if isinstance(instance, dict) and name not in instance]
    # A field required only in some cases (a declined recommendation's reason) says which case, at its field.
    because, at = schema.get("x-because"), schema.get("x-at")
    where_missing = (*path, at) if at and isinstance(instance, dict) and at in instance else path
    for name in missing:
        owner = because or f"{article(kind) if not path else describe_path(path)} must have it"
        yield SchemaIssue(where_missing, f"is missing the required field '{name}' ({owner})")


def _extra_fields(path: tuple[Any, ...], instance: Any, schema: Mapping[str, Any], kind: str) -> Iterator[SchemaIssue]:
    allowed = sorted(schema.get("properties", {}))
    extras = [name for name in instance if name not in allowed] if isinstance(instance, dict) else []
    for name in extras:
        found = pasted.describe(str(name))
        if found is not None and pasted.cleaned(str(name)) in allowed:
            yield SchemaIssue((*path, name), (
                f"has the field '{name}', whose name {found[0]}; {found[1]}: {pasted.cleaned(str(name))}"
            ))
            continue
        close = difflib.get_close_matches(str(name), allowed, n=1)
        suggestion = f"; did you mean '{close[0]}'?" if close else f"; the fields allowed are: {', '.join(allowed)}"
        subject = article(kind) if not path else describe_path(path)
        yield SchemaIssue((*path, name), f"has the field '{name}', which {subject} does not have{suggestion}")


def _enum_message(where: str, instance: Any, value: Any, schema: Mapping[str, Any]) -> str:
    choices = ", ".join(str(choice) for choice in value)
    retyped = _pasted(where, instance, lambda text: text in value, f"use one of: {choices}")
    message = retyped or f"{where} is {_found_words(instance)}, which is not allowed; use one of: {choices}"
    if not retyped and schema.get("x-because"):
        message += f" ({schema['x-because']})"
    if not retyped and schema.get("x-meaning"):  # what the values mean, for a choice a person has to judge
        message += f". {schema['x-meaning']}"
    return message


def _messages(error: ValidationError, kind: str) -> Iterator[SchemaIssue]:
    path = tuple(error.absolute_path)
    where = describe_path(path)
    hint = _description(error)
    instance = error.instance
    validator = error.validator
    schema: Mapping[str, Any] = error.schema if isinstance(error.schema, Mapping) else {}
    value: Any = error.validator_value
    if validator == "required":
        yield from _missing_fields(path, instance, value, schema, kind)
    elif validator == "additionalProperties":
        yield from _extra_fields(path, instance, schema, kind)
    elif validator == "enum":
        yield SchemaIssue(path, _enum_message(where, instance, value, schema))
    elif validator == "const":
        because = f" {schema['x-because']}" if schema.get("x-because") else ""
        yield SchemaIssue(path, f"{where} must be '{value}'{because}")
    elif validator == "type":
        expected = value if isinstance(value, list) else [value]
        form = schema.get("x-form") if "array" in expected else None
        wanted = form or hint or _type_words(value)
        yield SchemaIssue(path, f"{where} should be {wanted}, but it is {_found_words(instance)}")
    elif validator == "pattern":
        wanted = schema.get("x-form") or hint or f"text matching {value}"
        yield SchemaIssue(path, _pasted(where, instance, _matches(str(value)), f"it should be {wanted}")
                          or f"{where} is {_found_words(instance)}, which is not {wanted}")
    elif validator in ("minimum", "maximum"):
        wanted = hint or f"a number {'at least' if validator == 'minimum' else 'at most'} {value}"
        yield SchemaIssue(path, f"{where} is {_found_words(instance)}, which is not {wanted}")
    elif validator == "anyOf":
        wanted = hint or "in a form this field accepts"
        yield SchemaIssue(path, f"{where} is {_found_words(instance)}; it should be {wanted}")
    elif validator == "uniqueItems":
        yield SchemaIssue(path, f"{where} lists the same value more than once; keep one of each")
    elif validator == "minLength":
        yield SchemaIssue(path, f"{where} is empty; write something or remove the field if it is optional")
    elif validator == "minItems":
        yield SchemaIssue(path, f"{where} is an empty list; give at least one item or remove the field")
    else:
        yield SchemaIssue(path, f"{where}: {error.message}")


def check_schema(kind: str, data: Mapping[str, Any]) -> list[SchemaIssue]:
    """Every schema violation of one record, each as a plain-English sentence."""
    import fastjsonschema

    try:
        _fast_checks()[kind](data)
        return []
    except fastjsonschema.JsonSchemaException:
        pass
    validator = _validators()[kind]
    issues: list[SchemaIssue] = []
    for error in sorted(validator.iter_errors(data), key=lambda e: [str(step) for step in e.absolute_path]):
        # jsonschema reports every missing field once per missing field: say each only once.
        issues.extend(issue for issue in _messages(error, kind) if issue not in issues)
    return issues
