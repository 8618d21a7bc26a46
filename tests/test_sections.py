"""Faulted sections (geonn.domain.datasets.sections): shapes, seeds, the label
definition, the throw's sign, the SNR and bad arguments."""

import numpy as np
import pytest

from geonn.domain.datasets import Sections, make_sections, snr_db


def one_vertical_fault(p_reverse, **kw):
    """One vertical fault of throw 3 samples, flat layers: the two blocks differ only
    by the throw."""
    kw = dict(n_faults=(1, 1), dip_range=(90.0, 90.0), throw_range=(3.0, 3.0))
    kw.update(fold_amp=0.0, tilt=0.0, snr_db=None, p_reverse=p_reverse)
    return make_sections(4, np.random.default_rng(3), **kw)


def test_shapes_and_dtypes():
    s = make_sections(5, np.random.default_rng(0), height=48, width=40)
    assert isinstance(s, Sections)
    for a in (s.x, s.clean, s.throw, s.rgt):
        assert a.shape == (5, 48, 40) and a.dtype == np.float64
    assert s.fault.shape == (5, 48, 40) and s.fault.dtype == bool
    assert s.n_faults.shape == (5,) and set(s.n_faults) <= {1, 2, 3}
    for a in (s.dip, s.fault_throw, s.kind, s.direction, s.x0, s.labelled):
        assert a.shape == (5, 3)
    assert s.t.shape == (48,) and s.dt == 0.002 and s.snr_db.shape == (5,)
    absent = np.arange(3) >= s.n_faults[:, None]
    assert np.all(np.isnan(s.dip) == absent) and np.all((s.kind == "") == absent)
    assert np.all((s.dip[~absent] >= 55) & (s.dip[~absent] <= 80))
    t = np.abs(s.fault_throw[~absent])
    assert np.all((t >= 2) & (t <= 6))
    assert np.all(s.throw[~s.fault] == 0) and np.all(s.throw[s.fault] != 0)
    assert 0.01 < s.fault.mean() < 0.15  # faults are a few % of the pixels


def test_determinism_per_seed():
    a, b = (make_sections(3, np.random.default_rng(7)) for _ in range(2))
    for u, v in zip(a, b, strict=True):
        np.testing.assert_array_equal(u, v)
    c = make_sections(3, np.random.default_rng(8))
    assert not np.array_equal(a.x, c.x)


@pytest.mark.parametrize("p_reverse, sign", [(0.0, 1.0), (1.0, -1.0)])
def test_label_is_where_the_blocks_are_displaced(p_reverse, sign):
    s = one_vertical_fault(p_reverse)
    assert np.all(s.fault_throw[:, 0] == 3.0 * sign)
    assert np.all(s.kind[:, 0] == ("normal" if sign > 0 else "reverse"))
    for i in range(4):
        x0 = s.x0[i, 0]
        cols = np.flatnonzero(np.abs(np.arange(64) - x0) < 1)  # the straddling traces
        want = np.zeros((64, 64), dtype=bool)
        want[:, cols] = True
        np.testing.assert_array_equal(s.fault[i], want)
        assert np.all(s.throw[i][:, cols] == 3.0 * sign)
        # the hanging wall (x > x0 for direction +1) lies d samples lower (normal)
        hw, fw = (cols[-1] + 1, cols[0] - 1)[:: int(s.direction[i, 0])]
        np.testing.assert_allclose(s.rgt[i][:, fw] - s.rgt[i][:, hw], 3.0 * sign)
        # so the hanging-wall trace is the footwall trace delayed by the throw
        a, b = s.clean[i][:, hw], s.clean[i][:, fw]
        shifted = a[6:-6] if sign > 0 else a[3:-9]
        ref = b[3:-9] if sign > 0 else b[6:-6]
        np.testing.assert_allclose(shifted, ref, atol=3e-3 * np.abs(b).max())
        # and the layers within each block are laterally continuous
        same = np.abs(np.arange(64) - x0) >= 1
        blocks = np.diff(s.rgt[i], axis=1)[:, same[:-1] & same[1:]]
        assert np.abs(blocks).max() < 1e-12


def test_every_lateral_jump_of_the_layers_is_labelled():
    s = make_sections(40, np.random.default_rng(1), snr_db=None)
    jump = np.abs(np.diff(s.rgt, axis=2)) > 1.0  # throws are ≥ 2 samples
    both = s.fault[:, :, 1:] & s.fault[:, :, :-1]
    assert jump.any() and not np.any(jump & ~both)


