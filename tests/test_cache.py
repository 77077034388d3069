"""The record cache: what a run stored is found by the next, and never an answer the files no longer give."""

from __future__ import annotations

from learntrace.cache import CACHE_FILE, RecordCache
from learntrace.schema import data_dir


def test_entries_saved_by_one_run_are_found_by_the_next(tmp_path):
    cache = RecordCache(tmp_path / CACHE_FILE, data_dir("schemas"))
    cache.put(("b", "records/aims/AIM-1.yaml", "0" * 40), ("ok", "parsed"))
    cache.save()
    again = RecordCache(tmp_path / CACHE_FILE, data_dir("schemas"))
    assert again.get(("b", "records/aims/AIM-1.yaml", "0" * 40)) == ("ok", "parsed")
    assert again.get(("b", "records/aims/AIM-2.yaml", "0" * 40)) is None


def test_a_cache_made_with_other_schemas_is_thrown_away(tmp_path):
    schemas = tmp_path / "schemas"
    schemas.mkdir()
    (schemas / "aim.schema.json").write_text("{}")
    cache = RecordCache(tmp_path / CACHE_FILE, schemas)
    cache.put(("b", "x", "1"), "entry")
    cache.save()
    (schemas / "aim.schema.json").write_text('{"type": "object"}')
    assert RecordCache(tmp_path / CACHE_FILE, schemas).get(("b", "x", "1")) is None


def test_a_file_changed_just_before_saving_is_not_trusted_next_time(tmp_path):
    import time

    cache = RecordCache(tmp_path / CACHE_FILE, data_dir("schemas"))
    just_now = time.time_ns()
    old = just_now - 10**10
    cache.put(("w", "records/aims/AIM-1.yaml", 10, just_now, 1, just_now), "entry")  # could change in its timestamp
    cache.put(("w", "records/aims/AIM-2.yaml", 10, old, 2, old), "entry")
    cache.put(("w", "records/aims/AIM-3.yaml", 10, old, 3, just_now), "entry")  # an old mtime put back just now
    cache.save()
    again = RecordCache(tmp_path / CACHE_FILE, data_dir("schemas"))
    assert again.get(("w", "records/aims/AIM-1.yaml", 10, just_now, 1, just_now)) is None
    assert again.get(("w", "records/aims/AIM-2.yaml", 10, old, 2, old)) == "entry"
    assert again.get(("w", "records/aims/AIM-3.yaml", 10, old, 3, just_now)) is None


def test_a_memory_only_cache_writes_nothing(tmp_path):
    cache = RecordCache(None)
    cache.put(("b", "x", "1"), "entry")
    cache.save()
    assert cache.get(("b", "x", "1")) == "entry"
    assert list(tmp_path.iterdir()) == []


def test_a_corrupt_cache_file_is_rebuilt_not_fatal(tmp_path):
    cache = RecordCache(tmp_path / CACHE_FILE, data_dir("schemas"))
    cache.put(("b", "x", "1"), "entry")
    cache.save()
    for path in tmp_path.rglob("*.marshal"):
        path.write_bytes(b"\x00not marshal")
    assert RecordCache(tmp_path / CACHE_FILE, data_dir("schemas")).get(("b", "x", "1")) is None
