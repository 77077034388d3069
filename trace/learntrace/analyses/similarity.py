"""Which recommendations say the same thing: TF-IDF vectors of their terms (analyses/wording.py), compared
by cosine similarity with a sparse matrix product (scipy.sparse), a block of rows at a time.

numpy and scipy are imported inside the functions that need them, so that commands which never compare
texts (trace validate, trace --version) do not pay for them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Iterator, Mapping, Sequence
from dataclasses import dataclass
from functools import lru_cache
from typing import TYPE_CHECKING

from learntrace.analyses.publication import publication_key
from learntrace.analyses.wording import SUBJECT_TERMS, SUBJECT_WEIGHT, terms
from learntrace.model import Record, natural_key

if TYPE_CHECKING:
    import numpy as np
    from scipy.sparse import csr_matrix

# Rows of the product computed at once: bounds memory when many texts share a common word.
_BLOCK = 512
# Scores are compared and shown at this many decimal places, so "at or above the threshold" agrees with
# what is printed.
DECIMALS = 3
# Words shown for a pair, the ones that weigh most first.
SHARED_WORDS_SHOWN = 8
# Inverse document frequency is squared: a partnership has a few dozen to a few thousand recommendations,
# too few for plain IDF to tell a specific term ("genogram", in 2 of Norfolk's 34) from policy language
# ("assessment", in 14) by much; squared, the ratio grows from 2 to 4. Chosen on the labelled pairs
# (tests/fixtures/similar_pairs.yaml), with the subject weight and the default threshold.
IDF_POWER = 2.0


@dataclass(frozen=True)
class SimilarPair:
    """Two recommendations of different sources, `a` from the source published first."""

    a: str
    b: str
    score: float
    shared_words: tuple[str, ...]


@dataclass(frozen=True)
class TextIndex:
    """Documents as unit-length TF-IDF rows; `written[i][term]` is how document i writes the term."""

    ids: tuple[str, ...]
    vectors: csr_matrix
    vocabulary: tuple[str, ...]
    written: tuple[Mapping[str, tuple[str, ...]], ...]

    def row(self, document_id: str) -> int:
        try:
            return self.ids.index(document_id)
        except ValueError:
            raise ValueError(f"there is no text with the id '{document_id}'") from None


def recommendation_text(recommendation: Record) -> str:
    text = recommendation.get("text")
    return text if isinstance(text, str) else ""


def build_index(documents: Sequence[tuple[str, str]]) -> TextIndex:
    """TF-IDF over (id, text) documents: sublinear term frequency (a word said three times is not three
    times the subject), smoothed inverse document frequency squared (a term most documents use weighs
    little), subject terms weighted up (wording.SUBJECT_TERMS), each row scaled to unit length so that
    the dot product of two rows is their cosine similarity."""
    import numpy as np
    from scipy.sparse import csr_matrix

    columns: dict[str, int] = {}
    indptr, indices, counts = [0], [], []
    written: list[dict[str, tuple[str, ...]]] = []
    for _, text in documents:
        found = terms(text)
        tally = Counter(term for term, _ in found)
        spellings: dict[str, set[str]] = {}
        for term, word in found:
            spellings.setdefault(term, set()).add(word)
        written.append({term: tuple(sorted(words)) for term, words in spellings.items()})
        for term, count in tally.items():
            indices.append(columns.setdefault(term, len(columns)))
            counts.append(count)
        indptr.append(len(indices))
    shape = (len(documents), len(columns))
    matrix = csr_matrix((np.asarray(counts, dtype=np.float64), np.asarray(indices, dtype=np.int64),
                         np.asarray(indptr, dtype=np.int64)), shape=shape)
    document_frequency = np.bincount(matrix.indices, minlength=shape[1])
    idf = (np.log((1 + shape[0]) / (1 + document_frequency)) + 1) ** IDF_POWER
    for term, column in columns.items():
        if term in SUBJECT_TERMS:
            idf[column] *= SUBJECT_WEIGHT
    matrix.data = (1 + np.log(matrix.data)) * idf[matrix.indices]
    row_of = np.repeat(np.arange(shape[0]), np.diff(matrix.indptr))
    lengths = np.sqrt(np.bincount(row_of, weights=matrix.data ** 2, minlength=shape[0]))
    lengths[lengths == 0] = 1  # a text with no terms stays a row of zeros
    matrix.data /= lengths[row_of]
    vocabulary = tuple(sorted(columns, key=columns.__getitem__))
    return TextIndex(tuple(doc_id for doc_id, _ in documents), matrix, vocabulary, tuple(written))


@lru_cache(maxsize=2)
def _index_of(documents: tuple[tuple[str, str], ...]) -> TextIndex:
    """The index of these texts, kept while the process runs: a report or `trace diff` analyses several
    snapshots whose recommendations are mostly the same texts."""
    return build_index(documents)


def recommendation_index(records: Sequence[Record]) -> TextIndex:
    return _index_of(tuple((r.id, recommendation_text(r)) for r in records))


def scores_between(index: TextIndex, left: np.ndarray, right: np.ndarray | None, threshold: float,
                   groups: np.ndarray | None = None) -> Iterator[tuple[int, int, float]]:
    """(left row, right row, score) for every pair whose rounded cosine is at or above the threshold and
    above zero (texts that share no term are never similar), leaving out a row paired with itself and, with
    `groups` (a group number per row), pairs of one group. With `right` None, the pairs of `left` among
    themselves, each once (the left row first). The filtering is done on whole blocks of the product, so
    that only the pairs kept reach Python."""
    import numpy as np

    each_once = right is None
    columns = left if right is None else right
    right_matrix = index.vectors[columns].T.tocsc()
    lowest = max(threshold - 0.5 * 10 ** -DECIMALS, 0)  # the lowest cosine that rounds to the threshold
    for start in range(0, len(left), _BLOCK):
        rows = left[start:start + _BLOCK]
        first = start if each_once else 0  # among themselves: only the columns from this block on
        block = (index.vectors[rows] @ right_matrix[:, first:]).tocoo()
        row_at, column_at = start + block.row, first + block.col  # positions in left and in the columns
        near = block.data >= lowest
        if each_once:
            near &= row_at < column_at
        i, j = left[row_at[near]], columns[column_at[near]]
        scores = np.round(block.data[near], DECIMALS)
        keep = (scores >= threshold) & (scores > 0) & (i != j)
        if groups is not None:
            keep &= groups[i] != groups[j]
        yield from zip(i[keep].tolist(), j[keep].tolist(), scores[keep].tolist(), strict=True)


def _row_weights(index: TextIndex, row: int) -> dict[int, float]:
    vectors = index.vectors
    start, end = int(vectors.indptr[row]), int(vectors.indptr[row + 1])
    return dict(zip(vectors.indices[start:end].tolist(), vectors.data[start:end].tolist(), strict=True))


def shared_words(index: TextIndex, first: int, second: int, limit: int = SHARED_WORDS_SHOWN) -> tuple[str, ...]:
    """The terms two documents share, the ones that add most to their score first, as each writes them
    ("fathers/men" when one says fathers and the other men)."""
    weight_a, weight_b = _row_weights(index, first), _row_weights(index, second)
    weights = [(weight * weight_b[column], column) for column, weight in weight_a.items() if column in weight_b]
    shown = []
    for _, column in sorted(weights, key=lambda item: (-item[0], index.vocabulary[item[1]]))[:limit]:
        term = index.vocabulary[column]
        spellings = sorted(set(index.written[first][term]) | set(index.written[second][term]))
        shown.append("/".join(spellings))
    return tuple(shown)


def _ordered(recommendations: Sequence[Record]) -> tuple[list[Record], list[str]]:
    records = sorted(recommendations, key=lambda r: natural_key(r.id))
    return records, [str(r.get("source", "")) for r in records]


class _PairMaker:
    """Puts each pair's recommendation from the earlier source first, and names the words they share."""

    def __init__(self, index: TextIndex, source_ids: Sequence[str], sources: Sequence[Record]) -> None:
        by_id = {source.id: source for source in sources}
        source_keys = {source_id: publication_key(by_id.get(source_id), source_id) for source_id in set(source_ids)}
        self._index = index
        self._keys = [(*source_keys[source_id], natural_key(index.ids[row]))
                      for row, source_id in enumerate(source_ids)]

    def __call__(self, i: int, j: int, score: float) -> SimilarPair:
        first, second = (i, j) if self._keys[i] <= self._keys[j] else (j, i)
        index = self._index
        return SimilarPair(index.ids[first], index.ids[second], score, shared_words(index, first, second))


