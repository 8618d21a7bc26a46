"""Bad input on the convolution, seismic, picking, GAN and uncertainty APIs: each case
found silent or unclear by a fuzz of these modules now raises an error that names the
argument and what was expected (one row each in ERRORS), or behaves as documented
(the tests after the table). The fuzz itself, over every public function, is
tests/test_fuzz_new_modules.py."""

import zipfile

import numpy as np
import pytest

from geonn import Dense, Sequential
from geonn.core.layers import (
    AvgPool1D,
    Conv1D,
    Flatten,
    MaxPool1D,
    Reshape,
    Upsample1D,
    spectral_norm,
)
from geonn.domain.datasets.seismic import add_noise, make_traces, ricker, snr_db
from geonn.domain.picking import (
    calibrate,
    cnn_pick,
    cnn_picker,
    gaussian_labels,
    pick_energy_ratio,
    picker_inputs,
)
from geonn.studies.autoencoders import conv_denoiser, dense_autoencoder
from geonn.studies.gan import GeneratorLoss, train_gan
from geonn.studies.gan_metrics import (
    dominant_frequency,
    frechet_distance,
    gaussian_baseline,
    one_nn_accuracy,
    rms_amplitude,
    spectrum_error,
)
from geonn.studies.gan_nets import trace_discriminator, trace_generator
from geonn.studies.transfer import make_encoder, make_head, make_picker, train_picker
from geonn.studies.uncertainty import coverage, ensemble_predict

DT = 0.002


def R(seed=0):
    return np.random.default_rng(seed)


def _x(shape=(2, 1, 8)):
    return R().normal(size=shape)


def _pooled(layer, shape=(2, 1, 8)):
    layer.forward(_x(shape))
    return layer


def _nan(a, where=0):
    a = np.array(a, dtype=float)
    a.flat[where] = np.nan
    return a


def _gan(nt_d=16):
    """G for 16-sample traces and D for ``nt_d``-sample ones."""
    return (
        trace_generator(2, 16, R(), channels=2, kernel_size=3),
        trace_discriminator(nt_d, R(), channels=(2, 2), kernel_size=3),
    )


def _train_gan(X, **kw):
    G, D = _gan(np.shape(X)[-1] if np.ndim(X) == 2 else 16)
    args = dict(steps=2, latent_dim=2, rng=R(), batch_size=4)
    return train_gan(G, D, X, **{**args, **kw})


def _picker(nt=128):
    return cnn_picker(nt, R(), channels=(2, 2), kernel_size=3)


def _transfer_picker():
    return make_picker(make_encoder(R(), channels=(2, 3)), _head(), "finetune")


def _head():
    return make_head(R(), channels=(3, 2, 1), kernel_size=3)


def _zeroed_in_training():
    layer = spectral_norm(Dense(3, 2, rng=R()), rng=R())
    layer.W[...] = 0.0
    return layer


