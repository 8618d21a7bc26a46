"""The reference error for chapter 6: the Bayes error of the porosity generator.

The generator of :mod:`geonn.domain.datasets.porosity` draws, in every cell, a
standard-normal field value z, porosity φ = g(z) (``porosity_from_field``)
and the acoustic impedance AI = f(φ) + ε (``ai_from_porosity``, ε ~ N(0, σ²)).
Among all functions of a cell's AI, the conditional mean

    m(a) = E[φ | AI = a] = ∫ g(z) N(z; 0, 1) N(a − f(g(z)); 0, σ²) dz / p(a)

has the smallest mean squared error, and that error,

    E[(φ − m(AI))²] = E[Var(φ | AI)],

is the **Bayes error** of the generator: no model that sees only the AI of a
cell (or of a well) can beat it on average.  Inverting the transform,
f⁻¹(AI), is not this estimator: it ignores that porosity is bounded and more
often near its mean, so its error is larger.

Everything here is computed from the generator's stated distributions, by
quadrature (deterministic) or by Monte Carlo (a check); nothing is fitted.
"""

import numpy as np

from geonn.core import _checks

from .porosity import AI_NOISE_SIGMA, ai_from_porosity, porosity_from_field

__all__ = ["posterior_mean_porosity", "bayes_rmse", "bayes_rmse_monte_carlo"]

# z grid of the inner integral: the prior N(0, 1) is negligible beyond ±8.5,
# and the likelihood in z is never narrower than ~0.08, so a 0.005 step
# resolves it with room to spare.
_Z_GRID = np.linspace(-8.5, 8.5, 3401)


def posterior_mean_porosity(
    ai, sigma=AI_NOISE_SIGMA, facies=None, threshold=0.18, chunk=4096
):
    """E[φ | AI] under the generator, for an array ``ai`` of any shape.

    With ``facies`` (0/1, the shape of ``ai``) it returns E[φ | AI, facies]
    instead: the posterior is cut to φ ≥ ``threshold`` (facies 1) or below it,
    as ``sample_wells`` defines facies.  That is what a model can reach when
    it is given the facies made from the true porosity (target leakage).

    The posterior over the field value z is prior × likelihood on a fixed
    grid, N(z) · exp(−(a − f(g(z)))² / 2σ²), normalised; its mean of g(z) is
    returned with the shape of ``ai``.  Work is done in chunks of ``chunk``
    values to keep memory small (chunk × 3401 floats).
    """
    _checks.positive("sigma (the AI noise)", sigma)
    a = np.asarray(ai, dtype=float)
    if not np.all(np.isfinite(a)):
        raise ValueError("ai must be finite (no NaN or inf)")
    if facies is not None:
        facies = np.asarray(facies, dtype=float)
        if facies.shape != a.shape or not np.isin(facies, (0.0, 1.0)).all():
            raise ValueError(
                f"facies must be 0 or 1 with the shape of ai {a.shape}; "
                f"got shape {facies.shape}"
            )
    phi = porosity_from_field(_Z_GRID)
    ai_grid = ai_from_porosity(phi)
    log_prior = -0.5 * _Z_GRID**2
    flat = a.ravel()
    out = np.empty_like(flat)
    for start in range(0, flat.size, chunk):
        block = flat[start : start + chunk, None]
        log_w = log_prior - 0.5 * ((block - ai_grid) / sigma) ** 2
        if facies is not None:
            sand = facies.ravel()[start : start + chunk, None] == 1.0
            log_w = np.where((phi >= threshold) == sand, log_w, -np.inf)
        w = np.exp(log_w - log_w.max(axis=1, keepdims=True))  # stable for any AI
        out[start : start + chunk] = (w @ phi) / w.sum(axis=1)
    return out.reshape(a.shape)


def bayes_rmse(sigma=AI_NOISE_SIGMA, n_z=120, n_eps=60):
    """Bayes RMSE √E[(φ − E[φ|AI])²] of the generator, by Gauss–Hermite quadrature.

    The outer expectation over z ~ N(0, 1) and ε ~ N(0, σ²) uses ``n_z`` ×
    ``n_eps`` probabilists' Gauss–Hermite nodes; the inner conditional mean
    uses :func:`posterior_mean_porosity`.  Deterministic, porosity units.
    """
    _checks.positive("sigma (the AI noise)", sigma)
    z, wz = np.polynomial.hermite_e.hermegauss(n_z)
    e, we = np.polynomial.hermite_e.hermegauss(n_eps)
    wz, we = wz / wz.sum(), we / we.sum()
    phi = porosity_from_field(z)[:, None]
    ai = ai_from_porosity(phi) + sigma * e[None, :]
    sq = (phi - posterior_mean_porosity(ai, sigma)) ** 2
    return float(np.sqrt(wz @ sq @ we))


def bayes_rmse_monte_carlo(rng, n=100_000, sigma=AI_NOISE_SIGMA):
    """Monte Carlo estimate of the Bayes RMSE: draw (z, ε) as the generator
    does, score E[φ | AI] against the drawn φ.  Returns (rmse, standard error),
    the latter from the delta method on the mean of squared errors."""
    _checks.positive("sigma (the AI noise)", sigma)
    _checks.rng(rng, "bayes_rmse_monte_carlo")
    n = _checks.integer("n", n, low=2)
    phi = porosity_from_field(rng.standard_normal(n))
    ai = ai_from_porosity(phi) + rng.normal(0.0, sigma, n)
    sq = (phi - posterior_mean_porosity(ai, sigma)) ** 2
    rmse = np.sqrt(sq.mean())
    return float(rmse), float(sq.std(ddof=1) / np.sqrt(n) / (2 * rmse))
