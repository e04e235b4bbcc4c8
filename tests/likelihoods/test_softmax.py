"""softmax_logpmf and sample_softmax against an independent mpmath computation."""

from __future__ import annotations

import jax
import jax.numpy as jnp
import mpmath as mp
import numpy as np
import pytest
from scipy import stats

from hierax.likelihoods.softmax import softmax_logpmf
from hierax.simulators.softmax import sample_softmax

DIGITS = 40
N_DRAWS = 100_000

# (beta, logits): two, three and five options, moderate and extreme scores.
CASES = [
    (1.0, (0.5,)),
    (2.5, (-1.2,)),
    (0.3, (1.0, -2.0)),
    (4.0, (0.25, 0.5, -0.75, 1.5)),
    (10.0, (70.0,)),  # beta * logit = 700
    (7.0, (-100.0, 100.0)),  # scores -700 and 700
    (1e-3, (2.0, 3.0)),  # nearly uniform
]


def mp_log_probabilities(beta, logits):
    """log softmax(beta * (0, logits)) at DIGITS digits, directly from the definition."""
    with mp.workdps(DIGITS):
        scores = [mp.mpf(0)] + [mp.mpf(beta) * mp.mpf(x) for x in logits]
        log_norm = mp.log(mp.fsum(mp.exp(s) for s in scores))
        return [s - log_norm for s in scores]


def mp_gradients(beta, logits, choice):
    """d log P(choice) / d beta and / d logit_j: x_c - E[x], beta (1[j = c] - p_j)."""
    with mp.workdps(DIGITS):
        values = [mp.mpf(0)] + [mp.mpf(x) for x in logits]
        p = [mp.exp(v) for v in mp_log_probabilities(beta, logits)]
        d_beta = values[choice] - mp.fsum(pi * vi for pi, vi in zip(p, values, strict=True))
        d_logits = [mp.mpf(beta) * ((j == choice) - p[j]) for j in range(1, len(values))]
        return float(d_beta), [float(d) for d in d_logits]


# Log probability and its gradients wrt (beta, logits), element by element (the
# elements are independent, so the gradient of the sum is the per-element gradient).
_value_and_grads = jax.jit(
    jax.grad(
        lambda b, ls, c: (jnp.sum(lp := softmax_logpmf(c, b, ls)), lp),
        argnums=(0, 1),
        has_aux=True,
    )
)


def _evaluate(cases, dtype):
    """All choices of all cases with the same number of options, in one call."""
    n = len(cases[0][1]) + 1
    assert all(len(logits) + 1 == n for _, logits in cases)
    beta = np.repeat([b for b, _ in cases], n).astype(dtype)
    logits = tuple(np.repeat([ls[j] for _, ls in cases], n).astype(dtype) for j in range(n - 1))
    choice = np.tile(np.arange(n), len(cases)).astype(dtype)
    (d_beta, d_logits), value = _value_and_grads(beta, logits, choice)
    return choice.astype(int), beta, logits, value, d_beta, d_logits


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_log_probabilities_and_gradients_match_mpmath(dtype):
    by_n = {}
    for case in CASES:
        by_n.setdefault(len(case[1]), []).append(case)
    for cases in by_n.values():
        choice, beta, logits, value, d_beta, d_logits = _evaluate(cases, dtype)
        assert value.dtype == dtype and d_beta.dtype == dtype
        assert all(d.dtype == dtype for d in d_logits)
        value, d_beta = np.asarray(value, np.float64), np.asarray(d_beta, np.float64)
        d_logits = np.array(d_logits, np.float64)
        assert np.isfinite(value).all() and np.isfinite(d_beta).all()
        assert np.isfinite(d_logits).all()
        n = len(logits) + 1
        for i in range(len(choice)):
            # Reference at the (rounded) inputs the function actually received.
            b, ls, c = float(beta[i]), [float(x[i]) for x in logits], choice[i]
            ref = float(mp_log_probabilities(b, ls)[c])
            tol = 1e-13 if dtype == np.float64 else 1e-6
            assert abs(value[i] - ref) <= tol * max(1.0, abs(ref)), (b, ls, c)
            e_beta, e_logits = mp_gradients(b, ls, c)
            got = np.array([d_beta[i], *d_logits[:, i]])
            expected = np.array([e_beta, *e_logits])
            tol = 1e-12 if dtype == np.float64 else 1e-5
            np.testing.assert_array_less(np.abs(got - expected) / np.maximum(1, abs(expected)), tol)
        # The probabilities of the n choices of every case sum to one.
        totals = np.exp(value).reshape(-1, n).sum(axis=1)
        np.testing.assert_allclose(totals, 1.0, rtol=1e-14 if dtype == np.float64 else 1e-6)


