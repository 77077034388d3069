"""Rows of numbers that are mostly zero (a TF-IDF row per text) in compressed sparse row form, with numpy
alone: scipy takes a third of a second to import, and comparing texts needs only blocks of rows taken
out dense. A product over a large vocabulary converts to scipy (imported then, see `to_scipy`)."""

from __future__ import annotations

from dataclasses import dataclass
from typing import TYPE_CHECKING, Any

if TYPE_CHECKING:
    import numpy as np


@dataclass(frozen=True)
class SparseRows:
    """Row i's values are data[indptr[i]:indptr[i + 1]], in the columns indices[indptr[i]:indptr[i + 1]]."""

    indptr: np.ndarray
    indices: np.ndarray
    data: np.ndarray
    shape: tuple[int, int]

    def dense(self, rows: np.ndarray, dtype: Any = None) -> np.ndarray:
        """The given rows as a dense (len(rows) x columns) array (float32 unless told)."""
        import numpy as np

        rows = np.asarray(rows, dtype=np.int64)
        starts = self.indptr[rows]
        lengths = self.indptr[rows + 1] - starts
        out = np.zeros((len(rows), self.shape[1]), dtype=dtype or np.float32)
        if not len(rows) or not lengths.sum():
            return out
        # The position in data of every stored value of the rows, in order: row i's run starts at starts[i].
        before = np.cumsum(lengths) - lengths
        positions = np.repeat(starts - before, lengths) + np.arange(int(lengths.sum()))
        out[np.repeat(np.arange(len(rows)), lengths), self.indices[positions]] = self.data[positions]
        return out

    def to_scipy(self) -> Any:
        """The same rows as a scipy.sparse CSR matrix."""
        from scipy.sparse import csr_matrix

        return csr_matrix((self.data, self.indices, self.indptr), shape=self.shape)
