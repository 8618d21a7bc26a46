"""geonn.domain.picking: classical pickers, pick errors, labels, and the CNN picker."""

import numpy as np
import pytest

from geonn import Adam, SoftmaxCrossEntropy, check_layer, fit
from geonn.domain.datasets import make_gathers
from geonn.domain.picking import (
    calibrate,
    cnn_pick,
    cnn_picker,
    energy_ratio,
    expected_first_break,
    gaussian_labels,
    median_abs_ms,
    normalise_traces,
    pick_energy_ratio,
    pick_from_logits,
    pick_sta_lta,
    picker_inputs,
    rms_ms,
    search_window,
    sta_lta,
)

DT = 0.002


def burst(onsets, nt=128, f=30.0, noise=1e-3, seed=0):
    """Traces of weak noise with a sine burst switched on at sample ``onsets[i]``."""
    rng = np.random.default_rng(seed)
    t = np.arange(nt) * DT
    x = noise * rng.standard_normal((len(onsets), nt))
    for i, k in enumerate(onsets):
        x[i, k:] += np.sin(2 * np.pi * f * (t[k:] - t[k]) + 0.5)
    return x


ONSETS = [20, 45, 64, 90, 110]


def test_sta_lta_picks_a_clean_onset_within_two_samples():
    x = burst(ONSETS)
    picks = pick_sta_lta(x, DT, sta=0.01, lta=0.06, threshold=3.0)
    assert np.all(np.abs(picks / DT - ONSETS) <= 2), picks / DT


def test_energy_ratio_picks_a_clean_onset_within_two_samples():
    x = burst(ONSETS)
    picks = pick_energy_ratio(x, DT, window=0.01, beta=0.05)
    assert np.all(np.abs(picks / DT - ONSETS) <= 2), picks / DT


def test_ratios_keep_the_shape_and_dead_traces_get_nan():
    x = burst([30] * 12).reshape(3, 4, 128)
    x[1, 2] = 0.0
    assert sta_lta(x, DT, 0.01, 0.04).shape == x.shape
    er = energy_ratio(x, DT, 0.01)
    assert er.shape == x.shape and np.all((er >= 0) & (er <= 1))
    for picks in (pick_sta_lta(x, DT, 0.01, 0.04, 3.0), pick_energy_ratio(x, DT, 0.01)):
        assert picks.shape == (3, 4)
        assert np.isnan(picks[1, 2]) and np.isfinite(np.delete(picks.ravel(), 6)).all()


def strong_later_event(onsets, later=100, gain=5.0):
    """Weak first arrivals at ``onsets`` and a stronger burst at sample ``later``."""
    x = 0.2 * burst(onsets)
    x[:, later:] += gain * burst([0] * len(onsets), nt=128 - later, seed=1)
    return x


def test_a_search_window_keeps_the_pickers_off_a_stronger_later_event():
    onsets = [20, 30, 40]
    x = strong_later_event(onsets)
    t = np.arange(128) * DT
    search = search_window(t, (np.array(onsets) + 3) * DT, 0.0205)  # ±10 samples
    assert search.shape == (3, 128) and search.sum(axis=1).tolist() == [21, 21, 21]
    free = pick_energy_ratio(x, DT, 0.01, 0.05)
    assert np.all(free / DT >= 95)  # the whole trace: the later burst
    for picks in (
        pick_energy_ratio(x, DT, 0.01, 0.001, search=search),
        pick_sta_lta(x, DT, 0.01, 0.06, 3.0, search=search),
    ):
        assert np.all(np.abs(picks / DT - onsets) <= 2), picks / DT
    # a window that misses the arrival: picks stay inside it (STA/LTA falls back to
    # the largest ratio there)
    late = search_window(t, np.full(3, 70 * DT), 0.01)
    for picks in (
        pick_energy_ratio(x, DT, 0.01, search=late),
        pick_sta_lta(x, DT, 0.01, 0.06, 50.0, search=late),
    ):
        assert np.all((picks / DT >= 65) & (picks / DT <= 75)), picks / DT


def test_a_window_shared_by_the_gathers_and_dead_traces():
    x = burst([30] * 8).reshape(2, 4, 128)
    x[1, 2] = 0.0
    search = search_window(np.arange(128) * DT, np.full(4, 32 * DT), 0.01)  # (4, 128)
    for picks in (
        pick_sta_lta(x, DT, 0.01, 0.04, 3.0, search=search),
        pick_energy_ratio(x, DT, 0.01, search=search),
    ):
        assert picks.shape == (2, 4) and np.isnan(picks[1, 2])
        assert np.all(np.abs(np.delete(picks.ravel(), 6) / DT - 30) <= 2)


