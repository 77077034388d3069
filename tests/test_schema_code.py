"""The schemas compiled once and kept in the user's cache: a run over valid records does not import
jsonschema; a kept file that is not what trace wrote is compiled afresh."""

from __future__ import annotations

import marshal
import os
import subprocess
import sys
import textwrap

from learntrace.model import KINDS

CHECK = textwrap.dedent("""
    import sys
    from learntrace.schema import check_schema
    good = check_schema("aim", {"id": "AIM-1", "title": "Babies", "status": "active"})
    bad = check_schema("aim", {"id": "AIM-1", "title": "Babies", "status": "sleeping"})
    print(good == [], bool(bad), "jsonschema" in sys.modules)
""")


def _printed(cache_home, code: str) -> list[str]:
    """What a fresh Python process running `code` prints, word by word, with this user cache folder."""
    env = {**os.environ, "XDG_CACHE_HOME": str(cache_home)}
    return subprocess.run([sys.executable, "-c", code], env=env, capture_output=True, text=True,
                          check=True).stdout.split()


def _run(cache_home) -> list[str]:
    return _printed(cache_home, CHECK)


def _kept(cache_home) -> list:
    return sorted((cache_home / "trace" / "schemas").glob("checks-*.marshal"))


def test_the_compiled_schemas_are_kept_and_a_valid_record_then_needs_no_jsonschema(tmp_path):
    # A refused record is explained by jsonschema, so it is imported in this first run.
    assert _run(tmp_path) == ["True", "True", "True"]
    assert len(_kept(tmp_path)) == 1
    only_valid = ("import sys\nfrom learntrace.schema import check_schema\n"
                  "print(check_schema('aim', {'id': 'AIM-1', 'title': 'Babies', 'status': 'active'}), "
                  "'jsonschema' in sys.modules)")
    assert _printed(tmp_path, only_valid) == ["[]", "False"]


def test_checking_a_valid_record_whole_needs_no_jsonschema_once_the_schemas_are_kept(tmp_path):
    # check_record also asks which fields each kind has (a misfiled record): that comes from the kept file too.
    _run(tmp_path)
    whole = ("import sys\nfrom learntrace.model import Record\nfrom learntrace.validate import check_record\n"
             "aim = Record('aim', 'AIM-1', 'records/aims/AIM-1.yaml', {'id': 'AIM-1', 'title': 'B', 'status': 'active'})\n"
             "print(check_record(aim), 'jsonschema' in sys.modules)")
    assert _printed(tmp_path, whole) == ["[]", "False"]


def test_a_kept_file_that_is_not_compiled_schemas_is_compiled_afresh(tmp_path):
    _run(tmp_path)
    (kept,) = _kept(tmp_path)
    not_code = marshal.dumps({kind: "print('not a schema')" for kind in KINDS})
    code = compile("x = 1", "x", "exec")
    not_schemas = marshal.dumps(({kind: {"type": frozenset({"object"})} for kind in KINDS}, dict.fromkeys(KINDS, code)))
    for planted in (b"garbage", b"\xe3\x00\x00\x00", not_code, marshal.dumps({"aim": code}), not_schemas):
        kept.write_bytes(planted)
        assert _run(tmp_path) == ["True", "True", "True"]


def test_what_the_fields_are_needs_neither_jsonschema_nor_compiling(tmp_path):
    # A report asks which statuses an action may have: that must not cost compiling every schema.
    code = ("import sys\nfrom learntrace.schema import field_schemas, required_fields\n"
            "print(field_schemas('action')['status']['enum'][0], required_fields('aim')[0], "
            "'jsonschema' in sys.modules, 'fastjsonschema' in sys.modules)")
    assert _printed(tmp_path, code) == ["not-started", "id", "False", "False"]
    assert _kept(tmp_path) == []


def test_the_schemas_inlined_say_what_jsonschema_resolves_their_references_to():
    from referencing import Registry
    from referencing.jsonschema import DRAFT202012

    from learntrace.schema import _documents, _inlined

    def resolved(node, resolver):
        if isinstance(node, list):
            return [resolved(item, resolver) for item in node]
        if not isinstance(node, dict):
            return node
        if "$ref" in node:
            target = resolver.lookup(node["$ref"])
            merged = {**resolved(target.contents, target.resolver),
                      **{key: resolved(value, resolver) for key, value in node.items() if key != "$ref"}}
            if "description" in target.contents and "description" in node:
                merged["x-form"] = resolved(target.contents, target.resolver).get("x-form",
                                                                                 target.contents["description"])
            return merged
        return {key: resolved(value, resolver) for key, value in node.items()}

    documents = _documents()
    registry = Registry().with_resources((name, DRAFT202012.create_resource(document))
                                         for name, document in documents.items())
    for kind in KINDS:
        schema = documents[f"{kind}.schema.json"]
        expected = resolved(schema, registry.resolver(base_uri=schema["$id"]))
        expected.pop("$id", None)
        assert _inlined()[kind] == expected, kind
        assert "$ref" not in repr(_inlined()[kind])