# (what the issue found, the call, the exception, a regex of its message)
ERRORS = [
    # -- silent: convolution layers
    (
        "Conv1D takes a (2, 2) bias for 4 channels",
        lambda: Conv1D(1, 4, 3, rng=R(), b=np.zeros((2, 2))),
        ValueError,
        r"Conv1D b has shape \(2, 2\); expected \(4,\), one bias per output channel",
    ),
    (
        "Conv1D.forward drops the imaginary part",
        lambda: Conv1D(1, 2, 3, rng=R()).forward(_x().astype(complex)),
        TypeError,
        r"the input of Conv1D\(1→2, k=3, same\) must be numeric; got dtype complex",
    ),
    (
        "MaxPool1D passes complex through",
        lambda: MaxPool1D(2).forward(_x().astype(complex)),
        TypeError,
        r"input of MaxPool1D\(2\) must be numeric; got dtype complex128",
    ),
    (
        "AvgPool1D passes complex through",
        lambda: AvgPool1D(2).forward(_x().astype(complex)),
        TypeError,
        r"input of AvgPool1D\(2\) must be numeric",
    ),
    (
        "Upsample1D passes complex through",
        lambda: Upsample1D(2).forward(_x().astype(complex)),
        TypeError,
        r"input of Upsample1D\(2\) must be numeric",
    ),
    (
        "Reshape passes complex through",
        lambda: Reshape((2, 4)).forward(np.ones((2, 8), complex)),
        TypeError,
        r"input of Reshape\(\(2, 4\)\) must be numeric",
    ),
    (
        "MaxPool1D.forward returns strings",
        lambda: MaxPool1D(2).forward(np.full((2, 1, 8), "a")),
        TypeError,
        r"input of MaxPool1D\(2\) must be numeric; got dtype <U1",
    ),
    (
        "MaxPool1D.backward broadcasts a gradient of batch 1 for batch 2",
        lambda: _pooled(MaxPool1D(2)).backward(np.ones((1, 1, 4))),
        ValueError,
        r"grad_out of MaxPool1D\(2\) must have the shape of its last output, "
        r"\(2, 1, 4\); got \(1, 1, 4\)",
    ),
    (
        "MaxPool1D.backward broadcasts a 1-D gradient",
        lambda: _pooled(MaxPool1D(2)).backward(np.ones(4)),
        ValueError,
        r"grad_out of MaxPool1D\(2\) .*\(2, 1, 4\); got \(4,\)",
    ),
    (
        "AvgPool1D.backward returns batch 3 for 2",
        lambda: _pooled(AvgPool1D(2)).backward(np.ones((3, 1, 4))),
        ValueError,
        r"grad_out of AvgPool1D\(2\) .*\(2, 1, 4\); got \(3, 1, 4\)",
    ),
    (
        "spectral_norm on an all-zero weight: NaN output and u",
        lambda: spectral_norm(Dense(3, 2, W=np.zeros((3, 2))), rng=R()),
        ValueError,
        r"spectral_norm divides Dense\(3→2\)'s W by its largest singular value, "
        r"which is 0 for this all-zero W",
    ),
    (
        "a spectral-norm weight set to zero after the fact, in training",
        lambda: _zeroed_in_training().forward(np.ones((1, 3)), train=True),
        ValueError,
        r"σ = 0: the weight is all zero",
    ),
    # -- silent: signals and traces
    (
        "make_traces(sigma_log_z=500) gives NaN traces",
        lambda: make_traces(2, R(), sigma_log_z=500),
        ValueError,
        r"sigma_log_z must be ≤ 1; got 500",
    ),
    (
        "ricker of a 2-D array of frequencies is flattened",
        lambda: ricker([[20, 30], [30, 40]]),
        ValueError,
        r"f_peak must be one frequency or a 1-D array of them \(Hz\); got shape "
        r"\(2, 2\)",
    ),
    ("ricker('30')", lambda: ricker("30"), TypeError, r"f_peak must be numeric"),
    ("ricker([])", lambda: ricker([]), ValueError, r"f_peak must be one frequency"),
    (
        "add_noise(snr_db='10')",
        lambda: add_noise(_x((2, 64)), "10", R()),
        TypeError,
        r"snr_db must be numeric; got dtype <U2",
    ),
    (
        "snr_db(zeros, zeros) is NaN",
        lambda: snr_db(np.zeros((2, 8)), np.zeros((2, 8))),
        ValueError,
        r"2 trace\(s\) of clean are all zero: an SNR needs signal",
    ),
    (
        "snr_db of a zero-signal trace is -inf",
        lambda: snr_db(np.r_[[np.zeros(8)], [np.ones(8)]], np.ones((2, 8))),
        ValueError,
        r"1 trace\(s\) of clean are all zero",
    ),
    (
        "snr_db propagates NaN",
        lambda: snr_db(_nan(np.ones((2, 8)), 3), np.ones((2, 8))),
        ValueError,
        r"clean contains 1 NaN or inf value\(s\), the first at index \(0, 3\)",
    ),
    # -- silent: picking
    (
        "picker_inputs with an infinite offset gives NaN",
        lambda: picker_inputs(_x((1, 2, 16)), [10.0, np.inf]),
        ValueError,
        r"picker_inputs: offset contains 1 NaN or inf value\(s\), the first at "
        r"index \(1,\)",
    ),
    (
        "gaussian_labels with NaN times gives NaN labels",
        lambda: gaussian_labels([0.01], _nan(np.arange(16) * DT, 5), 0.003),
        ValueError,
        r"^t contains 1 NaN or inf value\(s\)",
    ),
    (
        "gaussian_labels with a NaN first break",
        lambda: gaussian_labels([np.nan], np.arange(16) * DT, 0.003),
        ValueError,
        r"^first_break contains 1 NaN",
    ),
    (
        "train_picker(steps=0) trains one step",
        lambda: train_picker(
            _transfer_picker(), np.ones((4, 3, 16)), np.full((4, 16), 1 / 16), R(), 0
        ),
        ValueError,
        r"train_picker steps must be a positive integer; got 0",
    ),
    (
        "train_picker(steps=-5) trains one step",
        lambda: train_picker(
            _transfer_picker(), np.ones((4, 3, 16)), np.full((4, 16), 1 / 16), R(), -5
        ),
        ValueError,
        r"train_picker steps must be a positive integer; got -5",
    ),
    # -- silent: autoencoders
    (
        "conv_denoiser(4, 3, 2).forward on 30 samples returns 28",
        lambda: conv_denoiser(4, 3, 2, rng=R()).forward(np.ones((1, 1, 30))),
        ValueError,
        r"conv_denoiser: the traces must have a length divisible by 2\*\*levels = 4; "
        r"got 30 samples",
    ),
    # -- silent: GAN
    (
        "GeneratorLoss.value drops the imaginary part",
        lambda: GeneratorLoss().value(np.ones((4, 1), complex)),
        TypeError,
        r"GeneratorLoss: the logits s must be real numbers; got dtype complex128",
    ),
    (
        "GeneratorLoss.grad takes a (4, 3) input",
        lambda: GeneratorLoss().grad(np.ones((4, 3))),
        ValueError,
        r"GeneratorLoss expects logits s of shape \(n, 1\) with n ≥ 1, one per fake; "
        r"got \(4, 3\)",
    ),
    (
        "train_gan(record_every=-1) records every step",
        lambda: _train_gan(_x((8, 16)), record_every=-1, record=lambda G, D, s: s),
        ValueError,
        r"train_gan record_every must be a non-negative integer; got -1",
    ),
    (
        "train_gan on data of 1e200 trains without complaint",
        lambda: _train_gan(1e200 * _x((8, 16))),
        ValueError,
        r"train_gan X holds values up to .*e\+200: G starts with outputs of order 1 "
        r".*standardise X",
    ),
    # -- silent: sample-quality measures and uncertainty
    (
        "spectrum_error of all-zero data is inf",
        lambda: spectrum_error(np.zeros((4, 16)), _x((4, 16)), DT),
        ValueError,
        r"spectrum_error: the real traces X are all zero",
    ),
    (
        "dominant_frequency of zero traces is 0 Hz",
        lambda: dominant_frequency(np.r_[_x((1, 16)), np.zeros((2, 16))], DT),
        ValueError,
        r"dominant_frequency: trace\(s\) \[1, 2\] of X are all zero",
    ),
    (
        "coverage([], [], []) is NaN",
        lambda: coverage([], [], []),
        ValueError,
        r"y, mean and std are empty",
    ),
    (
        "rms_amplitude propagates NaN",
        lambda: rms_amplitude(_nan(np.ones((2, 8)), 9)),
        ValueError,
        r"rms_amplitude X contains 1 NaN or inf value\(s\), the first at index "
        r"\(1, 1\)",
    ),
    (
        "ensemble_predict propagates NaN",
        lambda: ensemble_predict(
            [Sequential([Dense(2, 1, rng=R(i))]) for i in range(2)],
            _nan(np.ones((3, 2)), 4),
        ),
        ValueError,
        r"ensemble_predict X contains 1 NaN or inf value\(s\), the first at index "
        r"\(2, 0\)",
    ),
    # -- unclear: GAN
    (
        "train_gan with NaN in X says to lower the learning rates",
        lambda: _train_gan(_nan(_x((8, 16)), 17)),
        ValueError,
        r"train_gan X contains 1 NaN or inf value\(s\), the first at index \(1, 1\)",
    ),
    (
        "train_gan with 20-sample X for a 16-sample D: a concatenate error",
        lambda: train_gan(*_gan(), _x((8, 20)), steps=1, latent_dim=2, rng=R()),
        ValueError,
        r"train_gan: G makes samples of shape \(16,\) but the rows of X have shape "
        r"\(20,\)",
    ),
    (
        "train_gan with empty X: 'high <= 0'",
        lambda: _train_gan(np.zeros((0, 16))),
        ValueError,
        r"train_gan X must hold at least 1 sample\(s\) along its first axis; got "
        r"shape \(0, 16\)",
    ),
    # -- unclear: uncertainty and measures
    (
        "ensemble_predict(net) with one net: 'Dense' has no attribute 'predict'",
        lambda: ensemble_predict(Sequential([Dense(2, 1, rng=R())]), np.ones((3, 2))),
        TypeError,
        r"ensemble_predict needs nets as a list of networks, e.g. \[net_1, net_2, "
        r"\.\.\.\]; got one Sequential",
    ),
    (
        "ensemble_predict of a list of layers",
        lambda: ensemble_predict(
            [Dense(2, 1, rng=R()), Dense(2, 1, rng=R())], [[1, 2]]
        ),
        TypeError,
        r"ensemble_predict needs a list of networks \(Sequential\); nets\[0\] is a "
        r"Dense",
    ),
    (
        "gaussian_baseline with one row: LinAlgError",
        lambda: gaussian_baseline(np.ones((1, 3)), 5, R()),
        ValueError,
        r"gaussian_baseline X must hold at least 2 sample\(s\)",
    ),
    (
        "gaussian_baseline with NaN: LinAlgError",
        lambda: gaussian_baseline(_nan(_x((5, 3)), 4), 5, R()),
        ValueError,
        r"gaussian_baseline X contains 1 NaN or inf value\(s\)",
    ),
    (
        "spectral_norm(Dense(3, 2, W=zeros)): ZeroDivisionError",
        lambda: spectral_norm(Dense(3, 2, W=np.zeros((3, 2))), rng=R()).forward(
            np.ones((1, 3))
        ),
        ValueError,
        r"all-zero W",
    ),
    # -- unclear: an int for a tuple of sizes, refused alike by all three
    (
        "dense_autoencoder(hidden=128): 'int' object is not iterable",
        lambda: dense_autoencoder(256, 8, hidden=128, rng=R()),
        TypeError,
        r"hidden \(the hidden layer sizes\) must be a tuple of sizes, e\.g\. \(128,\) "
        r"for one; got the integer 128",
    ),
    (
        "cnn_picker(channels=8)",
        lambda: cnn_picker(128, R(), channels=8),
        TypeError,
        r"cnn_picker channels must be a tuple of sizes, e\.g\. \(8,\) for one; got "
        r"the integer 8",
    ),
    (
        "make_encoder(channels=8)",
        lambda: make_encoder(R(), channels=8),
        TypeError,
        r"make_encoder channels must be a tuple of sizes, e\.g\. \(8,\) for one; got "
        r"the integer 8",
    ),
    # -- unclear: picking
    (
        "cnn_pick on 32-sample traces for a 128-sample picker",
        lambda: cnn_pick(_picker(128), np.ones((3, 1, 32)), DT),
        ValueError,
        r"cnn_pick: x has traces of 32 samples but the picker was built for traces "
        r"of nt = 128 samples",
    ),
    (
        "cnn_pick with 2 channels for a 1-channel picker",
        lambda: cnn_pick(_picker(16), np.ones((3, 2, 16)), DT),
        ValueError,
        r"cnn_pick: x has 2 channel\(s\) but the picker was built for 1 "
        r"\(in_channels\)",
    ),
    (
        "calibrate(picker, [0.01, 0.02], ...): 'Value after * must be an iterable'",
        lambda: calibrate(
            lambda x, w: pick_energy_ratio(x, DT, w),
            [0.01, 0.02],
            _x((3, 64)),
            np.full(3, 0.05),
        ),
        TypeError,
        r"calibrate: each setting in settings is a tuple of the picker's arguments "
        r"after x, e\.g\. \(0\.01,\) for one; got float",
    ),
    (
        "train_picker with empty X: ZeroDivisionError",
        lambda: train_picker(
            _transfer_picker(), np.ones((0, 3, 16)), np.ones((0, 16)), R()
        ),
        ValueError,
        r"train_picker: X must hold at least 1 sample\(s\) along its first axis; got "
        r"shape \(0, 3, 16\)",
    ),
    (
        "cnn_pick with empty x: 'need at least one array to concatenate'",
        lambda: cnn_pick(_picker(16), np.ones((0, 1, 16)), DT),
        ValueError,
        r"cnn_pick: x must hold at least 1 sample\(s\) along its first axis",
    ),
    # -- unclear: backward before forward (Conv1D already said so)
    (
        "MaxPool1D.backward before forward: AttributeError",
        lambda: MaxPool1D(2).backward(np.ones((2, 1, 4))),
        RuntimeError,
        r"MaxPool1D\.backward called before forward",
    ),
    (
        "AvgPool1D.backward before forward: AttributeError",
        lambda: AvgPool1D(2).backward(np.ones((2, 1, 4))),
        RuntimeError,
        r"AvgPool1D\.backward called before forward",
    ),
    (
        "Flatten.backward before forward: AttributeError",
        lambda: Flatten().backward(np.ones((2, 4))),
        RuntimeError,
        r"Flatten\.backward called before forward",
    ),
    (
        "Conv1D.backward before forward, as before",
        lambda: Conv1D(1, 2, 3, rng=R()).backward(np.ones((2, 2, 8))),
        RuntimeError,
        r"Conv1D\.backward called before forward",
    ),
]