def test_expected_first_break_is_the_mean_over_live_traces_per_offset():
    fb = np.array([[0.10, 0.20, 0.30], [0.12, 0.26, 0.90], [0.14, 0.23, 0.33]])
    dead = np.array([[False, False, False], [False, False, True], [False, True, False]])
    np.testing.assert_allclose(expected_first_break(fb, dead), [0.12, 0.23, 0.315])
    np.testing.assert_allclose(expected_first_break(fb), fb.mean(axis=0))
    g = make_gathers(20, np.random.default_rng(4), snr_db=None)
    np.testing.assert_allclose(
        expected_first_break(g.first_break, g.dead),
        np.nanmean(np.where(g.dead, np.nan, g.first_break), axis=0),
    )


def test_sta_lta_falls_back_to_the_maximum_when_the_threshold_is_never_reached():
    x = burst([60])
    R = sta_lta(x, DT, 0.01, 0.04)
    pick = pick_sta_lta(x, DT, 0.01, 0.04, threshold=R.max() + 1)
    assert pick[0] == np.argmax(R[0]) * DT


def test_gain_does_not_change_the_picks():
    x = burst(ONSETS)
    for pick in (
        lambda x: pick_sta_lta(x, DT, 0.01, 0.06, 3.0),
        lambda x: pick_energy_ratio(x, DT, 0.01),
    ):
        np.testing.assert_array_equal(pick(x), pick(1e4 * x))


def test_normalise_traces_gives_unit_rms_and_keeps_dead_traces_zero():
    x = (
        np.random.default_rng(1).normal(size=(2, 3, 50))
        * np.array([1.0, 5.0, 0.0])[:, None]
    )
    y = normalise_traces(x)
    np.testing.assert_allclose(
        np.sqrt(np.mean(y[:, :2] ** 2, axis=-1)), 1.0, rtol=1e-12
    )
    assert np.all(y[:, 2] == 0)


def test_rms_and_median_errors_in_ms_with_a_mask():
    truth = np.array([0.100, 0.200, 0.300, 0.400])
    pick = truth + np.array([0.001, -0.003, np.nan, 0.002])
    dead = np.array([False, False, True, False])
    assert rms_ms(pick, truth, mask=dead) == pytest.approx(np.sqrt((1 + 9 + 4) / 3))
    assert median_abs_ms(pick, truth, mask=dead) == pytest.approx(2.0)
    assert rms_ms(truth, truth) == 0.0


@pytest.mark.parametrize(
    "call, match",
    [
        (lambda: rms_ms([0.1, np.nan], [0.1, 0.2]), "NaN or inf"),
        (lambda: rms_ms([0.1, 0.2], [0.1]), "shape"),
        (lambda: rms_ms([0.1, 0.2], [0.1, 0.2], mask=[0, 1]), "boolean"),
        (lambda: rms_ms([0.1], [0.1], mask=np.array([True])), "every trace is masked"),
        (lambda: median_abs_ms([0.1], [np.nan]), "truth"),
        (lambda: sta_lta(np.ones(64), DT, 0.04, 0.01), "shorter than lta"),
        (lambda: sta_lta(np.ones(64), DT, 0.01, 1.0), "lta"),
        (lambda: sta_lta(np.ones(64), 0.0, 0.01, 0.04), "dt"),
        (lambda: sta_lta(np.array([1.0, np.nan, 2.0]), DT, 0.002, 0.004), "NaN"),
        (lambda: pick_sta_lta(np.ones(64), DT, 0.01, 0.04, threshold=1.0), "threshold"),
        (lambda: energy_ratio(np.ones(64), DT, 0.01, beta=0.0), "beta"),
        (lambda: energy_ratio(np.ones(64), DT, 0.0001), "window"),
        (lambda: pick_energy_ratio(np.ones(1), DT, 0.002), "at least 2 samples"),
        (lambda: normalise_traces("abc"), "numeric"),
        (lambda: gaussian_labels([0.5], np.arange(10) * DT, 0.003), "inside the trace"),
        (lambda: gaussian_labels([0.01], np.arange(10) * DT, -1.0), "sigma"),
        (lambda: cnn_picker(102, np.random.default_rng(0)), "divisible"),
        (lambda: cnn_picker(128, 0), "rng"),
        (lambda: expected_first_break([0.1, 0.2]), "2-D"),
        (lambda: expected_first_break([[0.1, np.nan]]), "NaN"),
        (lambda: expected_first_break([[0.1, 0.2]], dead=[[0, 1]]), "boolean"),
        (
            lambda: expected_first_break([[0.1, 0.2]], dead=np.array([[False, True]])),
            r"trace\(s\) \[1\] are dead in every gather",
        ),
        (lambda: search_window(np.arange(8) * DT, [0.01], 0.0), "half_width"),
        (lambda: search_window(np.arange(8) * DT, [1.0], 0.01), "holds no sample"),
        (lambda: search_window(np.arange(8)[::-1] * DT, [0.01], 0.01), "increasing"),
        (lambda: search_window(np.arange(8) * DT, [np.nan], 0.01), "centre"),
        (
            lambda: pick_sta_lta(
                np.ones((2, 64)), DT, 0.01, 0.04, 3.0, search=np.ones(64)
            ),
            "boolean mask",
        ),
        (
            lambda: pick_sta_lta(
                np.ones((2, 64)), DT, 0.01, 0.04, 3.0, search=np.ones((3, 64), bool)
            ),
            "does not broadcast",
        ),
        (
            lambda: pick_energy_ratio(
                np.ones((1, 64)), DT, 0.01, search=np.arange(64)[None] == 0
            ),
            "no sample it can pick",
        ),
        (
            lambda: cnn_picker(128, np.random.default_rng(0), channels=(8, 0)),
            "channels",
        ),
    ],
)
def test_bad_input_raises_a_clear_error(call, match):
    with pytest.raises((ValueError, TypeError), match=match):
        call()


