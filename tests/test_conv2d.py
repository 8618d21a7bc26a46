"""Conv2D, 2-D pooling and upsampling: the Layer contract and float64 central
differences (< 1e-6) on every case, a naive loop reference, float32 kept, spectral
normalisation, clear errors, and (when PyTorch is installed) PyTorch's conv2d."""

import numpy as np
import pytest

from geonn import (
    MSE,
    AvgPool2D,
    BCEWithLogits,
    Conv2D,
    MaxPool2D,
    Upsample2D,
    check_layer,
    spectral_norm,
)
from geonn.core.gradcheck import numerical_grad, rel_error


def _conv(rng, c_in=2, c_out=3, k=3, **kw):
    layer = Conv2D(c_in, c_out, k, rng=rng, **kw)
    layer.b[:] = rng.normal(size=c_out)
    return layer


# (name, layer factory, input shape); inputs are drawn so no pooling window ties
CASES = [
    ("conv same", _conv, (2, 2, 7, 6)),
    ("conv valid", lambda r: _conv(r, padding="valid"), (2, 2, 7, 6)),
    ("conv same stride 2", lambda r: _conv(r, stride=2), (2, 2, 7, 6)),
    (
        "conv valid stride 2",
        lambda r: _conv(r, stride=2, padding="valid"),
        (2, 2, 8, 7),
    ),
    ("conv same stride (2, 1)", lambda r: _conv(r, stride=(2, 1)), (2, 2, 7, 6)),
    ("conv same k=(2, 3)", lambda r: _conv(r, k=(2, 3)), (2, 2, 6, 5)),
    (
        "conv valid k=(3, 1)",
        lambda r: _conv(r, k=(3, 1), padding="valid"),
        (2, 2, 6, 5),
    ),
    ("conv same k=4 stride 2", lambda r: _conv(r, k=4, stride=2), (2, 2, 7, 8)),
    ("conv k=1", lambda r: _conv(r, 3, 2, 1), (2, 3, 4, 5)),
    # C_out < C_in at stride 1 takes the other input-gradient path (a full correlation)
    ("conv C_out<C_in same", lambda r: _conv(r, 4, 2), (2, 4, 6, 5)),
    ("conv C_out=C_in same k=(3, 2)", lambda r: _conv(r, 2, 2, (3, 2)), (2, 2, 5, 6)),
    (
        "conv C_out<C_in valid k=(2, 3)",
        lambda r: _conv(r, 4, 2, (2, 3), padding="valid"),
        (2, 4, 6, 5),
    ),
    ("conv+spectral_norm", lambda r: spectral_norm(_conv(r), 0.5, rng=r), (2, 2, 6, 5)),
    ("maxpool 2", lambda r: MaxPool2D(2), (2, 3, 6, 4)),
    ("maxpool 2 odd size", lambda r: MaxPool2D(2), (2, 2, 7, 5)),
    ("maxpool 3 stride 2", lambda r: MaxPool2D(3, stride=2), (2, 2, 7, 7)),
    ("maxpool (2, 3) stride (1, 2)", lambda r: MaxPool2D((2, 3), (1, 2)), (2, 2, 5, 7)),
    ("maxpool (1, 3)", lambda r: MaxPool2D((1, 3)), (2, 2, 3, 7)),
    ("maxpool (3, 1) stride 1", lambda r: MaxPool2D((3, 1), 1), (2, 2, 5, 3)),
    ("avgpool 2", lambda r: AvgPool2D(2), (2, 3, 6, 4)),
    ("avgpool 3 stride 1", lambda r: AvgPool2D(3, stride=1), (2, 2, 5, 6)),
    ("avgpool (1, 2)", lambda r: AvgPool2D((1, 2)), (2, 2, 3, 6)),
    ("upsample 2", lambda r: Upsample2D(2), (2, 2, 3, 4)),
    ("upsample (3, 1)", lambda r: Upsample2D((3, 1)), (2, 2, 3, 4)),
]


@pytest.mark.parametrize("name,make,shape", CASES, ids=[c[0] for c in CASES])
def test_every_2d_layer_keeps_the_contract(name, make, shape):
    rng = np.random.default_rng(7)
    layer = make(rng)
    errors = check_layer(layer, rng.normal(size=shape), rng=rng)
    assert max(errors.values()) < 1e-6