@pytest.mark.parametrize(
    "call, error, match", [row[1:] for row in ERRORS], ids=[row[0] for row in ERRORS]
)
def test_bad_input_gets_an_error_naming_the_argument(call, error, match):
    with pytest.raises(error, match=match):
        call()


# -- behaves as documented -----------------------------------------------------------
def test_flatten_of_an_empty_batch_is_an_empty_batch():
    layer = Flatten()
    out = layer.forward(np.zeros((0, 3, 4)))
    assert out.shape == (0, 12)
    assert layer.backward(np.zeros((0, 12))).shape == (0, 3, 4)
    net = Sequential([Flatten(), Dense(12, 2, rng=R())])
    assert net.forward(np.zeros((0, 3, 4))).shape == (0, 2)


def test_frechet_distance_of_a_set_with_itself_is_zero_not_negative():
    X = R().normal(size=(200, 6)) @ R(1).normal(size=(6, 6))
    assert frechet_distance(X, X) == 0.0
    assert frechet_distance(X, X + 1.0) == pytest.approx(6.0)


def test_one_nn_accuracy_and_spectrum_error_do_not_depend_on_the_scale():
    X, Y = R().normal(size=(30, 16)), R(1).normal(size=(30, 16))
    for scale in (1e200, 1e-200):
        # copies: each sample's nearest neighbour is its twin, of the other label
        assert one_nn_accuracy(scale * X, scale * X.copy()) == 0.0
        assert one_nn_accuracy(scale * X, scale * Y) == one_nn_accuracy(X, Y)
        assert spectrum_error(scale * X, scale * Y, DT) == pytest.approx(
            spectrum_error(X, Y, DT), rel=1e-12
        )
    np.testing.assert_allclose(rms_amplitude(1e200 * X), 1e200 * rms_amplitude(X))


