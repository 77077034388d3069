"""Which recommendations say the same thing: TF-IDF vectors of their terms (analyses/wording.py), compared
by cosine similarity (analyses/cosine_matches.py).

numpy (and scipy, for the sparse product) are imported inside the functions that need them, so that
commands which never compare texts (trace validate, trace --version) do not pay for them.
"""

from __future__ import annotations

import math
from collections import Counter
from collections.abc import Mapping, Sequence
from dataclasses import dataclass, field
from functools import lru_cache
from typing import TYPE_CHECKING

from learntrace.analyses.cosine_matches import Matches, best_matches, best_matches_side_by_side
from learntrace.analyses.publication import publication_key
from learntrace.analyses.sparse_rows import SparseRows
from learntrace.analyses.wording import SUBJECT_TERMS, SUBJECT_WEIGHT, text_terms
from learntrace.model import Record, natural_key

if TYPE_CHECKING:
    import numpy as np

# Each recommendation's nearest recommendations of other sources that `trace similar` lists.
DEFAULT_NEAREST = 5
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
class PairList:
    """The pairs listed, and how many more pairs reached the threshold but were not among the nearest."""

    pairs: list[SimilarPair]
    left_out: int


@dataclass(frozen=True)
class TextIndex:
    """Documents as unit-length TF-IDF rows, and their texts (to show how each writes a term)."""

    ids: tuple[str, ...]
    vectors: SparseRows
    vocabulary: tuple[str, ...]
    texts: tuple[str, ...]
    weights_of_row: dict[int, dict[int, float]] = field(default_factory=dict, compare=False, repr=False)

    def row(self, document_id: str) -> int:
        try:
            return self.ids.index(document_id)
        except ValueError:
            raise ValueError(f"there is no text with the id '{document_id}'") from None

    def spellings(self, row: int, wanted: set[str]) -> dict[str, set[str]]:
        """How the document of a row writes each of the wanted terms (one pass over its terms, worked out only
        for the terms shown, which are a few of each pair's)."""
        found: dict[str, set[str]] = {}
        for term, word in zip(*text_terms(self.texts[row]), strict=True):
            if term in wanted:
                found.setdefault(term, set()).add(word)
        return found


def recommendation_text(recommendation: Record) -> str:
    text = recommendation.get("text")
    return text if isinstance(text, str) else ""


def build_index(documents: Sequence[tuple[str, str]]) -> TextIndex:
    """TF-IDF over (id, text) documents: sublinear term frequency (a word said three times is not three
    times the subject), smoothed inverse document frequency squared (a term most documents use weighs
    little), subject terms weighted up (wording.SUBJECT_TERMS), each row scaled to unit length so that
    the dot product of two rows is their cosine similarity."""
    import numpy as np
    columns: dict[str, int] = {}
    indptr, indices, counts = [0], [], []
    for _, text in documents:
        tally = Counter(text_terms(text)[0])
        for term, count in tally.items():
            indices.append(columns.setdefault(term, len(columns)))
            counts.append(count)
        indptr.append(len(indices))
    shape = (len(documents), len(columns))
    column_of = np.asarray(indices, dtype=np.int64)
    row_starts = np.asarray(indptr, dtype=np.int64)
    document_frequency = np.bincount(column_of, minlength=shape[1])
    idf = (np.log((1 + shape[0]) / (1 + document_frequency)) + 1) ** IDF_POWER
    for term, column in columns.items():
        if term in SUBJECT_TERMS:
            idf[column] *= SUBJECT_WEIGHT
    data = (1 + np.log(np.asarray(counts, dtype=np.float64))) * idf[column_of]
    row_of = np.repeat(np.arange(shape[0]), np.diff(row_starts))
    lengths = np.sqrt(np.bincount(row_of, weights=data ** 2, minlength=shape[0]))
    lengths[lengths == 0] = 1  # a text with no terms stays a row of zeros
    data /= lengths[row_of]
    vocabulary = tuple(sorted(columns, key=columns.__getitem__))
    return TextIndex(tuple(doc_id for doc_id, _ in documents), SparseRows(row_starts, column_of, data, shape),
                     vocabulary, tuple(text for _, text in documents))


@lru_cache(maxsize=2)
def _index_of(documents: tuple[tuple[str, str], ...]) -> TextIndex:
    """The index of these texts, kept while the process runs: a report or `trace diff` analyses several
    snapshots whose recommendations are mostly the same texts."""
    return build_index(documents)


def recommendation_index(records: Sequence[Record]) -> TextIndex:
    return _index_of(tuple((r.id, recommendation_text(r)) for r in records))


