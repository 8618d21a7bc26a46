"""A fuzz of the modules of chapters 6b and 8-10, as a new user would try them.

Every public function (and class) of these modules has one valid call below; the fuzz
replaces each argument in turn by each value of a battery of bad ones (None, text, a
bool, -1, 0, 1e300, NaN, [], a complex array; and for array arguments NaN or inf
inside, no rows, an extra axis, complex, ×1e200, all zeros). Each call must either

* raise TypeError or ValueError (RuntimeError, TrainingDiverged) whose message names
  the argument (or, for a layer's input, the layer), never another exception nor a
  RuntimeWarning; or
* return a finite result, except where the "Errors and NaN" rule of
  lib/geonn/README.md says NaN propagates (layers; picks of dead traces; losses on
  logits).

The issue's cases, one test each with its exact message, are in
tests/test_errors_new_modules.py; the machinery, shared with the fuzz of chapter 11's
modules (tests/test_fuzz_2d_modules.py), in tests/_fuzz.py.
"""

import _fuzz
import numpy as np
import pytest

from geonn import Activation, Dense, Dropout, Sequential
from geonn.core.layers import (
    AvgPool1D,
    Conv1D,
    Flatten,
    MaxPool1D,
    Reshape,
    SpectralNorm,
    Upsample1D,
    spectral_norm,
)
from geonn.core.layers import conv as conv_module
from geonn.core.layers import spectral as spectral_module
from geonn.domain.datasets import seismic, signals
from geonn.domain.picking import classical, cnn, window
from geonn.studies import (
    autoencoders,
    gan,
    gan_distances,
    gan_metrics,
    gan_nets,
    transfer,
    uncertainty,
)

DT = 0.002


def R():
    return np.random.default_rng(0)


def _traces():
    return R().normal(size=(3, 64))


def _nets():
    return [
        Sequential([Dense(2, 3, rng=R()), Activation("relu"), Dense(3, 1, rng=R())])
        for _ in range(2)
    ]


G = seismic.make_gathers(2, R(), n_traces=4, nt=64, v_range=(2000.0, 3000.0))
X20, Y20 = R().normal(size=(20, 8)), np.random.default_rng(1).normal(size=(20, 8))
ENC = transfer.make_encoder(R(), channels=(2, 3))
HEAD = transfer.make_head(R(), channels=(3, 2, 1), kernel_size=3)


def _er_picker(x, w):
    return classical.pick_energy_ratio(x, DT, w)


def _record(G, D, step):
    return step


def _features(a):
    return a[:, :2]


