"""The best matches of each of some rows among some columns by cosine similarity (rows of unit-length
vectors, so cosines are dot products), a block of rows at a time: a dense BLAS product when the terms
are few enough, a sparse one (scipy.sparse) otherwise. numpy and scipy are imported when called."""

from __future__ import annotations

from collections.abc import Callable
from dataclasses import dataclass
from functools import partial
from typing import TYPE_CHECKING

from learntrace import progress
from learntrace.analyses.sparse_rows import SparseRows
from learntrace.parallel import run_side_by_side, side_by_side

if TYPE_CHECKING:
    import numpy as np

# Cells of the product computed at once (rows x columns): about 32 MB of scores, whatever the number of texts.
_CELLS = 4_000_000
# Scores are compared and shown at this many decimal places, so "at or above the threshold" agrees with
# what is printed.
DECIMALS = 3


@dataclass(frozen=True)
class Matches:
    """The (row, column, score) of each match `best_matches` kept, as three arrays, each row's best
    first; and per row how many columns reached the threshold."""

    rows: np.ndarray
    columns: np.ndarray
    scores: np.ndarray
    reached: np.ndarray


# With fewer rows than this, comparing them is quick: a child would cost more than it saves.
SHARE_FROM = 1000


def best_matches_side_by_side(vectors: SparseRows, rows: np.ndarray, columns: np.ndarray, threshold: float,
                              keep: int, allowed: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
                              groups: np.ndarray | None = None) -> Matches:
    """best_matches, its rows shared out among the cores (all but the first share in forked children,
    parallel.py): each row's matches depend on nothing but the row, so the answer is the same."""
    import numpy as np

    shares = min(side_by_side(), len(rows) // SHARE_FROM)
    if shares < 2:
        return best_matches(vectors, rows, columns, threshold, keep, allowed, groups)
    parts = np.array_split(rows, shares)
    found = run_side_by_side({str(number): partial(best_matches, vectors, part, columns, threshold, keep, allowed,
                                                   groups) for number, part in enumerate(parts)})
    return Matches(*(np.concatenate([getattr(matches, name) for matches in found.values()])
                     for name in ("rows", "columns", "scores", "reached")))


def best_matches(vectors: SparseRows, rows: np.ndarray, columns: np.ndarray, threshold: float, keep: int,
                 allowed: Callable[[np.ndarray, np.ndarray], np.ndarray] | None = None,
                 groups: np.ndarray | None = None) -> Matches:
    """For each of `rows`, its `keep` best `columns` (most similar first, then by position): those whose
    rounded cosine is at or above the threshold and above zero (texts that share no term are never
    similar), leaving out the row itself, with `groups` (a number per row of the index) the columns of
    the row's own group and, with `allowed` (rows, columns -> a boolean matrix), the pairs it rules
    out; and how many (row, column) pairs reached the threshold in all. The product is computed and
    filtered a block of rows at a time, so memory stays bounded and only the matches kept reach
    Python; each block is filtered in a few passes, ranked by the cosine itself."""
    import numpy as np

    products = _Products(vectors, columns)
    block_size = products.block_rows
    if groups is not None:  # the positions in `columns` of each group's rows
        column_groups = groups[columns]
        by_group = np.argsort(column_groups, kind="stable")
        numbers, firsts = np.unique(column_groups[by_group], return_index=True)
        members = dict(zip(numbers.tolist(), np.split(by_group, firsts[1:]), strict=True))
        no_members = np.zeros(0, dtype=np.int64)
    # The lowest cosine that rounds to the threshold (and to more than zero): cells below it never count.
    lowest = max(threshold, 10 ** -DECIMALS) - 0.5 * 10 ** -DECIMALS
    column_of_row = {row: position for position, row in enumerate(columns.tolist())}
    kept: list[tuple[np.ndarray, np.ndarray, np.ndarray]] = []
    reached = []
    for start in range(0, len(rows), block_size):
        progress.step("Comparing texts", start, len(rows))
        block = rows[start:start + block_size]
        scores = products.of(block)
        itself = [(at, column_of_row[row]) for at, row in enumerate(block.tolist()) if row in column_of_row]
        if itself:
            scores[tuple(np.asarray(itself).T)] = -1.0
        if groups is not None:
            same = [members.get(group, no_members) for group in groups[block].tolist()]
            scores[np.repeat(np.arange(len(block)), [len(m) for m in same]), np.concatenate(same)] = -1.0
        if allowed is not None:
            np.copyto(scores, -1.0, where=~allowed(block, columns))
        reached.append(np.count_nonzero(scores >= lowest, axis=1))
        # (flat positions, then rows and columns: np.nonzero of a matrix is many times slower)
        row_at, column_at = np.divmod(np.flatnonzero(scores >= _cutoffs(scores, lowest, keep)[:, None]),
                                      scores.shape[1])
        rounded = np.round(scores[row_at, column_at].astype(np.float64), DECIMALS)
        # by row, then the highest score as shown first (rows are 4 apart and scores within 1 of 0); stable,
        # so equal scores keep the order of their columns. Ranked as shown, not by the raw cosine: the last
        # bits of a float32 product depend on how BLAS splits it, and must not decide between equal scores.
        ranked = np.argsort(row_at * 4.0 - rounded, kind="stable")
        row_at, column_at, score_at = row_at[ranked], column_at[ranked], rounded[ranked]
        rank = np.arange(len(row_at)) - np.searchsorted(row_at, row_at)  # place within its row
        take = (rank < keep) & (score_at >= threshold) & (score_at > 0)
        kept.append((block[row_at[take]], columns[column_at[take]], score_at[take]))
    if not kept:
        nothing = np.zeros(0, dtype=np.int64)
        return Matches(nothing, nothing, np.zeros(0, dtype=np.float64), nothing)
    rows, found_columns, scores = (np.concatenate(part) for part in zip(*kept, strict=True))
    return Matches(rows, found_columns, scores, np.concatenate(reached))


# Columns of a block sampled to find a score each row's best `keep` reach: one in this many.
_SAMPLE_STRIDE = 16


def _cutoffs(scores: np.ndarray, lowest: float, keep: int) -> np.ndarray:
    """Per row, a score no lower than `lowest` that its `keep` best cells all reach, and every cell that
    shows the same score as the keep-th best: a step below the keep-th best of a sample of its cells (the
    keep-th best of the whole row is at least that), so that few cells besides the best go on to be
    ranked, without selecting over every cell."""
    import numpy as np

    cutoff = np.full(len(scores), lowest, dtype=scores.dtype)
    sample = scores[:, ::_SAMPLE_STRIDE] if scores.shape[1] >= _SAMPLE_STRIDE * keep * 4 else scores
    if sample.shape[1] > keep:
        kth_best = np.partition(sample, sample.shape[1] - keep, axis=1)[:, sample.shape[1] - keep]
        np.maximum(cutoff, kth_best - 10 ** -DECIMALS, out=cutoff)
    return cutoff


class _Products:
    """Blocks of cosines of rows with fixed columns, as dense float32 arrays. With few terms (or few
    columns) the columns are kept dense and each block is one BLAS product, in numpy alone; otherwise a
    sparse product (scipy)."""

    _DENSE_CELLS = 16_000_000  # terms x columns: 64 MB as float32

    def __init__(self, vectors: SparseRows, columns: np.ndarray) -> None:
        import numpy as np

        self._vectors = vectors
        terms_count = vectors.shape[1]
        self._dense = terms_count * len(columns) <= self._DENSE_CELLS
        if self._dense:
            self._columns = np.ascontiguousarray(vectors.dense(columns).T)
        else:
            self._matrix = vectors.to_scipy()
            self._sparse_columns = self._matrix[columns].T.tocsc().astype(np.float32)
        # rows x terms of a dense block stays within the same bound as rows x columns
        self.block_rows = max(1, _CELLS // max(len(columns), terms_count if self._dense else 1, 1))

    def of(self, block: np.ndarray) -> np.ndarray:
        import numpy as np

        if self._dense:
            result: np.ndarray = self._vectors.dense(block) @ self._columns
            return result
        product: np.ndarray = (self._matrix[block].astype(np.float32) @ self._sparse_columns).toarray()
        return product