def _row_weights(index: TextIndex, row: int) -> dict[int, float]:
    weights = index.weights_of_row.get(row)
    if weights is None:
        vectors = index.vectors
        start, end = int(vectors.indptr[row]), int(vectors.indptr[row + 1])
        weights = dict(zip(vectors.indices[start:end].tolist(), vectors.data[start:end].tolist(), strict=True))
        index.weights_of_row[row] = weights
    return weights


def shared_words(index: TextIndex, first: int, second: int, limit: int = SHARED_WORDS_SHOWN) -> tuple[str, ...]:
    """The terms two documents share, the ones that add most to their score first, as each writes them
    ("fathers/men" when one says fathers and the other men)."""
    weight_a, weight_b = _row_weights(index, first), _row_weights(index, second)
    weights = [(weight * weight_b[column], column) for column, weight in weight_a.items() if column in weight_b]
    vocabulary = index.vocabulary
    ranked = sorted(weights, key=lambda item: (-item[0], vocabulary[item[1]]))
    top = [vocabulary[column] for _, column in ranked[:limit]]
    wanted = set(top)
    written_a, written_b = index.spellings(first, wanted), index.spellings(second, wanted)
    return tuple("/".join(sorted(written_a[term] | written_b[term])) for term in top)


def _ordered(recommendations: Sequence[Record]) -> tuple[list[Record], list[str]]:
    records = sorted(recommendations, key=lambda r: natural_key(r.id))
    return records, [str(r.get("source", "")) for r in records]


class _PairMaker:
    """Puts each pair's recommendation from the earlier source first, and names the words they share
    (unless `words` is false: JSON shows no words, and naming them is most of the work per pair)."""

    def __init__(self, index: TextIndex, source_ids: Sequence[str], sources: Sequence[Record],
                 words: bool = True) -> None:
        self._words = words
        by_id = {source.id: source for source in sources}
        source_keys = {source_id: publication_key(by_id.get(source_id), source_id) for source_id in set(source_ids)}
        self._index = index
        keys = [(*source_keys[source_id], natural_key(index.ids[row])) for row, source_id in enumerate(source_ids)]
        place = {key: rank for rank, key in enumerate(sorted(set(keys)))}
        self.ranks = [place[key] for key in keys]  # row i's recommendation comes first when its rank is lower

    def __call__(self, first: int, second: int, score: float) -> SimilarPair:
        index = self._index
        words = shared_words(index, first, second) if self._words else ()
        return SimilarPair(index.ids[first], index.ids[second], score, words)


def _groups(source_ids: Sequence[str]) -> np.ndarray:
    """A number per row, the same for the rows of one source."""
    import numpy as np

    numbers: dict[str, int] = {}
    return np.asarray([numbers.setdefault(source_id, len(numbers)) for source_id in source_ids], dtype=np.int64)


def check_threshold(threshold: float) -> None:
    if not (isinstance(threshold, int | float) and 0 <= threshold <= 1) or math.isnan(threshold):
        raise ValueError(f"the threshold must be a number from 0 to 1, such as 0.3, not {threshold!r}")


def _check_nearest(nearest: int) -> None:
    if isinstance(nearest, bool) or not isinstance(nearest, int) or nearest < 1:
        raise ValueError(f"the number of nearest recommendations must be a whole number of 1 or more, not {nearest!r}")


def _pair_list(make: _PairMaker, matches: Matches, above_threshold: int) -> PairList:
    """Each pair once (the recommendation of the earlier source first) at the best score either found it
    with, most similar first; the rows are in the order of their ids (`_ordered`), so sorting by rows
    sorts by ids."""
    import numpy as np

    rank = np.asarray(make.ranks, dtype=np.int64)
    swap = rank[matches.rows] > rank[matches.columns]
    first = np.where(swap, matches.columns, matches.rows)
    second = np.where(swap, matches.rows, matches.columns)
    by_pair = np.lexsort((-matches.scores, second, first))  # each pair's best score first
    first, second, score = first[by_pair], second[by_pair], matches.scores[by_pair]
    best = np.ones(len(first), dtype=bool)
    best[1:] = (first[1:] != first[:-1]) | (second[1:] != second[:-1])
    first, second, score = first[best], second[best], score[best]
    ranked = np.lexsort((second, first, -score))
    pairs = [make(a, b, s) for a, b, s in zip(first[ranked].tolist(), second[ranked].tolist(),
                                              score[ranked].tolist(), strict=True)]
    return PairList(pairs, above_threshold - len(pairs))