def test_snr_db_is_the_same_at_any_scale_and_inf_without_noise():
    clean, noisy = R().normal(size=(2, 64)), R(1).normal(size=(2, 64))
    np.testing.assert_allclose(
        snr_db(1e200 * clean, 1e200 * noisy), snr_db(clean, noisy), rtol=1e-12
    )
    with np.errstate(divide="raise"):
        assert np.all(snr_db(clean, clean) == np.inf)


def test_spectral_norm_keeps_u_when_it_refuses_a_zero_weight():
    layer = _zeroed_in_training()
    u = layer.reparam.u.copy()
    with pytest.raises(ValueError, match="σ = 0"):
        layer.forward(np.ones((1, 3)), train=True)
    np.testing.assert_array_equal(layer.reparam.u, u)


def test_gaussian_baseline_of_one_column_is_a_one_dimensional_gaussian():
    X = 3.0 + 2.0 * R().normal(size=(4000, 1))
    B = gaussian_baseline(X, 4000, R(1))
    assert B.shape == (4000, 1)
    assert B.mean() == pytest.approx(3.0, abs=0.15) and B.std() == pytest.approx(
        2.0, abs=0.1
    )


@pytest.mark.parametrize(
    "layer, shape",
    [
        (Conv1D(1, 2, 3, rng=R()), (2, 1, 8)),
        (MaxPool1D(2), (2, 1, 8)),
        (AvgPool1D(2), (2, 1, 8)),
        (Upsample1D(2), (2, 1, 8)),
        (Flatten(), (2, 1, 8)),
        (
            Sequential([Conv1D(1, 2, 3, rng=R()), Conv1D(2, 1, 3, rng=R())]),
            (2, 1, 8),
        ),
    ],
    ids=repr,
)
def test_layers_propagate_nan_as_numpy_does(layer, shape):
    """Inner layers do not look for NaN (their input is an activation, not data):
    a NaN in one trace gives NaN in that trace's output only."""
    x = np.ones(shape)
    x[1, 0, 3] = np.nan
    out = layer.forward(x)
    assert np.isnan(out[1]).any() and np.all(np.isfinite(out[0]))


