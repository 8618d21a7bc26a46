"""The robust linear-moveout fit to picks (geonn.domain.picking.moveout)."""

import warnings

import numpy as np
import pytest

from geonn.domain.picking import MoveoutFit, fit_linear_moveout

OFFSET = 20.0 + 10.0 * np.arange(32)


def lines(n=6, seed=0):
    rng = np.random.default_rng(seed)
    t0, v = rng.uniform(0.01, 0.04, n), rng.uniform(1800.0, 3000.0, n)
    return t0, v, t0[:, None] + OFFSET / v[:, None]


def test_exact_line_is_recovered():
    t0, v, picks = lines()
    f = fit_linear_moveout(picks, OFFSET)
    assert isinstance(f, MoveoutFit) and f.picks.shape == picks.shape
    np.testing.assert_allclose(f.t0, t0, atol=1e-12)
    np.testing.assert_allclose(f.v, v, rtol=1e-9)
    np.testing.assert_allclose(f.slowness, 1 / v, rtol=1e-9)
    np.testing.assert_allclose(f.picks, picks, atol=1e-12)
    assert np.all(f.weights == 1.0) and np.all(f.scale == 0.0005)  # the floor


@pytest.mark.parametrize("loss", ["tukey", "huber"])
def test_outliers_are_rejected(loss):
    t0, v, picks = lines(seed=1)
    rng = np.random.default_rng(2)
    noisy = picks + rng.normal(0.0, 2e-4, picks.shape)
    bad = rng.random(picks.shape) < 0.25
    # wild picks, most of them early (a picker fooled by noise before the arrival)
    noisy[bad] += rng.choice([-1.0, -1.0, 1.0], bad.sum()) * rng.uniform(
        0.02, 0.05, bad.sum()
    )
    f = fit_linear_moveout(noisy, OFFSET, loss=loss)
    assert np.abs(f.picks - picks).max() < (3e-4 if loss == "tukey" else 1.5e-3)
    plain = np.polyfit(OFFSET, noisy.T, 1)  # least squares is dragged away
    assert np.abs(plain[1] - t0).max() > 3e-3
    if loss == "tukey":
        assert np.all(f.weights[bad] == 0) and np.all(f.weights[~bad] > 0)
        np.testing.assert_array_equal(f.cleaned[bad], f.picks[bad])
        np.testing.assert_array_equal(f.cleaned[~bad], noisy[~bad])
    else:
        assert np.all(f.weights[bad] < 0.2) and np.all(f.weights > 0)


def test_nan_picks_are_left_out_and_filled():
    t0, v, picks = lines(n=4, seed=3)
    p = picks.copy()
    p[0, ::3] = np.nan  # dead traces
    p[1, 1:] = np.nan  # a single pick: no line
    p[2, :] = np.nan  # nothing picked
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        f = fit_linear_moveout(p, OFFSET)
    np.testing.assert_allclose(f.picks[0], picks[0], atol=1e-12)  # dead ones filled
    assert np.all(f.weights[0, ::3] == 0)
    assert np.isnan(f.picks[1:3]).all() and np.isnan(f.v[1:3]).all()
    np.testing.assert_allclose(f.picks[3], picks[3], atol=1e-12)


def test_offset_per_gather():
    t0, v, _ = lines(n=3, seed=4)
    offset = np.stack([OFFSET, OFFSET[::-1], 2 * OFFSET])
    f = fit_linear_moveout(t0[:, None] + offset / v[:, None], offset)
    np.testing.assert_allclose(f.v, v, rtol=1e-9)


P = lines(n=2)[2]


@pytest.mark.parametrize(
    "kw, err, words",
    [
        (dict(picks=P[0]), ValueError, "picks must be 2-D"),
        (dict(picks=np.where(P > 0.1, np.inf, P)), ValueError, "picks must be finite"),
        (dict(offset=OFFSET[:-1]), ValueError, "offset must be"),
        (dict(offset=np.full(32, np.nan)), ValueError, "offset contains"),
        (dict(loss="l1"), ValueError, "loss must be"),
        (dict(c=-1.0), ValueError, "c must be positive"),
        (dict(n_iter=-1), ValueError, "n_iter"),
        (dict(min_scale=0.0), ValueError, "min_scale"),
    ],
)
def test_bad_input_names_the_argument(kw, err, words):
    args = dict(picks=P, offset=OFFSET)
    args.update(kw)
    with pytest.raises(err, match=words):
        fit_linear_moveout(args.pop("picks"), args.pop("offset"), **args)