# name → (callable, keyword arguments of a valid call)
CASES = {
    "Conv1D": (
        Conv1D,
        dict(
            in_channels=1,
            out_channels=2,
            kernel_size=3,
            stride=1,
            padding="same",
            rng=R(),
        ),
    ),
    "Conv1D.forward": (Conv1D(1, 2, 3, rng=R()).forward, dict(x=np.ones((2, 1, 8)))),
    "MaxPool1D": (MaxPool1D, dict(size=2, stride=1)),
    "MaxPool1D.forward": (MaxPool1D(2).forward, dict(x=np.ones((2, 1, 8)))),
    "AvgPool1D": (AvgPool1D, dict(size=2, stride=1)),
    "AvgPool1D.forward": (AvgPool1D(2).forward, dict(x=np.ones((2, 1, 8)))),
    "Upsample1D": (Upsample1D, dict(factor=2)),
    "Upsample1D.forward": (Upsample1D(2).forward, dict(x=np.ones((2, 1, 8)))),
    "Flatten.forward": (Flatten().forward, dict(x=np.ones((2, 3, 4)))),
    "Reshape": (Reshape, dict(shape=(2, 6))),
    "Reshape.forward": (Reshape((2, 6)).forward, dict(x=np.ones((2, 12)))),
    "spectral_norm": (
        spectral_norm,
        dict(layer=Dense(3, 2, rng=R()), bound=1.0, rng=R()),
    ),
    "SpectralNorm": (SpectralNorm, dict(W=np.ones((2, 3)), bound=1.0, rng=R())),
    "ricker": (signals.ricker, dict(f_peak=30.0, dt=DT, duration=0.128)),
    "band_limited_noise": (
        signals.band_limited_noise,
        dict(shape=(2, 64), rng=R(), dt=DT, band=(5.0, 60.0)),
    ),
    "snr_db": (signals.snr_db, dict(clean=_traces(), noisy=_traces())),
    "add_noise": (
        signals.add_noise,
        dict(clean=_traces(), snr_db=10.0, rng=R(), dt=DT),
    ),
    "make_traces": (
        seismic.make_traces,
        dict(
            n=2,
            rng=R(),
            nt=64,
            dt=DT,
            f_range=(20.0, 40.0),
            snr_db=10.0,
            bed_samples=8.0,
            sigma_log_z=0.12,
            duration=0.128,
        ),
    ),
    "make_gathers": (
        seismic.make_gathers,
        dict(
            n=2,
            rng=R(),
            n_traces=4,
            nt=64,
            dt=DT,
            offset0=20.0,
            d_offset=10.0,
            v_range=(2000.0, 3000.0),
            t0_range=(0.01, 0.04),
            f_range=(20.0, 40.0),
            static_ms=4.0,
            n_reflections=1,
            p_dead=0.1,
            p_noisy=0.1,
            noisy_gain=4.0,
            snr_db=10.0,
        ),
    ),
    "normalise_traces": (classical.normalise_traces, dict(x=_traces())),
    "sta_lta": (classical.sta_lta, dict(x=_traces(), dt=DT, sta=0.01, lta=0.04)),
    "pick_sta_lta": (
        classical.pick_sta_lta,
        dict(
            x=_traces(),
            dt=DT,
            sta=0.01,
            lta=0.04,
            threshold=3.0,
            search=np.ones(64, bool),
        ),
    ),
    "energy_ratio": (
        classical.energy_ratio,
        dict(x=_traces(), dt=DT, window=0.01, beta=0.01),
    ),
    "pick_energy_ratio": (
        classical.pick_energy_ratio,
        dict(x=_traces(), dt=DT, window=0.01, beta=0.01, search=np.ones(64, bool)),
    ),
    "calibrate": (
        classical.calibrate,
        dict(
            picker=_er_picker,
            settings=[(0.01,), (0.02,)],
            x=_traces(),
            truth=np.full(3, 0.05),
            mask=np.zeros(3, bool),
        ),
    ),
    "rms_ms": (
        classical.rms_ms,
        dict(pick=[0.1, 0.2], truth=[0.1, 0.21], mask=np.zeros(2, bool)),
    ),
    "median_abs_ms": (
        classical.median_abs_ms,
        dict(pick=[0.1, 0.2], truth=[0.1, 0.21], mask=np.zeros(2, bool)),
    ),
    "expected_first_break": (
        window.expected_first_break,
        dict(first_break=G.first_break, dead=np.zeros(G.first_break.shape, bool)),
    ),
    "search_window": (
        window.search_window,
        dict(t=G.t, centre=np.full(4, 0.05), half_width=0.01),
    ),
    "windowed": (
        window.windowed,
        dict(picker=classical.pick_sta_lta, dt=DT, t=G.t, centre=np.full(4, 0.05)),
    ),
    "picker_inputs": (cnn.picker_inputs, dict(x=G.x, offset=G.offset)),
    "gaussian_labels": (
        cnn.gaussian_labels,
        dict(first_break=G.first_break, t=G.t, sigma=0.003),
    ),
    "pick_from_logits": (cnn.pick_from_logits, dict(z=_traces(), dt=DT)),
    "cnn_picker": (
        cnn.cnn_picker,
        dict(nt=16, rng=R(), channels=(2,), kernel_size=3, in_channels=1),
    ),
    "cnn_pick": (
        cnn.cnn_pick,
        dict(
            net=cnn.cnn_picker(16, R(), channels=(2,), kernel_size=3),
            x=np.ones((3, 1, 16)),
            dt=DT,
            batch_size=2,
        ),
    ),
    "GeneratorLoss": (gan.GeneratorLoss, dict(kind="saturating")),
    "GeneratorLoss.value": (gan.GeneratorLoss().value, dict(s=np.zeros((3, 1)))),
    "GeneratorLoss.grad": (gan.GeneratorLoss().grad, dict(s=np.zeros((3, 1)))),
    "slerp": (
        gan.slerp,
        dict(
            z0=R().normal(size=4),
            z1=np.random.default_rng(1).normal(size=4),
            t=np.linspace(0, 1, 5),
        ),
    ),
    "sample": (
        gan.sample,
        dict(
            G=gan_nets.trace_generator(2, 8, R(), channels=2),
            n=3,
            latent_dim=2,
            rng=R(),
        ),
    ),
    "train_gan": (
        gan.train_gan,
        dict(
            G=gan_nets.trace_generator(2, 8, R(), channels=2, kernel_size=3),
            D=gan_nets.trace_discriminator(8, R(), channels=(2, 2), kernel_size=3),
            X=X20,
            steps=2,
            latent_dim=2,
            rng=R(),
            batch_size=4,
            eta_g=1e-3,
            eta_d=1e-3,
            beta1=0.5,
            loss="saturating",
            record_every=1,
            record=_record,
        ),
    ),
    "trace_generator": (
        gan_nets.trace_generator,
        dict(latent_dim=2, nt=8, rng=R(), channels=2, kernel_size=3),
    ),
    "trace_discriminator": (
        gan_nets.trace_discriminator,
        dict(nt=8, rng=R(), channels=(2, 2), kernel_size=3),
    ),
    "add_spectral_norm": (
        gan_nets.add_spectral_norm,
        dict(net=Sequential([Dense(2, 2, rng=R())]), rng=R(), bound=1.0),
    ),
    "operator_norm": (
        gan_nets.operator_norm,
        dict(layer=Dense(2, 2, rng=R()), in_shape=(2,)),
    ),
    "wasserstein1": (gan_metrics.wasserstein1, dict(a=X20, b=Y20)),
    "spectrum_error": (
        gan_metrics.spectrum_error,
        dict(X=X20, Y=Y20, dt=DT, nfft=16),
    ),
    "dominant_frequency": (
        gan_metrics.dominant_frequency,
        dict(X=X20, dt=DT, nfft=16),
    ),
    "spread_ratio": (
        gan_metrics.spread_ratio,
        dict(prop_y=X20[:, 0], prop_x=Y20[:, 0]),
    ),
    "one_nn_accuracy": (gan_metrics.one_nn_accuracy, dict(X=X20, Y=Y20)),
    "nearest_distance": (gan_metrics.nearest_distance, dict(Y=X20, R=Y20)),
    "memorisation": (
        gan_metrics.memorisation,
        dict(Y=X20, X_train=Y20, X_held=X20 + 1, q=0.05),
    ),
    "closer_to_train": (
        gan_metrics.closer_to_train,
        dict(Y=X20, X_train=Y20, X_held=X20 + 1),
    ),
    "frechet_distance": (gan_metrics.frechet_distance, dict(F_x=X20, F_y=Y20)),
    "gaussian_baseline": (gan_metrics.gaussian_baseline, dict(X=X20, m=5, rng=R())),
    "rms_amplitude": (gan_metrics.rms_amplitude, dict(X=X20)),
    "report": (
        gan_metrics.report,
        dict(X=X20, Y=Y20, dt=DT, features=_features),
    ),
    "ensemble_predict": (
        uncertainty.ensemble_predict,
        dict(nets=_nets(), X=np.ones((4, 2)), transform=None),
    ),
    "mc_dropout_predict": (
        uncertainty.mc_dropout_predict,
        dict(
            net=Sequential(
                [Dense(2, 3, rng=R()), Dropout(0.5, rng=R()), Dense(3, 1, rng=R())]
            ),
            X=np.ones((4, 2)),
            n_samples=3,
        ),
    ),
    "coverage": (
        uncertainty.coverage,
        dict(y=[1.0, 2.0], mean=[1.0, 2.5], std=[1.0, 0.1], k=1.0, noise_std=0.0),
    ),
    "nominal_coverage": (uncertainty.nominal_coverage, dict(k=1.0)),
    "input_sensitivity": (
        uncertainty.input_sensitivity,
        dict(net=_nets()[0], X=np.ones((4, 2))),
    ),
    "dense_autoencoder": (
        autoencoders.dense_autoencoder,
        dict(n_in=8, code=2, hidden=(4,), activation="relu", rng=R()),
    ),
    "conv_denoiser": (
        autoencoders.conv_denoiser,
        dict(channels=2, kernel_size=3, levels=1, rng=R()),
    ),
    "unexplained_variance": (
        autoencoders.unexplained_variance,
        dict(x=X20, x_hat=Y20),
    ),
    "make_encoder": (
        transfer.make_encoder,
        dict(rng=R(), in_channels=3, channels=(2, 3), kernel_size=3),
    ),
    "make_head": (
        transfer.make_head,
        dict(rng=R(), channels=(3, 2, 1), kernel_size=3),
    ),
    "make_autoencoder": (
        transfer.make_autoencoder,
        dict(encoder=ENC, rng=R(), channels=(3, 2, 1), kernel_size=3, bottleneck=1),
    ),
    "pretrain": (
        transfer.pretrain,
        dict(
            encoder=transfer.make_encoder(R()),
            X=np.ones((4, 3, 16)),
            rng=R(),
            epochs=1,
            batch_size=2,
            eta=0.003,
        ),
    ),
    "make_picker": (
        transfer.make_picker,
        dict(encoder=ENC, head=HEAD, mode="scratch", rng=R()),
    ),
    "SlowPart": (transfer.SlowPart, dict(part=ENC, eta=0.003, ratio=0.1)),
    "train_picker": (
        transfer.train_picker,
        dict(
            net=transfer.make_picker(ENC, HEAD, "finetune"),
            X=np.ones((4, 3, 16)),
            Y=np.full((4, 16), 1 / 16),
            rng=R(),
            steps=2,
            schedule="all",
        ),
    ),
}

