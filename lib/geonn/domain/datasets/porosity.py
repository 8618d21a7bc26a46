"""Porosity from acoustic impedance (chapter 6): generators and loaders.

The truth is known.  A spatially correlated porosity field φ(x, y) on a
100 × 100 grid of 10 m cells is turned into acoustic impedance by a stated
rock-physics transform, AI = ρ(φ)·V(φ), plus white Gaussian noise of standard
deviation ``AI_NOISE_SIGMA``.  Wells sample both maps at ~180 cells.

Units: X, Y and depth in m; porosity as a fraction (v/v); AI in
(m/s)·(g/cm³) = 10³ kg/(m²·s).  Maps are indexed ``map[iy, ix]`` with cell
centres at X = 5 + 10·ix, Y = 5 + 10·iy (plot with ``origin="lower"``).
"""

from pathlib import Path

import numpy as np

from ._files import check_range, load_map, read_csv

__all__ = [
    "DATA_DIR",
    "CELL",
    "SHAPE",
    "AI_NOISE_SIGMA",
    "PHI_NOISE_SIGMA_1D",
    "gaussian_random_field",
    "porosity_from_field",
    "ai_from_porosity",
    "porosity_from_ai",
    "make_porosity_maps",
    "sample_wells",
    "porosity_depth_trend",
    "make_porosity_depth",
    "generate_porosity_data",
    "map_extent",
    "load_porosity_wells",
    "load_ai_map",
    "load_porosity_map",
    "load_porosity_depth",
]


def _data_dir():
    """The repository's data/ folder in a source checkout (or an editable install);
    otherwise the same files installed with geonn as the package ``geonn.data``
    (pyproject.toml maps it onto data/), so ``pip install .`` finds them too."""
    here = Path(__file__).resolve().parent
    source = here.parents[3] / "data"  # lib/geonn/domain/datasets/ → data/
    if (source / "make_data.py").is_file():
        return source
    return here.parents[1] / "data"  # site-packages/geonn/data/


DATA_DIR = _data_dir()
CELL = 10.0  # m, grid spacing
SHAPE = (100, 100)  # (ny, nx): 1 km × 1 km
AI_NOISE_SIGMA = 150.0  # (m/s)·(g/cm³), Gaussian noise added to the AI map
PHI_NOISE_SIGMA_1D = 0.008  # porosity noise of the 1-D series

# Rock physics: Wyllie time average (velocity) and linear density mixing
V_MATRIX, V_FLUID = 6000.0, 400.0  # m/s: quartz-rich matrix; gas-charged pores
RHO_MATRIX, RHO_FLUID = 2.65, 0.25  # g/cm³