def _groups(source_ids: Sequence[str]) -> np.ndarray:
    """A number per row, the same for the rows of one source."""
    import numpy as np

    numbers: dict[str, int] = {}
    return np.asarray([numbers.setdefault(source_id, len(numbers)) for source_id in source_ids], dtype=np.int64)


def _sorted_pairs(pairs: list[SimilarPair]) -> list[SimilarPair]:
    return sorted(pairs, key=lambda p: (-p.score, natural_key(p.a), natural_key(p.b)))


def check_threshold(threshold: float) -> None:
    if not (isinstance(threshold, int | float) and 0 <= threshold <= 1) or math.isnan(threshold):
        raise ValueError(f"the threshold must be a number from 0 to 1, such as 0.3, not {threshold!r}")


def similar_pairs(recommendations: Sequence[Record], threshold: float,
                  sources: Sequence[Record] = ()) -> list[SimilarPair]:
    """Every pair of recommendations from different sources scoring at or above the threshold, each
    once, most similar first; `a` is the recommendation whose source was published first (by the latest
    day each source can have been published, then the earliest; unknown dates last; then by id)."""
    import numpy as np

    check_threshold(threshold)
    records, source_ids = _ordered(recommendations)
    if len(records) < 2:
        return []
    index = recommendation_index(records)
    make = _PairMaker(index, source_ids, sources)
    rows = np.arange(len(records))
    groups = _groups(source_ids)
    pairs = [make(i, j, score) for i, j, score in scores_between(index, rows, None, threshold, groups)]
    return _sorted_pairs(pairs)


