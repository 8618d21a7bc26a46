"""Bad input on the chapter-11 APIs (2-D layers, skip connections, pos_weight, faulted
sections, fault scores, the moveout line): each case gets an error that names the
argument and what was expected (one row each in ERRORS), or behaves as documented
(the tests after the table). The fuzz over every public function is
tests/test_fuzz_2d_modules.py."""

import warnings

import numpy as np
import pytest

from geonn import BCEWithLogits, Sequential, SoftmaxCrossEntropy
from geonn.core.layers import (
    AvgPool2D,
    Concat,
    Conv1D,
    Conv2D,
    Flatten,
    MaxPool2D,
    Residual,
    Upsample2D,
)
from geonn.domain.datasets.sections import make_sections
from geonn.domain.faults import (
    bandpass_sections,
    coherence,
    fault_scores,
    tune_threshold,
)
from geonn.domain.picking import fit_linear_moveout


def R(seed=0):
    return np.random.default_rng(seed)


def _x(shape=(2, 1, 6, 6)):
    return R().normal(size=shape)


def _conv(c_in=1, c_out=2, k=3, **kw):
    return Conv2D(c_in, c_out, k, rng=R(), **kw)


def _ran(layer, shape=(2, 1, 6, 6)):
    """``layer`` after one forward pass on input of ``shape``."""
    layer.forward(_x(shape))
    return layer


def _concat():
    return Concat(Conv2D(1, 1, 3, rng=R()))


def _residual():
    return Residual(Conv2D(1, 1, 3, rng=R()))


MASK = np.zeros((4, 4), bool)
OFFSET = 100.0 + 25.0 * np.arange(6)

