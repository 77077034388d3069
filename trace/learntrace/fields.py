"""The fields a kind of record has, their shapes, and values as people type them."""

from __future__ import annotations

import difflib
import re
from typing import Any

from learntrace.errors import TraceError
from learntrace.schema import article, field_schemas


def property_schemas(kind: str) -> dict[str, dict[str, Any]]:
    """Each field a kind may have, with its schema (references inlined), in the schema's order."""
    return field_schemas(kind)


def _field_schema(kind: str, field: str) -> dict[str, Any]:
    properties = property_schemas(kind)
    if field not in properties:
        close = difflib.get_close_matches(field, list(properties), n=1)
        hint = f"did you mean '{close[0]}'?" if close else f"the fields are: {', '.join(properties)}"
        raise TraceError(f"{article(kind)} has no field '{field}'; {hint}")
    return dict(properties[field])


def field_shape(kind: str, field: str) -> str:
    """'list' (of ids or labels), 'fields' (a list of sets of fields, edited in the file), or 'text'."""
    schema = _field_schema(kind, field)
    variants = [schema, *schema.get("anyOf", [])]
    for variant in variants:
        if variant.get("type") == "array":
            items = variant.get("items", {})
            return "fields" if isinstance(items, dict) and items.get("type") == "object" else "list"
    return "text"


def parse_list(value: str) -> list[str]:
    """`A,B`, `A, B`, `[A, B]` and `[]` as a list of items."""
    inner = value.strip()
    if inner.startswith("[") and inner.endswith("]"):
        inner = inner[1:-1]
    return [item.strip() for item in re.split(r"[,;]", inner) if item.strip()]


def value_for(kind: str, field: str, value: str) -> Any:
    shape = field_shape(kind, field)
    if shape == "fields":
        raise TraceError(
            f"'{field}' holds a list of fields, which trace set cannot write; edit the file itself"
        )
    if shape == "list":
        if field == "aims" and kind == "recommendation" and value.strip() == "all":
            return "all"
        return parse_list(value)
    if not value.strip():
        raise TraceError(f"give '{field}' a value, or use --remove to delete the field")
    return value.strip()


def describe_value(value: Any) -> str:
    if value is None:
        return "(not set)"
    if isinstance(value, list):
        return "[" + ", ".join(str(item) for item in value) + "]"
    return str(value)