def test_generator_loss_propagates_nan_like_the_losses():
    assert np.isnan(GeneratorLoss().value(np.array([[np.nan], [0.0]])))


def test_sizes_refuse_an_int_in_every_builder_alike():
    for call in (
        lambda: dense_autoencoder(256, 4, hidden=8, rng=R()),
        lambda: cnn_picker(128, R(), channels=8),
        lambda: make_encoder(R(), channels=8),
        lambda: make_head(R(), channels=8),
        lambda: Reshape(8),
    ):
        with pytest.raises(TypeError, match=r"must be a tuple of sizes, e\.g\. \(8"):
            call()
    # a one-element tuple is what to write instead
    assert len(dense_autoencoder(256, 8, hidden=(128,), rng=R())[0]) == 3


# -- Sequential.load -------------------------------------------------------------
def test_load_of_a_zip_whose_members_are_not_npy(tmp_path):
    net = Sequential([Dense(2, 1, rng=R())])
    path = tmp_path / "weights.npz"
    with zipfile.ZipFile(path, "w") as z:
        z.writestr("0.W", b"not an array")
        z.writestr("0.b", b"nor this")
    before = net[0].W.copy()
    with pytest.raises(
        ValueError,
        match=r"cannot load weights from '.*weights\.npz': its members \['0\.W', "
        r"'0\.b'\] are not NumPy arrays \(\.npy\)",
    ):
        net.load(path)
    np.testing.assert_array_equal(net[0].W, before)


def test_load_casts_a_float64_file_into_a_float32_network(tmp_path):
    wide = Sequential([Dense(2, 1, rng=R())])
    wide.save(tmp_path / "w")
    narrow = Sequential([Dense(2, 1, rng=R(1), dtype=np.float32)]).load(tmp_path / "w")
    assert narrow[0].W.dtype == np.float32
    np.testing.assert_array_equal(narrow[0].W, wide[0].W.astype(np.float32))
    assert "float32" in Sequential.load.__doc__