# (what the fuzz found or the brief asked, the call, the exception, a regex of its
# message)
ERRORS = [
    # -- input of the wrong kind or shape
    (
        "Conv2D.forward drops the imaginary part",
        lambda: _conv().forward(_x().astype(complex)),
        TypeError,
        r"the input of Conv2D\(1→2, k=3×3, same\) must be numeric; got dtype complex",
    ),
    (
        "Residual.forward drops the imaginary part",
        lambda: _residual().forward(_x().astype(complex)),
        TypeError,
        r"the input of Residual must be numeric; got dtype complex128",
    ),
    (
        "Concat.forward of complex input: 'X must be numeric' (Sequential's X)",
        lambda: Concat(Sequential([_conv()])).forward(_x().astype(complex)),
        TypeError,
        r"the input of Concat must be numeric; got dtype complex128",
    ),
    (
        "Concat.forward of a number: 'X must be 2-D or more' (Sequential's X)",
        lambda: Concat(Sequential([_conv()])).forward(3.0),
        ValueError,
        r"the input of Concat must be \(batch, channels, \.\.\.\); got shape \(\)",
    ),
    (
        "MaxPool2D.forward of text",
        lambda: MaxPool2D(2).forward(np.full((2, 1, 6, 6), "a")),
        TypeError,
        r"the input of MaxPool2D\(2\) must be numeric; got dtype <U1",
    ),
    (
        "Upsample2D.forward of complex input",
        lambda: Upsample2D(2).forward(_x().astype(complex)),
        TypeError,
        r"the input of Upsample2D\(2\) must be numeric",
    ),
    (
        "Conv2D with the wrong channel count",
        lambda: _conv().forward(np.ones((2, 3, 6, 6))),
        ValueError,
        r"Conv2D\(1→2, k=3×3, same\) expects 1 input channels; got 3 \(shape "
        r"\(2, 3, 6, 6\)\)",
    ),
    (
        "Conv2D on 3-D input",
        lambda: _conv().forward(np.ones((2, 6, 6))),
        ValueError,
        r"Conv2D\(1→2, k=3×3, same\) needs 4-D input \(batch, channels, height, "
        r"width\); got shape \(2, 6, 6\)",
    ),
    (
        "AvgPool2D on 3-D input",
        lambda: AvgPool2D(2).forward(np.ones((2, 6, 6))),
        ValueError,
        r"AvgPool2D\(2\) needs 4-D input",
    ),
    (
        "Conv2D with padding='valid' on an image smaller than the kernel",
        lambda: _conv(k=5, padding="valid").forward(np.ones((2, 1, 4, 6))),
        ValueError,
        r"images of 4 × 6 pixels are smaller than the kernel \(5 × 5\); use "
        r"padding='same'",
    ),
    (
        "MaxPool2D on an image smaller than the window",
        lambda: MaxPool2D(3).forward(np.ones((2, 1, 2, 6))),
        ValueError,
        r"MaxPool2D\(3\) needs images of at least 3 × 3 pixels; got shape",
    ),
    (
        "Conv2D took a (2, 2) bias for 4 channels (flattened, as Conv1D once did)",
        lambda: Conv2D(1, 4, 3, rng=R(), b=np.zeros((2, 2))),
        ValueError,
        r"Conv2D b has shape \(2, 2\); expected \(4,\), one bias per output channel",
    ),
    (
        "Conv2D(padding=an array): 'truth value of an array is ambiguous'",
        lambda: _conv(padding=np.ones(2)),
        ValueError,
        r"Conv2D padding must be 'same' or 'valid'",
    ),
    (
        "Conv1D(padding=an array), likewise",
        lambda: Conv1D(1, 2, 3, rng=R(), padding=np.ones(2)),
        ValueError,
        r"Conv1D padding must be 'same' or 'valid'",
    ),
    (
        "Conv2D(init=['he']): 'unhashable type: list'",
        lambda: _conv(init=["he"]),
        ValueError,
        r"unknown initialisation \['he'\]; choose one of xavier",
    ),
    # -- kernel, stride, size and factor pairs
    (
        "Conv2D kernel_size as a 3-tuple",
        lambda: _conv(k=(3, 3, 3)),
        ValueError,
        r"Conv2D kernel_size must be a positive integer or a pair of them; got "
        r"\(3, 3, 3\)",
    ),
    (
        "Conv2D negative stride in a pair",
        lambda: _conv(stride=(1, -1)),
        ValueError,
        r"Conv2D stride must be a positive integer; got -1",
    ),
    (
        "MaxPool2D size as a 3-tuple",
        lambda: MaxPool2D((2, 2, 2)),
        ValueError,
        r"MaxPool2D size must be a positive integer or a pair",
    ),
    (
        "AvgPool2D negative stride",
        lambda: AvgPool2D(2, stride=-2),
        ValueError,
        r"AvgPool2D stride must be a positive integer",
    ),
    (
        "Upsample2D negative factor",
        lambda: Upsample2D(-2),
        ValueError,
        r"Upsample2D factor must be a positive integer; got -2",
    ),
    # -- backward before forward, grad_out of the wrong shape
    *[
        (
            f"{name}.backward before forward: AttributeError",
            lambda make=make: make().backward(np.ones((2, 1, 6, 6))),
            RuntimeError,
            rf"{name}\.backward called before forward",
        )
        for name, make in [
            ("Conv2D", _conv),
            ("MaxPool2D", lambda: MaxPool2D(2)),
            ("AvgPool2D", lambda: AvgPool2D(2)),
            ("Upsample2D", lambda: Upsample2D(2)),
            ("Concat", _concat),
            ("Residual", _residual),
        ]
    ],
    (
        "Conv2D.backward with a (2, 2, 5, 6) gradient: 'axes don't match' or wrong",
        lambda: _ran(_conv()).backward(np.ones((2, 2, 5, 6))),
        ValueError,
        r"grad_out of Conv2D\(1→2, k=3×3, same\) must have the shape of its last "
        r"output, \(2, 2, 6, 6\); got \(2, 2, 5, 6\)",
    ),
    (
        "MaxPool2D.backward broadcasts a batch of 1",
        lambda: _ran(MaxPool2D(2)).backward(np.ones((1, 1, 3, 3))),
        ValueError,
        r"grad_out of MaxPool2D\(2\) .*\(2, 1, 3, 3\); got \(1, 1, 3, 3\)",
    ),
    (
        "AvgPool2D.backward of an empty gradient",
        lambda: _ran(AvgPool2D(2)).backward(np.ones((0, 1, 3, 3))),
        ValueError,
        r"grad_out of AvgPool2D\(2\) .*\(2, 1, 3, 3\); got \(0, 1, 3, 3\)",
    ),
    (
        "Upsample2D.backward of a 2-D gradient: 'not enough values to unpack'",
        lambda: _ran(Upsample2D(2)).backward(np.ones((2, 3))),
        ValueError,
        r"grad_out of Upsample2D\(2\) .*\(2, 1, 12, 12\); got \(2, 3\)",
    ),
    (
        "Concat.backward of the input's channels only",
        lambda: _ran(_concat()).backward(np.ones((2, 1, 6, 6))),
        ValueError,
        r"grad_out of Concat must have the shape of its last output, "
        r"\(2, 2, 6, 6\); got \(2, 1, 6, 6\)",
    ),
    (
        "Residual.backward of None: 'NoneType' is not subscriptable",
        lambda: _ran(_residual()).backward(None),
        TypeError,
        r"grad_out of Residual must be numeric; got dtype object",
    ),
    # -- skips whose inner changes the shape
    (
        "Concat whose inner pools: the spatial size changes",
        lambda: Concat(MaxPool2D(2)).forward(_x()),
        ValueError,
        r"Concat: its inner layer turned input of shape \(2, 1, 6, 6\) into "
        r"\(2, 1, 3, 3\); it must keep the batch and the spatial size",
    ),
    (
        "Residual whose inner changes the channels",
        lambda: Residual(_conv()).forward(_x()),
        ValueError,
        r"Residual: its inner layer turned input of shape \(2, 1, 6, 6\) into "
        r"\(2, 2, 6, 6\); it must keep the shape",
    ),
    # -- pos_weight
    *[
        (
            f"BCEWithLogits(pos_weight={p!r})",
            lambda p=p: BCEWithLogits(pos_weight=p),
            ValueError,
            r"BCEWithLogits pos_weight must be positive and finite",
        )
        for p in (0, -1.0, float("nan"), float("inf"))
    ],
    (
        "BCEWithLogits(pos_weight=an array): one weight for the positive class",
        lambda: BCEWithLogits(pos_weight=np.ones(3)),
        TypeError,
        r"BCEWithLogits pos_weight must be a number; got ndarray",
    ),
    (
        "SoftmaxCrossEntropy with a NaN in a target row: a NaN loss, silently",
        lambda: SoftmaxCrossEntropy().value(
            np.zeros((2, 3)), [[1, 0, 0], [0, np.nan, 1]]
        ),
        ValueError,
        r"SoftmaxCrossEntropy: target row 1 is \[0\.0, nan, 1\.0\]; each row must be "
        r"one-hot",
    ),
    # -- faulted sections
    (
        "make_sections dip 0 (a horizontal fault)",
        lambda: make_sections(2, R(), dip_range=(0.0, 80.0)),
        ValueError,
        r"dip_range\[0\] must be ≥ 1; got 0",
    ),
    (
        "make_sections dip beyond 90",
        lambda: make_sections(2, R(), dip_range=(50.0, 95.0)),
        ValueError,
        r"dip_range\[1\] must be ≤ 90; got 95",
    ),
    (
        "make_sections throw_range reversed",
        lambda: make_sections(2, R(), throw_range=(6.0, 2.0)),
        ValueError,
        r"throw_range must be \(low, high\) with low ≤ high; got \(6\.0, 2\.0\)",
    ),
    (
        "make_sections n_faults negative",
        lambda: make_sections(2, R(), n_faults=(-1, 2)),
        ValueError,
        r"n_faults\[0\] must be a non-negative integer; got -1",
    ),
    (
        "make_sections n_faults reversed",
        lambda: make_sections(2, R(), n_faults=(3, 1)),
        ValueError,
        r"n_faults\[1\] must be an integer ≥ 3; got 1",
    ),
    (
        "make_sections n_faults of 1.5",
        lambda: make_sections(2, R(), n_faults=(1.5, 2)),
        TypeError,
        r"n_faults\[0\] must be a non-negative integer; got float 1\.5",
    ),
    (
        "make_sections height too small",
        lambda: make_sections(2, R(), height=4),
        ValueError,
        r"height must be an integer ≥ 8; got 4",
    ),
    (
        "make_sections width too small",
        lambda: make_sections(2, R(), width=7),
        ValueError,
        r"width must be an integer ≥ 8; got 7",
    ),
    (
        "make_sections(height=16) with the default throws: 'must be ≤ 4; got 6'",
        lambda: make_sections(2, R(), height=16),
        ValueError,
        r"throw_range\[1\] must be ≤ height/4 = 4 samples; got 6 \(lower it or "
        r"raise height\)",
    ),
    (
        "make_sections(height=16) with the default folds: 'fold_amp must be ≤ 4'",
        lambda: make_sections(2, R(), height=16, throw_range=(1.0, 2.0)),
        ValueError,
        r"fold_amp must be ≤ height/4 = 4 samples; got 6 \(lower it or raise height\)",
    ),
    # -- fault attributes and scores
    (
        "fault_scores of a score, not a mask: every nonzero pixel was a fault",
        lambda: fault_scores(np.full((4, 4), 0.3), MASK),
        ValueError,
        r"pred must be a mask of 0/1 or False/True values \(threshold a score "
        r"first: score > θ\); found 0\.3",
    ),
    (
        "fault_scores of masks of different shapes",
        lambda: fault_scores(np.ones((4, 4), bool), np.zeros((4, 5), bool)),
        ValueError,
        r"pred and truth must have the same shape; got \(4, 4\) and \(4, 5\)",
    ),
    (
        "fault_scores of a truth of 2s",
        lambda: fault_scores(MASK, np.full((4, 4), 2)),
        ValueError,
        r"truth must be a mask of 0/1",
    ),
    (
        "tune_threshold on a truth without faults: the lowest candidate, silently",
        lambda: tune_threshold(R().random((4, 4)), MASK),
        ValueError,
        r"truth holds no fault pixel: every threshold has F1 = 0",
    ),
    (
        "coherence with dips of 1e200: 'pad_width must be of integral type'",
        lambda: coherence(_x((8, 8)), dips=[1e200]),
        ValueError,
        r"dips must lie within ±8 samples per trace \(the sections' height\); got "
        r"1e\+200",
    ),
    (
        "bandpass_sections(corners=None): 'NoneType' object is not iterable",
        lambda: bandpass_sections(_x((2, 16, 4)), 0.002, None),
        TypeError,
        r"bandpass corners must be four frequencies \(f1, f2, f3, f4\) in Hz; got "
        r"NoneType None",
    ),
    (
        "bandpass_sections(corners=[]): 'not enough values to unpack'",
        lambda: bandpass_sections(_x((2, 16, 4)), 0.002, []),
        ValueError,
        r"bandpass corners must be four frequencies .*; got \[\]",
    ),
    # -- the moveout line
    (
        "fit_linear_moveout with one offset too few",
        lambda: fit_linear_moveout(np.full((2, 6), 0.1), OFFSET[:-1]),
        ValueError,
        r"offset must be \(n_traces,\) = \(6,\) or \(n, n_traces\) = \(2, 6\), like "
        r"picks; got \(5,\)",
    ),
    (
        "fit_linear_moveout with constant offsets: NaN for every gather",
        lambda: fit_linear_moveout(np.full((2, 6), 0.1), np.ones(6)),
        ValueError,
        r"offset must vary along each gather \(a line needs two distinct offsets\); "
        r"gather 0 has every offset 1",
    ),
    (
        "fit_linear_moveout of no gathers: 'cannot reshape array of size 0'",
        lambda: fit_linear_moveout(np.zeros((0, 6)), OFFSET),
        ValueError,
        r"picks must hold at least 1 sample\(s\) along its first axis",
    ),
    (
        "fit_linear_moveout of one-trace gathers",
        lambda: fit_linear_moveout(np.full((2, 1), 0.1), OFFSET[:1]),
        ValueError,
        r"picks must hold at least 2 traces per gather",
    ),
    (
        "fit_linear_moveout(loss=['tukey']): 'unhashable type: list'",
        lambda: fit_linear_moveout(np.full((2, 6), 0.1), OFFSET, loss=["tukey"]),
        ValueError,
        r"loss must be \"tukey\" or \"huber\"; got \['tukey'\]",
    ),
]


