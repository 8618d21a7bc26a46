"""Concat and Residual: gradients at any depth (check_layer, float64 central
differences < 1e-6), parameters, freezing, leaves, save/load of a small U-Net, and
clear errors when the inner layer changes what it must keep."""

import numpy as np
import pytest

from geonn import (
    Activation,
    Adam,
    Concat,
    Conv2D,
    Dense,
    Flatten,
    MaxPool2D,
    Residual,
    Sequential,
    Upsample2D,
    check_layer,
    spectral_norm,
)


def unet(rng, dtype=float):
    """8 → 16 channels down, back up, the input skipped across: a 1-level U-Net."""

    def conv(c_in, c_out, k=3):
        return Conv2D(c_in, c_out, k, rng=rng, dtype=dtype)

    relu = Activation("relu")
    return Sequential(
        [
            conv(1, 4),
            relu,
            Concat(
                Sequential(
                    [MaxPool2D(2), conv(4, 8), Activation("relu"), Upsample2D(2)]
                )
            ),
            conv(12, 4),
            Activation("relu"),
            conv(4, 1, 1),
        ]
    )


def test_concat_and_residual_keep_the_contract_at_any_depth():
    rng = np.random.default_rng(0)
    x = rng.normal(size=(2, 1, 8, 6))
    check_layer(unet(rng), x, rng=rng)
    inner = Sequential([Conv2D(3, 3, 3, rng=rng), Activation("tanh")])
    check_layer(Residual(inner), rng.normal(size=(2, 3, 5, 4)), rng=rng)
    nested = Residual(
        Sequential([Concat(Conv2D(2, 2, 3, rng=rng)), Conv2D(4, 2, 1, rng=rng)])
    )
    check_layer(nested, rng.normal(size=(2, 2, 5, 4)), rng=rng)
    check_layer(Residual(Dense(3, 3, rng=rng)), rng.normal(size=(4, 3)), rng=rng)
    check_layer(
        Concat(spectral_norm(Conv2D(2, 1, 3, rng=rng), rng=rng)),
        rng.normal(size=(2, 2, 4, 4)),
        rng=rng,
    )


def test_a_frozen_skip_lists_nothing_but_passes_gradients():
    rng = np.random.default_rng(1)
    net = unet(rng)
    skip = net[2]
    n_inner = sum(p.size for p in skip.inner.params())
    assert len(net.params()) == 8 and skip.n_params == n_inner == 4 * 8 * 9 + 8
    skip.freeze()
    assert skip.params() == [] and not skip.trainable
    assert len(net.params()) == 6 and net.trainable
    check_layer(net, rng.normal(size=(2, 1, 4, 4)), rng=rng)  # restores the flags
    assert skip.params() == [] and not skip.inner[1].trainable
    net.unfreeze()
    assert len(net.params()) == 8 and skip.trainable


def test_leaves_and_names_reach_inside():
    net = unet(np.random.default_rng(2))
    kinds = [type(leaf).__name__ for leaf in net.leaves()]
    assert kinds == [
        "Conv2D",
        "Activation",
        "MaxPool2D",
        "Conv2D",
        "Activation",
        "Upsample2D",
        "Conv2D",
        "Activation",
        "Conv2D",
    ]
    assert "2.0.1.W" in net.named_params()
    assert "Concat(" in repr(net)


def test_unet_save_load_round_trip(tmp_path):
    rng = np.random.default_rng(3)
    x = rng.normal(size=(2, 1, 8, 8)).astype(np.float32)
    a, b = unet(rng, np.float32), unet(np.random.default_rng(4), np.float32)
    opt = Adam(1e-2)
    for _ in range(2):  # move a's weights away from their start
        a.backward(a.forward(x, train=True) - x, need_input_grad=False)
        opt.step(a.params(), a.grads())
    a.save(tmp_path / "unet")
    assert not np.allclose(a.forward(x), b.forward(x))
    b.load(tmp_path / "unet.npz")
    np.testing.assert_array_equal(a.forward(x), b.forward(x))
    assert b.forward(x).dtype == np.float32


def test_skip_errors_name_the_problem():
    rng = np.random.default_rng(5)
    with pytest.raises(TypeError, match="Concat inner must be a geonn Layer"):
        Concat(lambda x: x)
    with pytest.raises(
        ValueError, match="Concat: .* must keep the batch and the spatial size"
    ):
        Concat(MaxPool2D(2)).forward(np.zeros((1, 1, 4, 4)))
    with pytest.raises(ValueError, match="Residual: .* must keep the shape"):
        Residual(Conv2D(1, 2, 3, rng=rng)).forward(np.zeros((1, 1, 4, 4)))
    with pytest.raises(ValueError, match="must keep"):
        Residual(Flatten()).forward(np.zeros((1, 1, 4, 4)))
