"""The fuzz of tests/test_fuzz_new_modules.py (tests/_fuzz.py) on the modules of
chapter 11: 2-D convolution, pooling and upsampling, the skip connections, the
losses (BCEWithLogits' pos_weight), faulted sections, fault attributes and scores,
the robust moveout line and the block diagrams.

Every public function (and class) has one valid call below; each argument in turn is
replaced by each bad value of the battery. A layer is fuzzed through its
constructor, its forward and its backward (after a forward). Each call must raise a
clear error naming the argument (for a layer's input or gradient, the layer and
"input" or "grad_out"), or return a finite result except where NaN propagates as
lib/geonn/README.md ("Errors and NaN") says. The cases found by the fuzz, one test
each with its message, are in tests/test_errors_2d_modules.py.
"""

import matplotlib

matplotlib.use("Agg")
import _fuzz  # noqa: E402
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from geonn import Activation, Dense, Sequential  # noqa: E402
from geonn.core import losses  # noqa: E402
from geonn.core.layers import (  # noqa: E402
    AvgPool2D,
    Concat,
    Conv2D,
    MaxPool2D,
    Residual,
    Upsample2D,
)
from geonn.core.layers import conv2d as conv2d_module  # noqa: E402
from geonn.core.layers import pool2d as pool2d_module  # noqa: E402
from geonn.core.layers import skip as skip_module  # noqa: E402
from geonn.domain import faults  # noqa: E402
from geonn.domain.datasets import sections  # noqa: E402
from geonn.domain.picking import moveout  # noqa: E402
from geonn.studies import (  # noqa: E402
    image_gan,
    image_gan_report,
    image_gan_run,
    image_gan_walk,
    image_transfer,
    image_transfer_report,
    image_transfer_run,
)
from geonn.studies.plotting import blocks  # noqa: E402

DT = 0.002


def R():
    return np.random.default_rng(0)


def teardown_function():
    plt.close("all")


def _image(shape=(2, 1, 6, 6)):
    return R().normal(size=shape)


def _after_forward(layer, shape=(2, 1, 6, 6)):
    """``layer.backward``, ready: one forward pass has run."""
    layer.forward(_image(shape))
    return layer.backward


def _grad(layer, shape=(2, 1, 6, 6)):
    """A valid ∂L/∂out for ``layer`` on input of ``shape``."""
    return np.ones(layer.forward(_image(shape)).shape)


def _conv():
    return Conv2D(1, 2, 3, rng=R())


def _unet():
    down = Sequential([MaxPool2D(2), Conv2D(1, 2, 3, rng=R()), Upsample2D(2)])
    return Sequential([Concat(down), Conv2D(3, 1, 1, rng=R())])


GAN_PATCHES = R().normal(size=(8, 1, 16, 16))  # image_gan's, 16 × 16 (float64: ×1e200)


def _small_d(spectral=False):
    return image_gan.patch_discriminator(
        R(), spectral=spectral, size=16, channels=(2, 2, 2)
    )


SEC = sections.make_sections(
    2, R(), height=16, width=16, n_faults=(1, 1), throw_range=(2.0, 3.0), fold_amp=2.0
)
TRUTH = SEC.fault
PRED = np.roll(TRUTH, 1, axis=-1)
SCORE = faults.coherence(SEC.x, window=(5, 3))
OFFSET = 100.0 + 25.0 * np.arange(8)
PICKS = 0.02 + OFFSET / 2500.0 + 0.001 * R().normal(size=(3, 8))
DREAMS = image_transfer.dream_data(0, small=True)
AE, ENCODER = image_transfer.patch_autoencoder(R())
ENC_W = image_transfer.encoder_weights(ENCODER)
PATCHES = DREAMS.held[:4, :, :8, :8].astype(float)
GRID = [
    dict(seed=s, n_labels=5, arm=a, f1=0.5 + 0.1 * s + 0.01 * i)
    for s in (0, 1)
    for i, a in enumerate(("frozen", "scratch"))
] + [dict(seed=0, n_labels=200, arm="ceiling", f1=0.8)]
LAYERS = {
    "Conv2D": _conv,
    "MaxPool2D": lambda: MaxPool2D(2, stride=1),
    "AvgPool2D": lambda: AvgPool2D(2, stride=1),
    "Upsample2D": lambda: Upsample2D(2),
    "Concat": lambda: Concat(Sequential([Conv2D(1, 2, 3, rng=R())])),
    "Residual": lambda: Residual(Conv2D(1, 1, 3, rng=R())),
}