def gaussian_random_field(
    rng, shape=SHAPE, cell=CELL, range_major=400.0, range_minor=150.0, azimuth=60.0
):
    """Standard-normal field with a spherical variogram, by the spectral (FFT) method.

    γ(h) = 1.5 h − 0.5 h³ for h < 1, 1 beyond, with the anisotropic lag
    h = √((d_major/range_major)² + (d_minor/range_minor)²); the major axis
    points ``azimuth`` degrees clockwise from north (+Y).  White noise is
    filtered by √S, S = FFT(covariance), on a grid padded by the major range
    so the periodic wrap-around does not correlate opposite edges.  The
    result is standardised to mean 0, standard deviation 1 on ``shape``.
    """
    for name, value in (
        ("range_major", range_major),
        ("range_minor", range_minor),
        ("cell", cell),
    ):
        if (
            isinstance(value, bool)
            or not isinstance(value, (int, float, np.integer, np.floating))
            or not np.isfinite(value)
            or value <= 0
        ):
            raise ValueError(
                f"gaussian_random_field: {name} must be a positive length in m; "
                f"got {value!r}"
            )
    ny, nx = shape
    pad = int(np.ceil(range_major / cell))
    my, mx = ny + pad, nx + pad
    # signed lags of the periodic grid, in FFT order (0, 1, …, −1), m
    dy = (((np.arange(my) + my // 2) % my) - my // 2)[:, None] * cell
    dx = (((np.arange(mx) + mx // 2) % mx) - mx // 2)[None, :] * cell
    theta = np.deg2rad(azimuth)
    d_major = dx * np.sin(theta) + dy * np.cos(theta)
    d_minor = dx * np.cos(theta) - dy * np.sin(theta)
    h = np.minimum(np.hypot(d_major / range_major, d_minor / range_minor), 1.0)
    cov = 1.0 - (1.5 * h - 0.5 * h**3)
    S = np.maximum(np.fft.fft2(cov).real, 0.0)  # round-off can leave tiny negatives
    noise = rng.standard_normal((my, mx))
    field = np.fft.ifft2(np.sqrt(S) * np.fft.fft2(noise)).real[:ny, :nx]
    return (field - field.mean()) / field.std()


def porosity_from_field(z, mean=0.185, half_width=0.085, scale=2.0):
    """Porosity φ = mean + half_width · tanh(z / scale): bell-shaped, strictly
    inside (0.10, 0.27) for the defaults, standard deviation ≈ 0.035."""
    return mean + half_width * np.tanh(np.asarray(z, dtype=float) / scale)


def ai_from_porosity(phi):
    """Noise-free acoustic impedance, (m/s)·(g/cm³), of porosity φ (fraction).

    Wyllie time average  1/V = φ/V_f + (1 − φ)/V_m  and  ρ = φ ρ_f + (1 − φ) ρ_m,
    AI = ρ V.  With V_m = 6000 m/s, V_f = 400 m/s, ρ_m = 2.65, ρ_f = 0.25 g/cm³
    this falls from ≈ 6000 at φ = 0.10 to ≈ 2500 at φ = 0.27, convex (nonlinear).
    """
    phi = np.asarray(phi, dtype=float)
    V = 1.0 / (phi / V_FLUID + (1.0 - phi) / V_MATRIX)
    rho = phi * RHO_FLUID + (1.0 - phi) * RHO_MATRIX
    return rho * V


def porosity_from_ai(ai):
    """Exact inverse of :func:`ai_from_porosity` (the root of a quadratic in φ).

    AI (φ s_f + (1 − φ) s_m) = ρ_m − φ (ρ_m − ρ_f) with slownesses s = 1/V is
    linear in φ, so φ = (ρ_m − AI s_m) / (AI (s_f − s_m) + ρ_m − ρ_f).
    """
    ai = np.asarray(ai, dtype=float)
    s_m, s_f = 1.0 / V_MATRIX, 1.0 / V_FLUID
    return (RHO_MATRIX - ai * s_m) / (ai * (s_f - s_m) + RHO_MATRIX - RHO_FLUID)


def make_porosity_maps(rng, sigma=AI_NOISE_SIGMA, **field_kwargs):
    """True porosity map and noisy AI map, both ``SHAPE`` arrays.

    AI = ai_from_porosity(φ) + ε, ε ~ N(0, sigma²) independently per cell.
    """
    phi = porosity_from_field(gaussian_random_field(rng, **field_kwargs))
    ai = ai_from_porosity(phi) + rng.normal(0.0, sigma, phi.shape)
    return phi, ai


def sample_wells(phi, ai, rng, n=180, cell=CELL, threshold=0.18):
    """``n`` wells at distinct random cells: X, Y (cell centres, m), porosity,
    AI, and facies = 1 (clean sand) where φ ≥ ``threshold``, else 0 (shaly)."""
    flat = rng.choice(phi.size, size=n, replace=False)
    iy, ix = np.unravel_index(flat, phi.shape)
    porosity = phi[iy, ix]
    return {
        "X": (ix + 0.5) * cell,
        "Y": (iy + 0.5) * cell,
        "porosity": porosity,
        "AI": ai[iy, ix],
        "facies": (porosity >= threshold).astype(float),
    }


def porosity_depth_trend(depth):
    """The noise-free 1-D porosity log: Athy compaction plus layering,
    φ(z) = 0.45 exp(−z / 2000 m) + 0.012 sin(2π z / 800 m), for depths z in m."""
    depth = np.asarray(depth, dtype=float)
    return 0.45 * np.exp(-depth / 2000.0) + 0.012 * np.sin(2 * np.pi * depth / 800.0)


def make_porosity_depth(rng, n=40, top=1000.0, step=25.0, sigma=PHI_NOISE_SIGMA_1D):
    """A 1-D porosity log: :func:`porosity_depth_trend` plus noise,
    φ(z) + ε with ε ~ N(0, sigma²), at depths z = top, top + step, … (m).
    """
    depth = top + step * np.arange(n)
    return {
        "depth": depth,
        "porosity": porosity_depth_trend(depth) + rng.normal(0.0, sigma, n),
    }


def generate_porosity_data(seed=6):
    """Everything ``data/make_data.py`` writes for chapter 6, from one seed."""
    rng = np.random.default_rng(seed)
    phi, ai = make_porosity_maps(rng)
    wells = sample_wells(phi, ai, rng)
    return {
        "porosity_map": phi,
        "ai_map": ai,
        "wells": wells,
        "depth": make_porosity_depth(rng),
    }


def map_extent(shape=SHAPE, cell=CELL):
    """``imshow`` extent (x0, x1, y0, y1) in m for a map indexed [iy, ix]."""
    return (0.0, shape[1] * cell, 0.0, shape[0] * cell)


# -- loaders -------------------------------------------------------------------
def _check_porosity(path, name, values):
    check_range(
        path, name, values, 0.0, 1.0, "porosity must be a fraction, not percent"
    )


def load_porosity_wells(path=None):
    """The wells of chapter 6 as ``{"X", "Y", "porosity", "AI", "facies"}``,
    each a float64 array of shape (n_wells,).  Units: m, m, fraction,
    (m/s)·(g/cm³), 0/1.  Default file: ``data/porosity_wells.csv``."""
    path, d = read_csv(
        path, ["X", "Y", "porosity", "AI", "facies"], DATA_DIR / "porosity_wells.csv"
    )
    _check_porosity(path, "porosity", d["porosity"])
    check_range(path, "AI", d["AI"], 0.0, np.inf, "acoustic impedance must be positive")
    if not np.isin(d["facies"], (0.0, 1.0)).all():
        raise ValueError(f"{path}: column 'facies' must be 0 or 1")
    return d


def load_porosity_depth(path=None):
    """The 1-D series ``{"depth" (m), "porosity" (fraction)}``, float64 arrays.
    Default file: ``data/porosity_depth_1d.csv``."""
    path, d = read_csv(path, ["depth", "porosity"], DATA_DIR / "porosity_depth_1d.csv")
    _check_porosity(path, "porosity", d["porosity"])
    return d


def load_ai_map(path=None):
    """Acoustic-impedance map (ny, nx), (m/s)·(g/cm³), float64; ``data/ai_map.npy``."""
    path, a = load_map(path, DATA_DIR / "ai_map.npy", "AI")
    if a.min() <= 0:
        raise ValueError(
            f"{path}: acoustic impedance must be positive; min is {a.min():g}"
        )
    return a


def load_porosity_map(path=None):
    """True porosity map (ny, nx), fraction, float64; ``data/porosity_map.npy``."""
    path, a = load_map(path, DATA_DIR / "porosity_map.npy", "porosity")
    if a.min() < 0 or a.max() > 1:
        raise ValueError(
            f"{path}: porosity must be a fraction in [0, 1], not percent; "
            f"it spans {a.min():g} to {a.max():g}"
        )
    return a