def nearest(recommendations: Sequence[Record], record_id: str, threshold: float,
            sources: Sequence[Record] = ()) -> list[SimilarPair]:
    """The recommendations of other sources most similar to one, at or above the threshold."""
    import numpy as np

    check_threshold(threshold)
    records, source_ids = _ordered(recommendations)
    index = recommendation_index(records)
    row = index.row(record_id)
    others = np.asarray([j for j in range(len(records)) if source_ids[j] != source_ids[row]], dtype=np.int64)
    if not len(others):
        return []
    make = _PairMaker(index, source_ids, sources)
    found = scores_between(index, np.asarray([row]), others, threshold)
    return _sorted_pairs([make(i, j, score) for i, j, score in found])


@dataclass(frozen=True)
class Repeat:
    """A recommendation (`later`) whose text is like that of another (`earlier`), of a different source."""

    later: str
    earlier: str
    score: float
    shared_words: tuple[str, ...]


def repeated(recommendations: Sequence[Record], later_ids: Sequence[str], earlier_ids: Sequence[str],
             threshold: float) -> list[Repeat]:
    """Each (later, earlier) pair of different sources at or above the threshold, comparing only those two
    groups (the terms are still weighed over every recommendation, as `similar_pairs` weighs them)."""
    import numpy as np

    check_threshold(threshold)
    records, source_ids = _ordered(recommendations)
    index = recommendation_index(records)
    row = {doc_id: position for position, doc_id in enumerate(index.ids)}
    later = np.asarray(sorted(row[i] for i in later_ids), dtype=np.int64)
    earlier = np.asarray(sorted(row[i] for i in earlier_ids), dtype=np.int64)
    if not len(later) or not len(earlier):
        return []
    found = [Repeat(index.ids[i], index.ids[j], score, shared_words(index, i, j))
             for i, j, score in scores_between(index, later, earlier, threshold, _groups(source_ids))]
    return sorted(found, key=lambda r: (natural_key(r.later), -r.score, natural_key(r.earlier)))