# name → (callable, keyword arguments of a valid call)
CASES = {
    "Conv2D": (
        Conv2D,
        dict(
            in_channels=1,
            out_channels=2,
            kernel_size=3,
            stride=1,
            padding="same",
            rng=R(),
            init="he",
            dtype=np.float32,
        ),
    ),
    "Conv2D(W, b)": (
        Conv2D,
        dict(
            in_channels=1,
            out_channels=2,
            kernel_size=(3, 1),
            W=np.ones((2, 1, 3, 1)),
            b=np.zeros(2),
        ),
    ),
    "MaxPool2D": (MaxPool2D, dict(size=2, stride=1)),
    "AvgPool2D": (AvgPool2D, dict(size=2, stride=1)),
    "Upsample2D": (Upsample2D, dict(factor=2)),
    "Concat": (Concat, dict(inner=Sequential([Conv2D(1, 2, 3, rng=R())]))),
    "Residual": (Residual, dict(inner=Conv2D(1, 1, 3, rng=R()))),
    **{
        f"{name}.forward": (make().forward, dict(x=_image()))
        for name, make in LAYERS.items()
    },
    **{
        f"{name}.backward": (_after_forward(make()), dict(grad_out=_grad(make())))
        for name, make in LAYERS.items()
    },
    "MSE": (losses.MSE, dict()),
    "MSE.value": (losses.MSE().value, dict(pred=_image(), target=_image())),
    "MSE.grad": (losses.MSE().grad, dict(pred=_image(), target=_image())),
    "BCEWithLogits": (losses.BCEWithLogits, dict(pos_weight=5.0)),
    "BCEWithLogits.value": (
        losses.BCEWithLogits(pos_weight=5.0).value,
        dict(pred=_image(), target=(_image() > 0).astype(float)),
    ),
    "BCEWithLogits.grad": (
        losses.BCEWithLogits(pos_weight=5.0).grad,
        dict(pred=_image(), target=(_image() > 0).astype(float)),
    ),
    "SoftmaxCrossEntropy": (losses.SoftmaxCrossEntropy, dict()),
    "SoftmaxCrossEntropy.value": (
        losses.SoftmaxCrossEntropy().value,
        dict(pred=_image((4, 3)), target=np.eye(3)[[0, 1, 2, 0]]),
    ),
    "SoftmaxCrossEntropy.grad": (
        losses.SoftmaxCrossEntropy().grad,
        dict(pred=_image((4, 3)), target=np.eye(3)[[0, 1, 2, 0]]),
    ),
    "get": (losses.get, dict(name="bce")),
    "make_sections": (
        sections.make_sections,
        dict(
            n=2,
            rng=R(),
            height=16,
            width=16,
            dt=DT,
            f_range=(25.0, 45.0),
            snr_db=10.0,
            n_faults=(1, 1),
            dip_range=(55.0, 80.0),
            throw_range=(2.0, 3.0),
            p_reverse=0.5,
            min_throw=1.0,
            bed_samples=3.0,
            sigma_log_z=0.2,
            fold_amp=2.0,
            tilt=0.1,
        ),
    ),
    "coherence": (
        faults.coherence,
        dict(x=SEC.x, window=(5, 3), dips=np.array([-0.5, 0.0, 0.5])),
    ),
    "bandpass_sections": (
        faults.bandpass_sections,
        dict(x=SEC.x, dt=DT, corners=(5.0, 10.0, 60.0, 80.0)),
    ),
    "fault_scores": (
        faults.fault_scores,
        dict(pred=PRED, truth=TRUTH, tolerance=1),
    ),
    "fault_hits": (
        faults.fault_hits,
        dict(pred=PRED, truth=TRUTH, tolerance=1),
    ),
    "tune_threshold": (
        faults.tune_threshold,
        dict(score=SCORE, truth=TRUTH, tolerance=1, n_thresholds=20),
    ),
    "threshold_at_false_alarm": (
        faults.threshold_at_false_alarm,
        dict(score=SCORE, truth=TRUTH, rate=0.05, tolerance=1),
    ),
    "fit_linear_moveout": (
        moveout.fit_linear_moveout,
        dict(
            picks=PICKS,
            offset=OFFSET,
            loss="tukey",
            c=4.685,
            n_iter=5,
            min_scale=0.0005,
        ),
    ),
    "draw_blocks": (
        blocks.draw_blocks,
        dict(net=_unet(), input_shape=(1, 8, 8), ax=None, title="U-Net"),
    ),
    "patch_generator": (
        image_gan.patch_generator,
        dict(latent_dim=4, rng=R(), size=16, channels=(4, 4, 2), dtype=np.float32),
    ),
    "patch_discriminator": (
        image_gan.patch_discriminator,
        dict(rng=R(), spectral=True, size=16, channels=(2, 2, 2), dtype=np.float32),
    ),
    "discriminator_weights": (
        image_gan.discriminator_weights,
        dict(D=_small_d(spectral=True)),
    ),
    "patch_gan": (
        image_gan_run.patch_gan,
        dict(seed=0, spectral=True, latent_dim=4, size=16),
    ),
    "train_patch_gan": (
        image_gan_run.train_patch_gan,
        dict(X=GAN_PATCHES, seed=0, spectral=False, steps=2, progress=False),
    ),
    "walk_measures": (
        image_gan_walk.walk_measures,
        dict(
            images=SEC.x[:, None, :8, :8],
            dt=DT,
            fault_score=lambda x: faults.coherence(x[:, 0], window=(5, 3)),
            threshold=0.3,
            dips=np.linspace(-1.0, 1.0, 5),
            window=(5, 3),
        ),
    ),
    "patch_traces": (image_gan_report.patch_traces, dict(X=GAN_PATCHES)),
    "patch_report": (
        image_gan_report.patch_report,
        dict(
            X=GAN_PATCHES,
            Y=GAN_PATCHES[::-1] + 0.1,
            dt=DT,
            features=lambda Y: Y.reshape(len(Y), -1)[:, :3],
        ),
    ),
    "dominant_dip": (
        image_gan_walk.dominant_dip,
        dict(images=SEC.x[:, :8, :8], dips=np.linspace(-1.0, 1.0, 5), window=(5, 3)),
    ),
    "patches": (
        image_transfer.patches,
        dict(x=_image((2, 1, 12, 12)), size=8, n=3, rng=R()),
    ),
    "dream_data": (image_transfer.dream_data, dict(seed=0, small=True)),
    "patch_autoencoder": (
        image_transfer.patch_autoencoder,
        dict(rng=R(), code_channels=2, dtype=np.float32),
    ),
    "pretrain_autoencoder": (
        image_transfer.pretrain_autoencoder,
        dict(ae=AE, X=PATCHES, rng=R(), epochs=1, batch_size=2, eta=0.003),
    ),
    "encode": (image_transfer.encode, dict(net=AE, X=PATCHES, batch_size=2)),
    "pca_fit": (image_transfer.pca_fit, dict(X=PATCHES, k=2)),
    "pca_reconstruct": (
        image_transfer.pca_reconstruct,
        dict(pca=image_transfer.pca_fit(PATCHES, 2), X=PATCHES),
    ),
    "encoder_weights": (image_transfer.encoder_weights, dict(encoder=ENCODER)),
    "encoder_convs": (
        image_transfer_run.encoder_convs,
        dict(net=image_transfer_run.transfer_unet(ENC_W, R())),
    ),
    "transfer_unet": (
        image_transfer_run.transfer_unet,
        dict(weights=ENC_W, rng=R(), frozen=True, dtype=np.float32),
    ),
    "train_faults": (
        image_transfer_run.train_faults,
        dict(
            net=image_transfer_run.transfer_unet(ENC_W, R()),
            X=PATCHES,
            Y=(PATCHES > 1).astype(float),
            rng=R(),
            steps=2,
            slow=True,
        ),
    ),
    "run_fault_transfer": (
        image_transfer_run.run_fault_transfer,
        dict(
            seed=0,
            weights={"ae": ENC_W},
            n_labels=(2,),
            arms=("frozen",),
            small=True,
            data=DREAMS,
        ),
    ),
    "fault_ceiling": (
        image_transfer_run.fault_ceiling,
        dict(seed=0, small=True, data=DREAMS),
    ),
    "transfer_cells": (image_transfer_report.transfer_cells, dict(rows=GRID, key="f1")),
    "paired_wins": (image_transfer_report.paired_wins, dict(rows=GRID, key="f1")),
    "fault_transfer_table": (
        image_transfer_report.fault_transfer_table,
        dict(rows=GRID, key="f1"),
    ),
    "is_dense_network": (
        blocks.is_dense_network,
        dict(net=Sequential([Dense(2, 1, rng=R()), Activation("relu")])),
    ),
}