def test_hssm_two_choice_coding_and_integer_indices():
    # HSSM codes two choices -1 / 1: index = (response + 1) / 2.
    response = jnp.array([-1.0, 1.0])
    lp = softmax_logpmf((response + 1) / 2, 2.0, (0.5,))
    np.testing.assert_allclose(np.exp(np.asarray(lp)), [1 / (1 + np.e), np.e / (1 + np.e)])
    # Integer indices work like their float values.
    np.testing.assert_array_equal(
        np.asarray(softmax_logpmf(jnp.array([0, 1, 2]), 1.0, (0.2, 0.3))),
        np.asarray(softmax_logpmf(jnp.array([0.0, 1.0, 2.0]), 1.0, (0.2, 0.3))),
    )


def test_broadcasting_over_trials():
    choice = jnp.array([0.0, 2.0, 1.0])
    beta = jnp.array([1.0, 2.0, 3.0])
    logit1 = jnp.array([0.1, 0.2, 0.3])
    out = np.asarray(softmax_logpmf(choice, beta, (logit1, -0.5)))
    expected = [
        float(mp_log_probabilities(b, (l1, -0.5))[int(c)])
        for c, b, l1 in zip([0, 2, 1], [1.0, 2.0, 3.0], [0.1, 0.2, 0.3], strict=True)
    ]
    np.testing.assert_allclose(out, expected, rtol=1e-14)


@pytest.mark.parametrize("dtype", [np.float64, np.float32])
def test_invalid_inputs_are_minus_inf_with_zero_gradients(dtype):
    choice = np.array([3.0, -1.0, 0.5, 1.0, 1.0, 1.0], dtype)
    beta = np.array([1.0, 1.0, 1.0, 0.0, -2.0, 1.0], dtype)
    logits = (np.array([0.2, 0.2, 0.2, 0.2, 0.2, np.nan], dtype), np.full(6, 0.4, dtype))
    (d_beta, d_logits), values = _value_and_grads(beta, logits, choice)
    assert values.dtype == dtype and np.all(np.asarray(values) == -np.inf)
    np.testing.assert_array_equal(np.asarray(d_beta), 0.0)
    np.testing.assert_array_equal(np.asarray(d_logits), 0.0)
    with pytest.raises(ValueError, match="logits"):
        softmax_logpmf(0.0, 1.0, ())


@pytest.mark.parametrize("beta,logits", [(1.0, (0.5,)), (0.8, (1.0, -0.5, 0.3, 2.0))])
def test_simulator_matches_probabilities(beta, logits):
    choice = np.asarray(sample_softmax(jax.random.key(20240607), beta, logits, shape=(N_DRAWS,)))
    n = len(logits) + 1
    assert choice.dtype == np.float64 and set(np.unique(choice)) <= set(range(n))
    counts = np.bincount(choice.astype(int), minlength=n)
    p = np.array([float(mp.exp(v)) for v in mp_log_probabilities(beta, logits)])
    result = stats.chisquare(counts, N_DRAWS * p / p.sum())
    assert result.pvalue > 1e-3, (counts / N_DRAWS, p)


def test_simulator_dtype_broadcasting_and_invalid_parameters():
    beta = jnp.array([1.0, -1.0, 2.0, 1.0], jnp.float32)
    logit1 = jnp.array([0.0, 0.0, 500.0, jnp.inf], jnp.float32)
    choice = sample_softmax(jax.random.key(1), beta, (logit1, jnp.float32(-500.0)))
    assert choice.dtype == jnp.float32 and choice.shape == (4,)
    choice = np.asarray(choice)
    assert choice[0] in (0.0, 1.0, 2.0) and np.isnan(choice[1]) and np.isnan(choice[3])
    assert choice[2] == 1.0  # scores 0, 1000, -1000: option 1 for certain
    again = sample_softmax(jax.random.key(1), beta, (logit1, jnp.float32(-500.0)))
    np.testing.assert_array_equal(np.asarray(again), choice)
