"""Per-draw computations over all observations, in chunks of draws to bound memory.

The pointwise log likelihood and the posterior predictive have one value per
(draw, observation): 4000 draws x 100 000 trials is 3.2 GB in float64. The
result is written chunk by chunk into one preallocated array, and each chunk
holds about :data:`CHUNK_VALUES` values, so the working memory on top of the
result stays small and does not grow with the number of draws. The last
chunk is padded to the common size, so the jitted function compiles once.

Examples
--------
>>> import numpy as np
>>> out = map_draws(lambda s, i: s["x"][:, None] * np.ones(3), {"x": np.arange(5.0)}, (3,),
...                 chunk=2)
>>> out[:, 0].tolist()
[0.0, 1.0, 2.0, 3.0, 4.0]
"""

from __future__ import annotations

from collections.abc import Callable, Mapping

import numpy as np

__all__ = ["CHUNK_VALUES", "chunk_size", "map_draws"]

# Values (draws x observations) computed per chunk: 2**22 float64 values are
# 32 MB per array; the DDM density needs a handful of such temporaries.
CHUNK_VALUES = 2**22


def chunk_size(n_draws: int, n_obs: int) -> int:
    """Draws per chunk: about :data:`CHUNK_VALUES` values, at least one draw."""
    return int(max(1, min(n_draws, CHUNK_VALUES // max(n_obs, 1))))


def map_draws(
    fn: Callable[[dict[str, np.ndarray], int], np.ndarray],
    samples: Mapping[str, np.ndarray],
    event_shape: tuple[int, ...],
    dtype=np.float64,
    chunk: int | None = None,
) -> np.ndarray:
    """Apply ``fn(chunk_samples, chunk_index)`` to chunks of draws; stack the results.

    Parameters
    ----------
    fn
        Maps a dict of arrays with a leading draw axis of length ``chunk`` to
        an array of shape ``(chunk,) + event_shape``.
    samples
        Arrays with a leading draw axis (all of the same length).
    event_shape
        Shape of ``fn``'s result per draw.
    dtype
        dtype of the result.
    chunk
        Draws per chunk; default :func:`chunk_size`.

    Returns
    -------
    numpy.ndarray
        Shape ``(n_draws,) + event_shape``.
    """
    n = len(next(iter(samples.values())))
    size = int(np.prod(event_shape)) if event_shape else 1
    chunk = chunk or chunk_size(n, size)
    out = np.empty((n,) + tuple(event_shape), dtype=dtype)
    for index, start in enumerate(range(0, n, chunk)):
        stop = min(start + chunk, n)
        batch = {k: _padded(v[start:stop], chunk) for k, v in samples.items()}
        out[start:stop] = np.asarray(fn(batch, index))[: stop - start]
    return out


def _padded(values: np.ndarray, chunk: int) -> np.ndarray:
    missing = chunk - len(values)
    if missing <= 0:
        return values
    return np.concatenate([values, np.repeat(values[-1:], missing, axis=0)], axis=0)