def test_maxpool_sends_each_gradient_to_one_maximum_on_ties():
    x = np.zeros((1, 1, 4, 6))  # all windows tied, as after a ReLU
    x[0, 0, 0, 3] = x[0, 0, 1, 2] = 1.0  # two tied maxima in the middle window
    pool = MaxPool2D(2)
    out = pool.forward(x)
    dx = pool.backward(np.ones_like(out))
    assert dx.sum() == out.size and dx.max() == 1
    assert dx[0, 0, 1, 2] == 1 and dx[0, 0, 0, 3] == 0  # the leftmost column wins
    assert dx[0, 0, 0, 0] == dx[0, 0, 0, 4] == 1  # all-zero windows: the top left


def naive_conv2d(x, W, b, stride, padding):
    """The definition, one output pixel at a time."""
    C_out, _, kh, kw = W.shape
    sh, sw = stride
    n, _, H, Wd = x.shape
    if padding == "same":
        Ho, Wo = -(-H // sh), -(-Wd // sw)
        th, tw = max((Ho - 1) * sh + kh - H, 0), max((Wo - 1) * sw + kw - Wd, 0)
        x = np.pad(
            x, ((0, 0), (0, 0), (th // 2, th - th // 2), (tw // 2, tw - tw // 2))
        )
    Ho, Wo = (x.shape[2] - kh) // sh + 1, (x.shape[3] - kw) // sw + 1
    z = np.empty((n, C_out, Ho, Wo))
    for m in range(n):
        for o in range(C_out):
            for h in range(Ho):
                for w in range(Wo):
                    patch = x[m, :, h * sh : h * sh + kh, w * sw : w * sw + kw]
                    z[m, o, h, w] = b[o] + np.sum(W[o] * patch)
    return z


@pytest.mark.parametrize("padding", ["same", "valid"])
@pytest.mark.parametrize("k,stride", [(3, 1), ((2, 3), (2, 1)), (4, 2)])
def test_conv2d_matches_the_naive_loop(padding, k, stride):
    rng = np.random.default_rng(1)
    layer = _conv(rng, 3, 4, k, stride=stride, padding=padding)
    x = rng.normal(size=(2, 3, 9, 8))
    ref = naive_conv2d(x, layer.W, layer.b, layer.stride, padding)
    np.testing.assert_allclose(layer.forward(x), ref, rtol=1e-12, atol=1e-12)


def test_float32_in_gives_float32_out_and_gradients():
    rng = np.random.default_rng(2)
    x = rng.normal(size=(2, 2, 8, 8)).astype(np.float32)
    conv = Conv2D(2, 4, 3, rng=rng, dtype=np.float32)
    for layer in (conv, MaxPool2D(2), AvgPool2D(2), Upsample2D(2)):
        out = layer.forward(x)
        assert out.dtype == np.float32, layer
        assert layer.backward(np.ones_like(out)).dtype == np.float32, layer
    assert conv.dW.dtype == conv.db.dtype == np.float32


def test_spectral_norm_bounds_the_conv2d_weight_matrix():
    rng = np.random.default_rng(3)
    layer = spectral_norm(Conv2D(3, 4, 3, rng=rng), 2.0, rng=rng)
    for _ in range(50):  # power iteration converges on the (C_out, C_in·kh·kw) matrix
        layer.forward(rng.normal(size=(1, 3, 5, 5)), train=True)
    sigma = np.linalg.svd(layer.weight().reshape(4, -1), compute_uv=False)[0]
    assert sigma == pytest.approx(2.0, rel=1e-6)


def test_conv2d_skips_the_input_gradient_when_asked():
    rng = np.random.default_rng(4)
    layer = _conv(rng)
    x = rng.normal(size=(2, 2, 5, 5))
    layer.forward(x)
    assert layer.backward(np.ones((2, 3, 5, 5)), need_input_grad=False) is None


@pytest.mark.parametrize(
    "make,error,match",
    [
        (
            lambda: Conv2D(0, 2, 3, rng=np.random.default_rng()),
            ValueError,
            "in_channels",
        ),
        (
            lambda: Conv2D(1, 2, (3, 0), rng=np.random.default_rng()),
            ValueError,
            "kernel_size",
        ),
        (
            lambda: Conv2D(1, 2, (3, 3, 3), rng=np.random.default_rng()),
            ValueError,
            "kernel_size",
        ),
        (
            lambda: Conv2D(1, 2, 3.0, rng=np.random.default_rng()),
            TypeError,
            "kernel_size",
        ),
        (
            lambda: Conv2D(1, 2, 3, stride=True, rng=np.random.default_rng()),
            TypeError,
            "stride",
        ),
        (
            lambda: Conv2D(1, 2, 3, padding="full", rng=np.random.default_rng()),
            ValueError,
            "padding",
        ),
        (lambda: Conv2D(1, 2, 3), TypeError, "rng"),
        (lambda: Conv2D(1, 2, 3, W=np.zeros((2, 1, 3))), ValueError, "W"),
        (
            lambda: Conv2D(1, 2, 3, dtype=int, rng=np.random.default_rng()),
            TypeError,
            "dtype",
        ),
        (lambda: MaxPool2D((2, -1)), ValueError, "MaxPool2D size"),
        (lambda: AvgPool2D(2, stride="1"), TypeError, "AvgPool2D stride"),
        (lambda: Upsample2D(0), ValueError, "Upsample2D factor"),
    ],
)
def test_bad_arguments_are_named(make, error, match):
    with pytest.raises(error, match=match):
        make()


def test_bad_input_shapes_are_named():
    layer = Conv2D(2, 3, 3, padding="valid", rng=np.random.default_rng())
    with pytest.raises(ValueError, match="4-D input"):
        layer.forward(np.zeros((2, 2, 5)))
    with pytest.raises(ValueError, match="expects 2 input channels"):
        layer.forward(np.zeros((2, 3, 5, 5)))
    with pytest.raises(ValueError, match="smaller than the kernel"):
        layer.forward(np.zeros((2, 2, 2, 5)))
    with pytest.raises(ValueError, match="at least 3 × 3"):
        MaxPool2D(3).forward(np.zeros((1, 1, 2, 5)))


@pytest.mark.parametrize("pos_weight", [None, 1.0, 4.0, 0.3])
def test_image_losses_match_finite_differences(pos_weight):
    rng = np.random.default_rng(5)
    z = rng.normal(size=(3, 1, 4, 5)) * 3
    y = (rng.random(z.shape) < 0.2).astype(float)
    losses = [BCEWithLogits(pos_weight=pos_weight)]
    losses += [MSE()] if pos_weight is None else []
    for loss in losses:
        g = loss.grad(z, y)
        assert g.shape == z.shape
        assert rel_error(g, numerical_grad(lambda: loss.value(z, y), z)) < 1e-6


def test_pos_weight_is_the_weighted_textbook_formula():
    z = np.array([[-30.0, -1.0, 0.5, 2.0, 15.0]])
    y = np.array([[1.0, 0.0, 1.0, 1.0, 0.0]])
    p, s = 3.0, 1 / (1 + np.exp(-z))
    textbook = -np.sum(p * y * np.log(s) + (1 - y) * np.log1p(-s))
    assert BCEWithLogits(pos_weight=p).value(z, y) == pytest.approx(textbook, rel=1e-9)
    assert BCEWithLogits(pos_weight=1).value(z, y) == pytest.approx(
        BCEWithLogits().value(z, y), rel=1e-12
    )
    z32 = z.astype(np.float32)
    assert BCEWithLogits(pos_weight=p).grad(z32, y).dtype == np.float32
    with pytest.raises(ValueError, match="pos_weight"):
        BCEWithLogits(pos_weight=0)


@pytest.mark.filterwarnings("ignore:Using padding='same'")
def test_conv2d_and_pooling_match_pytorch():
    torch = pytest.importorskip("torch")
    F = torch.nn.functional
    rng = np.random.default_rng(6)
    x = rng.normal(size=(3, 4, 10, 9))
    # C_out = 5 > C_in: ∂L/∂x tap by tap; C_out = 3 at stride 1: full correlation
    cases = [(5, 3, 1, "same"), (5, (2, 3), 2, "valid"), (5, 4, 1, "same")]
    cases += [(3, 3, 1, "same"), (3, (2, 3), 1, "valid"), (3, 4, 1, "same")]
    for c_out, k, stride, padding in cases:
        layer = _conv(rng, 4, c_out, k, stride=stride, padding=padding)
        xt = torch.from_numpy(x).requires_grad_(True)
        Wt = torch.from_numpy(layer.W.copy()).requires_grad_(True)
        bt = torch.from_numpy(layer.b.copy()).requires_grad_(True)
        zt = F.conv2d(xt, Wt, bt, stride=stride, padding=padding)
        r = rng.normal(size=tuple(zt.shape))
        (zt * torch.from_numpy(r)).sum().backward()
        z = layer.forward(x)
        dx = layer.backward(r)
        for mine, theirs in [
            (z, zt),
            (dx, xt.grad),
            (layer.dW, Wt.grad),
            (layer.db, bt.grad),
        ]:
            theirs = theirs.detach().numpy()
            assert rel_error(mine, theirs) < 1e-5, (k, stride, padding)
    for layer, tf in [(MaxPool2D(2), F.max_pool2d), (AvgPool2D(3, 2), F.avg_pool2d)]:
        xt = torch.from_numpy(x)
        ref = tf(xt, layer.size, layer.stride).numpy()
        assert rel_error(layer.forward(x), ref) < 1e-12