MODULES = (
    conv2d_module,
    pool2d_module,
    skip_module,
    losses,
    sections,
    faults,
    moveout,
    blocks,
    image_gan,
    image_gan_report,
    image_gan_run,
    image_gan_walk,
    image_transfer,
    image_transfer_run,
    image_transfer_report,
)
NOT_FUZZED = {
    "Container": "the base class of Sequential, Concat and Residual (all fuzzed)",
    "Loss": "the base class of the losses",
    "Sections": "a NamedTuple that make_sections fills",
    "FaultScores": "a NamedTuple that fault_scores fills",
    "Tuned": "a NamedTuple that tune_threshold fills",
    "MoveoutFit": "a NamedTuple that fit_linear_moveout fills",
    "WalkMeasures": "a NamedTuple that walk_measures fills",
    "DreamData": "a NamedTuple that dream_data fills",
}

CALLS = _fuzz.calls(CASES)

# NaN propagates here, as README's "Errors and NaN" says: layers and losses
PROPAGATES = (
    {
        (f"{name}.{method}", arg, bad)
        for name in LAYERS
        for method, arg in (("forward", "x"), ("backward", "grad_out"))
        for bad in ("nan_in", "inf_in")
    }
    | {
        (f"{name}.{method}", "pred", bad)
        for name in ("MSE", "BCEWithLogits", "SoftmaxCrossEntropy")
        for method in ("value", "grad")
        for bad in ("nan_in", "inf_in")
    }
    | {
        ("MSE.value", "target", "nan_in"),
        ("MSE.value", "target", "inf_in"),
        ("MSE.grad", "target", "nan_in"),
        ("MSE.grad", "target", "inf_in"),
        ("fit_linear_moveout", "picks", "zeros"),  # flat picks: v = 1/0 = inf
        ("walk_measures", "fault_score", "None"),  # no score: fault presence NaN
    }
)
# NumPy's own warnings where a layer or a loss propagates (inf · 0, inf − inf, x²)
WARNS = {
    (f"{name}.backward", "grad_out", "inf_in")
    for name in ("Conv2D", "MaxPool2D", "Concat", "Residual")
} | {
    ("BCEWithLogits.value", "pred", "inf_in"),
    ("SoftmaxCrossEntropy.value", "pred", "inf_in"),
    ("SoftmaxCrossEntropy.grad", "pred", "inf_in"),
    ("MSE.value", "pred", "scaled"),
    ("MSE.value", "target", "scaled"),
}
# errors that name another thing than the argument, which is what went wrong
NAMED_OTHERWISE = {
    **{("get", "name", bad): "unknown loss" for bad in _fuzz.BAD},
    **{("Conv2D", "init", bad): "unknown initialisation" for bad in _fuzz.BAD},
    ("bandpass_sections", "dt", "huge"): "Nyquist",  # the corners lie above it
    # 1e200 patches give 1e200 features: their Fréchet distance overflows
    ("patch_report", "X", "scaled"): "standardise the features",
    ("patch_report", "Y", "scaled"): "standardise the features",
}


@pytest.mark.parametrize("name, arg, bad", CALLS)
def test_a_bad_argument_gets_a_clear_error_or_a_finite_result(name, arg, bad):
    _fuzz.check(
        CASES,
        name,
        arg,
        bad,
        propagates=PROPAGATES,
        warns=WARNS,
        named_otherwise=NAMED_OTHERWISE,
        layers=r"Dense|Conv1D|Conv2D|Reshape|MaxPool2D|Concat",
    )


def test_every_public_function_of_the_2d_modules_is_fuzzed():
    missing, stale = _fuzz.missing(CASES, MODULES, (), NOT_FUZZED)
    assert not missing, f"add a valid call to CASES for {missing}"
    assert not stale, f"stale NOT_FUZZED entries {stale}"