# the public names of the new modules; classes are fuzzed through their constructor
# and their forward (layers) or value/grad (GeneratorLoss)
MODULES = {
    conv_module: None,
    spectral_module: None,
    signals: None,
    seismic: None,
    classical: None,
    window: None,
    cnn: None,
    gan: None,
    gan_nets: None,
    gan_metrics: None,
    gan_distances: None,
    uncertainty: None,
    autoencoders: None,
    transfer: None,
}
EXTRA = ("Flatten", "Reshape")  # of core/layers/simple.py, the shape layers
NOT_FUZZED = {
    "WeightLayer": "an abstract base class (Dense and Conv1D are fuzzed)",
    "Traces": "a NamedTuple that make_traces fills",
    "Gathers": "a NamedTuple that make_gathers fills",
    "GANHistory": "a dataclass that train_gan fills",
    "load_encoder": "reads a file: covered by tests/test_save_load.py's broken files",
}

CALLS = _fuzz.calls(CASES)

# NaN propagates here, as README's "Errors and NaN" says
PROPAGATES = {
    (name, arg, bad)
    for name in (
        "Conv1D.forward",
        "MaxPool1D.forward",
        "AvgPool1D.forward",
        "Upsample1D.forward",
        "Flatten.forward",
        "Reshape.forward",
    )
    for arg, bad in (("x", "nan_in"), ("x", "inf_in"))
} | {
    ("pick_sta_lta", "x", "zeros"),  # a dead trace has no pick: NaN
    ("pick_energy_ratio", "x", "zeros"),
    ("GeneratorLoss.value", "s", "nan_in"),  # a loss on logits, inside training
    ("GeneratorLoss.grad", "s", "nan_in"),
    ("GeneratorLoss.grad", "s", "inf_in"),
}
# NumPy's own overflow warning where an inner computation propagates
WARNS = {
    ("GeneratorLoss.value", "s", "inf_in"),  # inf − inf in the loss on logits
    ("mc_dropout_predict", "X", "scaled"),  # the network's activations overflow
}
# errors that name another thing than the argument, which is what went wrong
NAMED_OTHERWISE = {
    ("band_limited_noise", "dt", "huge"): "band",  # the default band is (2, 0.4/dt)
    ("add_noise", "dt", "huge"): "band",
    ("report", "X", "scaled"): "F_x",  # report passes its features on
    ("report", "Y", "scaled"): "F_x",
    ("report", "dt", "huge"): "does not vary",  # every f_dom is 0 Hz
    ("train_gan", "eta_g", "huge"): "lower eta_g",  # TrainingDiverged
    ("train_gan", "eta_d", "huge"): "lower eta_g",
    ("report", "Y", "zeros"): "all zero",  # report's dominant_frequency(Y) names X
    ("pretrain", "X", "scaled"): "scale the inputs",  # fit's TrainingDiverged
    ("train_picker", "Y", "scaled"): "target row",  # not probabilities
    ("train_picker", "Y", "zeros"): "target row",
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
    )


def test_every_public_function_of_the_new_modules_is_fuzzed():
    missing, stale = _fuzz.missing(CASES, MODULES, EXTRA, NOT_FUZZED)
    assert not missing, f"add a valid call to CASES for {missing}"
    assert not stale, f"stale NOT_FUZZED entries {stale}"