@pytest.mark.parametrize(
    "call, error, match", [row[1:] for row in ERRORS], ids=[row[0] for row in ERRORS]
)
def test_bad_input_gets_an_error_naming_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()


# -- behaves as documented -----------------------------------------------------------
@pytest.mark.parametrize(
    "layer, c_in",
    [
        (Conv2D(2, 3, 3, rng=R()), 2),
        (Conv2D(4, 2, 3, stride=2, padding="valid", rng=R()), 4),
        (MaxPool2D(2), 2),
        (AvgPool2D(2, stride=1), 2),
        (Upsample2D(2), 2),
        (Flatten(), 2),
        (Concat(Conv2D(2, 2, 3, rng=R())), 2),
        (Residual(Conv2D(2, 2, 3, rng=R())), 2),
    ],
    ids=lambda v: repr(v).split("\n")[0] if not isinstance(v, int) else str(v),
)
def test_an_empty_batch_gives_an_empty_result_like_flatten(layer, c_in):
    """As Flatten and the 1-D layers: (0, C, H, W) in, (0, ...) of the right shape
    out, and an empty ∂L/∂x back (the parameter gradients are zero)."""
    one = layer.forward(np.ones((1, c_in, 6, 6)))
    out = layer.forward(np.zeros((0, c_in, 6, 6)))
    assert out.shape == (0, *one.shape[1:])
    assert layer.backward(np.zeros(out.shape)).shape == (0, c_in, 6, 6)
    assert all(np.all(g == 0) for g in layer.grads())