def similar_pairs(recommendations: Sequence[Record], threshold: float, sources: Sequence[Record] = (),
                  nearest: int = DEFAULT_NEAREST, words: bool = True) -> PairList:
    """Pairs of recommendations from different sources scoring at or above the threshold, each once, most
    similar first: every recommendation's `nearest` best, so that a few hundred texts on one subject
    list what is nearest to each, not every one of their tens of thousands of pairs. `a` is the
    recommendation whose source was published first (by the latest day each source can have been
    published, then the earliest; unknown dates last; then by id)."""
    import numpy as np

    check_threshold(threshold)
    _check_nearest(nearest)
    records, source_ids = _ordered(recommendations)
    if len(records) < 2:
        return PairList([], 0)
    index = recommendation_index(records)
    rows = np.arange(len(records))
    matches = best_matches_side_by_side(index.vectors, rows, rows, threshold, nearest, groups=_groups(source_ids))
    # every pair reached the threshold once from each side
    return _pair_list(_PairMaker(index, source_ids, sources, words), matches, int(matches.reached.sum()) // 2)


def nearest_to(recommendations: Sequence[Record], record_id: str, threshold: float,
               sources: Sequence[Record] = (), nearest: int = DEFAULT_NEAREST, words: bool = True) -> PairList:
    """The `nearest` recommendations of other sources most similar to one, at or above the threshold."""
    import numpy as np

    check_threshold(threshold)
    _check_nearest(nearest)
    records, source_ids = _ordered(recommendations)
    index = recommendation_index(records)
    row = index.row(record_id)
    others = np.asarray([j for j in range(len(records)) if source_ids[j] != source_ids[row]], dtype=np.int64)
    if not len(others):
        return PairList([], 0)
    matches = best_matches(index.vectors, np.asarray([row]), others, threshold, nearest)
    return _pair_list(_PairMaker(index, source_ids, sources, words), matches, int(matches.reached.sum()))


@dataclass(frozen=True)
class Repeat:
    """A recommendation (`later`) whose text is like that of others (`earlier`, the most similar first) of
    sources published before its own; `also` is how many more reached the threshold."""

    later: str
    earlier: tuple[tuple[str, float], ...]
    shared_words: tuple[str, ...]  # with the first of `earlier`
    also: int


def repeated(recommendations: Sequence[Record], later_ids: Sequence[str], earlier_ids: Sequence[str],
             threshold: float, published: Mapping[str, tuple[float, float]], shown: int = 3) -> list[Repeat]:
    """For each later recommendation, the earlier ones at or above the threshold whose source was certainly
    published before its own, the `shown` most similar of them. `published` gives, by recommendation id,
    the first and last day (as ordinals) its source can have been published on; a recommendation it
    leaves out has no known date and is never before or after another. The terms are still weighed over
    every recommendation, as `similar_pairs` weighs them."""
    check_threshold(threshold)
    records, source_ids = _ordered(recommendations)
    documents = tuple((r.id, recommendation_text(r)) for r in records)
    return list(_repeated(documents, tuple(source_ids), tuple(sorted(later_ids)), tuple(sorted(earlier_ids)),
                          threshold, tuple(sorted(published.items())), shown))


@lru_cache(maxsize=4)
def _repeated(documents: tuple[tuple[str, str], ...], source_ids: tuple[str, ...], later_ids: tuple[str, ...],
              earlier_ids: tuple[str, ...], threshold: float, published: tuple[tuple[str, tuple[float, float]], ...],
              shown: int) -> tuple[Repeat, ...]:
    """repeated's answer, kept while the process runs: `trace diff` and a report judge two or more
    snapshots whose recommendations are usually the same."""
    import numpy as np

    index = _index_of(documents)
    row = {doc_id: position for position, doc_id in enumerate(index.ids)}
    later = np.asarray(sorted(row[i] for i in later_ids), dtype=np.int64)
    earlier = np.asarray(sorted(row[i] for i in earlier_ids), dtype=np.int64)
    if not len(later) or not len(earlier):
        return ()
    days = dict(published)
    unknown = (-math.inf, math.inf)  # no day comes after the last of these, nor before the first
    first_day = np.asarray([days.get(doc_id, unknown)[0] for doc_id in index.ids], dtype=np.float64)
    last_day = np.asarray([days.get(doc_id, unknown)[1] for doc_id in index.ids], dtype=np.float64)

    def allowed(rows: np.ndarray, columns: np.ndarray) -> np.ndarray:
        before: np.ndarray = last_day[columns][None, :] < first_day[rows][:, None]
        return before

    matches = best_matches_side_by_side(index.vectors, later, earlier, threshold, shown, allowed,
                                        _groups(source_ids))
    found: dict[int, list[tuple[int, float]]] = {}
    for i, j, score in zip(matches.rows.tolist(), matches.columns.tolist(), matches.scores.tolist(), strict=True):
        found.setdefault(i, []).append((j, score))
    reached = dict(zip(later.tolist(), matches.reached.tolist(), strict=True))
    return tuple(Repeat(index.ids[i], tuple((index.ids[j], score) for j, score in best),
                        shared_words(index, i, best[0][0]), reached[i] - len(best))
                 for i, best in sorted(found.items()))