def test_every_labelled_row_has_a_jump():
    kw = dict(n_faults=(1, 1), fold_amp=0.0, tilt=0.0, snr_db=None)
    s = make_sections(30, np.random.default_rng(2), **kw)
    d_tau = np.abs(np.diff(s.rgt, axis=2))
    for i in range(30):
        rows = np.flatnonzero(s.fault[i].any(axis=1))
        inner = rows[s.fault[i][rows][:, 1:-1].sum(1) == 2]  # plane inside the image
        assert d_tau[i][inner].max(axis=1).min() >= abs(s.fault_throw[i, 0]) - 1e-9


def test_small_throws_and_no_faults_are_not_labelled():
    s = make_sections(6, np.random.default_rng(4), throw_range=(0.2, 0.8))
    assert not s.fault.any() and not s.labelled.any() and np.all(s.throw == 0)
    s = make_sections(6, np.random.default_rng(4), n_faults=(0, 0))
    assert not s.fault.any() and np.all(s.n_faults == 0) and np.isnan(s.dip).all()


def test_snr_is_the_requested_one():
    s = make_sections(8, np.random.default_rng(5), snr_db=3.0)
    flat = (s.clean.reshape(8, -1), s.x.reshape(8, -1))
    np.testing.assert_allclose(snr_db(*flat), 3.0, atol=1e-9)
    s = make_sections(8, np.random.default_rng(5), snr_db=(0.0, 20.0))
    flat = (s.clean.reshape(8, -1), s.x.reshape(8, -1))
    np.testing.assert_allclose(snr_db(*flat), s.snr_db, atol=1e-9)
    assert s.snr_db.min() >= 0 and s.snr_db.max() <= 20 and np.ptp(s.snr_db) > 1


def test_noise_free():
    s = make_sections(3, np.random.default_rng(6), snr_db=None)
    assert s.snr_db is None
    np.testing.assert_array_equal(s.x, s.clean)
    assert np.all(np.abs(s.clean).max(axis=(1, 2)) > 0)


@pytest.mark.parametrize(
    "kw, err, words",
    [
        (dict(n=0), ValueError, "n must be"),
        (dict(rng=1), TypeError, "make_sections needs rng"),
        (dict(height=4), ValueError, "height"),
        (dict(width=2.5), TypeError, "width"),
        (dict(dip_range=(80.0, 55.0)), ValueError, "dip_range"),
        (dict(dip_range=(50.0, 95.0)), ValueError, "dip_range[1]"),
        (dict(throw_range=(-1.0, 2.0)), ValueError, "throw_range[0]"),
        (dict(n_faults=2), ValueError, "n_faults must be a pair"),
        (dict(n_faults=(3, 1)), ValueError, "n_faults[1]"),
        (dict(snr_db="high"), TypeError, "snr_db"),
        (dict(snr_db=(20.0, 0.0)), ValueError, "snr_db"),
        (dict(p_reverse=1.5), ValueError, "p_reverse"),
        (dict(f_range=(20.0, 300.0)), ValueError, "f_range[1]"),
        (dict(fold_amp=-1.0), ValueError, "fold_amp"),
        (dict(bed_samples=0.0), ValueError, "bed_samples"),
    ],
)
def test_bad_arguments_name_themselves(kw, err, words):
    args = dict(n=2, rng=np.random.default_rng(0))
    args.update(kw)
    with pytest.raises(err, match=words.replace("[", r"\[").replace("]", r"\]")):
        make_sections(args.pop("n"), args.pop("rng"), **args)


def test_many_sections_are_drawn_in_chunks_alike():
    s = make_sections(300, np.random.default_rng(9), height=32, width=16)
    assert s.x.shape == (300, 32, 16) and s.t.shape == (32,) and s.dt == 0.002
    assert s.dip.shape == (300, 3) and s.snr_db.shape == (300,)
    assert len({a.tobytes() for a in s.x}) == 300  # no chunk repeats another
    flat = (s.clean.reshape(300, -1), s.x.reshape(300, -1))
    np.testing.assert_allclose(snr_db(*flat), 10.0, atol=1e-9)
    assert make_sections(200, np.random.default_rng(9), snr_db=None).snr_db is None
