"""Classical fault detection (geonn.domain.faults): coherence, scores with a
tolerance, threshold tuning and matched false-alarm thresholds."""

import numpy as np
import pytest

from geonn.domain import processing
from geonn.domain.datasets import make_sections
from geonn.domain.faults import (
    FaultScores,
    bandpass_sections,
    coherence,
    fault_hits,
    fault_scores,
    threshold_at_false_alarm,
    tune_threshold,
)


def layered(shift, H=40, W=12, seed=0):
    """Flat layers (one random trace repeated), traces from W//2 on moved down by
    ``shift`` samples: a vertical fault between traces W//2 − 1 and W//2."""
    trace = np.convolve(
        np.random.default_rng(seed).standard_normal(H + 20), np.hanning(5)
    )
    x = np.tile(trace[10 : 10 + H, None], (1, W))
    x[:, W // 2 :] = trace[10 - shift : 10 - shift + H, None]
    return x


def test_semblance_by_hand():
    x = np.array([[1.0, 1.0, -1.0, -1.0]])  # one sample, four traces
    c = coherence(x, window=(1, 3))
    # edges repeat the border trace: (1, 1, 1) and (-1, -1, -1) are coherent
    np.testing.assert_allclose(c, [[0.0, 8 / 9, 8 / 9, 0.0]])  # 1 − 1²/(3·3)


def test_step_edge_lights_up_the_fault_only():
    c = coherence(layered(4), window=(7, 3))
    assert c.shape == (40, 12)
    far = np.r_[0:4, 8:12]
    assert np.abs(c[:, far]).max() < 1e-12  # continuous layers: semblance 1
    assert c[5:-5, 5:7].mean() > 0.3  # the two traces either side of the fault
    assert np.abs(coherence(layered(0))).max() < 1e-12  # no fault, no signal


def test_dip_scan_follows_dipping_layers():
    rng = np.random.default_rng(1)
    trace = np.convolve(rng.standard_normal(80), np.hanning(5))
    x = np.stack([trace[20 - k : 60 - k] for k in range(10)], axis=1)  # 1 sample/trace
    assert coherence(x, (5, 3), dips=(0.0,))[5:-5, 2:-2].mean() > 0.3
    np.testing.assert_allclose(
        coherence(x, (5, 3), dips=(1.0,))[5:-5, 1:-1], 0.0, atol=1e-12
    )
    batch = coherence(np.stack([x, 2 * x]), (5, 3), dips=(-1.0, 0.0, 1.0))
    np.testing.assert_allclose(batch[0], batch[1], atol=1e-12)  # scale-free


def test_scores_by_hand():
    truth = np.zeros((5, 5), dtype=bool)
    truth[:, 2] = True
    pred = np.zeros((5, 5), dtype=bool)
    pred[0:3, 2] = True
    pred[4, 0] = True
    s = fault_scores(pred, truth, tolerance=0)
    assert isinstance(s, FaultScores)
    np.testing.assert_allclose(s, [0.75, 0.6, 2 * 0.45 / 1.35, 0.5, 1 / 20])
    beside = np.roll(truth, 1, axis=1)  # one trace off
    np.testing.assert_allclose(fault_scores(beside, truth, 0)[:4], 0.0)
    np.testing.assert_allclose(fault_scores(beside, truth, 1), [1, 1, 1, 1, 0])
    # with t = 1 the background is the two columns farther than 1 from the fault
    s = fault_scores(pred, truth, tolerance=1)
    # the true pixel of row 3 now touches the prediction of row 2: R = 4/5
    np.testing.assert_allclose(s, [0.75, 0.8, 2 * 0.6 / 1.55, 0.6 / 0.95, 1 / 10])


def test_fault_hits_are_the_pixels_fault_scores_counts():
    truth = np.zeros((5, 5), dtype=bool)
    truth[:, 2] = True
    pred = np.zeros((5, 5), dtype=bool)
    pred[0:3, 2] = True
    pred[4, 0] = True
    hits = fault_hits(pred, truth, tolerance=0)
    assert set(hits) == {"hit", "miss", "false alarm"}
    np.testing.assert_array_equal(hits["hit"], pred & truth)
    np.testing.assert_array_equal(hits["miss"], truth & ~pred)
    assert np.flatnonzero(hits["false alarm"]).tolist() == [20]  # row 4, trace 0
    s = fault_scores(pred, truth, tolerance=1)
    hits = fault_hits(pred, truth, tolerance=1)
    assert hits["hit"].sum() / pred.sum() == s.precision
    assert 1 - hits["miss"].sum() / truth.sum() == pytest.approx(s.recall)


def test_perfect_and_empty_predictions():
    truth = np.zeros((2, 6, 6), dtype=bool)
    truth[0, :, 3] = True
    assert fault_scores(truth, truth) == (1.0, 1.0, 1.0, 1.0, 0.0)
    assert fault_scores(np.zeros_like(truth), truth) == (0.0, 0.0, 0.0, 0.0, 0.0)
    empty = np.zeros_like(truth)
    assert fault_scores(empty, empty) == (1.0, 1.0, 1.0, 1.0, 0.0)
    s = fault_scores(np.ones_like(truth), empty)
    assert s[:4] == (0.0, 0.0, 0.0, 0.0) and s.false_alarm == 1.0


def test_tuned_threshold_matches_fault_scores():
    rng = np.random.default_rng(2)
    truth = rng.random((3, 16, 16)) < 0.05
    score = truth + 0.3 * rng.random(truth.shape)
    tuned = tune_threshold(score, truth, tolerance=0, n_thresholds=1000)
    assert tuned.scores.f1 == 1.0 and 0.29 < tuned.threshold < 1.0
    s = make_sections(20, np.random.default_rng(3))
    c = coherence(bandpass_sections(s.x, s.dt))
    tuned = tune_threshold(c, s.fault)
    assert tuned.scores == fault_scores(c > tuned.threshold, s.fault)
    assert tuned.f1.max() == tuned.scores.f1 > 0.4
    assert tuned.thresholds.shape == tuned.f1.shape


def test_threshold_at_false_alarm():
    s = make_sections(10, np.random.default_rng(4))
    c = coherence(s.x)
    for rate in (0.01, 0.1):
        theta = threshold_at_false_alarm(c, s.fault, rate)
        np.testing.assert_allclose(
            fault_scores(c > theta, s.fault).false_alarm, rate, atol=1e-3
        )


def test_bandpass_sections_filters_each_trace():
    x = np.random.default_rng(5).standard_normal((2, 32, 6))
    y = bandpass_sections(x, 0.002)
    np.testing.assert_allclose(y[1][:, 4], processing.bandpass(x[1][:, 4], 0.002))
    np.testing.assert_allclose(bandpass_sections(x[0], 0.002), y[0])


Z4, Z8 = np.zeros((4, 4)), np.zeros((8, 8))


@pytest.mark.parametrize(
    "call, err, words",
    [
        (lambda: coherence(np.zeros(5)), ValueError, "x must be"),
        (lambda: coherence(np.full((4, 4), np.nan)), ValueError, "x contains"),
        (lambda: coherence(Z8, window=(4, 3)), ValueError, r"window\[0\]"),
        (lambda: coherence(Z8, window=(5, 1)), ValueError, r"window\[1\]"),
        (lambda: coherence(Z8, window=5), ValueError, "window must be"),
        (lambda: coherence(Z8, dips=()), ValueError, "dips"),
        (lambda: fault_scores(Z4, np.zeros((4, 5))), ValueError, "same shape"),
        (lambda: fault_scores(Z4, np.full((4, 4), 2)), ValueError, "truth"),
        (lambda: fault_scores(Z4, Z4, -1), ValueError, "tolerance"),
        (lambda: fault_scores(Z4, Z4, 1.5), TypeError, "tolerance"),
        (lambda: tune_threshold(np.full((4, 4), np.nan), Z4), ValueError, "score"),
        (lambda: threshold_at_false_alarm(Z4, Z4, 0.0), ValueError, "rate"),
        (lambda: threshold_at_false_alarm(Z4, Z4 + 1, 0.1), ValueError, "background"),
    ],
)
def test_bad_input_names_the_argument(call, err, words):
    with pytest.raises(err, match=words):
        call()