def test_gaussian_labels_and_the_parabolic_pick_recover_a_subsample_time():
    t = np.arange(64) * DT
    fb = np.array([[0.0312, 0.05], [0.0801, 0.1005]])
    p = gaussian_labels(fb, t, sigma=1.5 * DT)
    assert p.shape == (2, 2, 64)
    np.testing.assert_allclose(p.sum(axis=-1), 1.0, rtol=1e-12)
    assert np.all(np.abs(np.argmax(p, axis=-1) * DT - fb) <= DT / 2)
    # log p is a parabola in t, so the refinement returns the label's centre exactly
    np.testing.assert_allclose(pick_from_logits(np.log(p), DT), fb, atol=1e-12)
    # a peak on the first sample is not refined
    z = np.zeros(8)
    z[0] = 1.0
    assert pick_from_logits(z, DT) == 0.0


def test_cnn_picker_shapes_and_gradients_against_finite_differences():
    rng = np.random.default_rng(3)
    net = cnn_picker(16, rng, channels=(2, 3), kernel_size=3, in_channels=2)
    x = rng.normal(size=(3, 2, 16))
    assert net.forward(x).shape == (3, 16)
    errors = check_layer(net, x, rng=rng)  # float64 central differences, tol 1e-6
    assert max(errors.values()) < 1e-6
    assert cnn_picker(128, rng).forward(np.zeros((5, 1, 128))).shape == (5, 128)


def test_the_cnn_learns_to_pick_better_than_a_constant():
    rng = np.random.default_rng(0)
    g = make_gathers(40, rng, snr_db=20.0, p_dead=0.0, p_noisy=0.0)
    X = picker_inputs(g.x)
    Y = gaussian_labels(g.first_break.ravel(), g.t, 1.5 * g.dt)
    net = cnn_picker(g.t.size, rng)
    fit(
        net,
        SoftmaxCrossEntropy(),
        Adam(eta=0.003),
        X[:960],
        Y[:960],
        epochs=4,
        batch_size=64,
        rng=rng,
    )
    picks = pick_from_logits(net.predict(X[960:]), g.dt)
    truth = g.first_break.ravel()[960:]
    constant = np.full_like(truth, g.first_break.ravel()[:960].mean())
    assert rms_ms(picks, truth) < 0.5 * rms_ms(constant, truth)


def test_calibrate_finds_the_setting_and_removes_the_onset_bias():
    x = burst(ONSETS)
    truth = (np.array(ONSETS) + 5) * DT  # labels 5 samples after the onset
    setting, shift = calibrate(
        lambda x, th: pick_sta_lta(x, DT, 0.01, 0.06, th), [(1.5,), (3.0,)], x, truth
    )
    picks = pick_sta_lta(x, DT, 0.01, 0.06, *setting) + shift
    assert rms_ms(picks, truth) <= 2 * DT * 1e3 and 3 * DT <= shift <= 7 * DT
    with pytest.raises(ValueError, match="at least one setting"):
        calibrate(lambda x: x, [], x, truth)


def test_cnn_pick_in_batches_equals_one_pass():
    rng = np.random.default_rng(5)
    net = cnn_picker(32, rng, channels=(4, 4), kernel_size=5)
    x = rng.normal(size=(23, 1, 32))
    np.testing.assert_allclose(
        cnn_pick(net, x, DT, batch_size=5),
        pick_from_logits(net.predict(x), DT),
        rtol=0,
        atol=1e-12,
    )
    with pytest.raises(ValueError, match="3-D"):
        cnn_pick(net, x[:, 0], DT)


def test_picker_inputs_one_example_per_trace_with_an_offset_channel():
    g = make_gathers(
        3, np.random.default_rng(1), n_traces=8, nt=96, v_range=(2500.0, 3000.0)
    )
    X1, X2 = picker_inputs(g.x), picker_inputs(g.x, g.offset)
    assert X1.shape == (24, 1, 96) and X2.shape == (24, 2, 96)
    np.testing.assert_array_equal(X2[:, 0], X1[:, 0])
    np.testing.assert_array_equal(
        X1[9, 0], normalise_traces(g.x)[1, 1]
    )  # gather 1, trace 1
    np.testing.assert_allclose(X2[9, 1], g.offset[1] / g.offset[-1])
    with pytest.raises(ValueError, match="one non-zero distance per trace"):
        picker_inputs(g.x, g.offset[:5])
    with pytest.raises(ValueError, match="3-D"):
        picker_inputs(g.x[0])