def test_the_moveout_line_of_a_dead_gather_or_one_pick_is_nan_without_warnings():
    t = 0.02 + OFFSET / 2500.0
    picks = np.stack([np.full(6, np.nan), np.where(np.arange(6) == 2, t, np.nan), t])
    with warnings.catch_warnings():
        warnings.simplefilter("error")
        fit = fit_linear_moveout(picks, OFFSET)
    assert np.all(np.isnan(fit.picks[:2])) and np.all(np.isnan(fit.t0[:2]))
    np.testing.assert_allclose(fit.picks[2], t)
    np.testing.assert_allclose(fit.v[2], 2500.0)


def test_the_moveout_line_does_not_depend_on_the_unit_of_the_offsets():
    t = 0.02 + OFFSET / 2500.0 + 0.001 * R().normal(size=(3, 6))
    fit = fit_linear_moveout(t, OFFSET)
    for scale in (1e200, 1e-200):
        big = fit_linear_moveout(t, scale * OFFSET)
        np.testing.assert_allclose(big.picks, fit.picks, rtol=1e-12)
        np.testing.assert_allclose(big.v, scale * fit.v, rtol=1e-12)


def test_coherence_does_not_depend_on_the_scale():
    x = R().normal(size=(2, 12, 10))
    for scale in (1e200, 1e-200):
        np.testing.assert_allclose(coherence(scale * x), coherence(x), atol=1e-12)
