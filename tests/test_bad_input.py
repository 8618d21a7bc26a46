"""Bad input gets a ValueError/TypeError that names the problem: one test each."""
import numpy as np
import pytest

from geonn import SGD, MSE, Activation, Adam, Dense, Momentum, Sequential, TrainingDiverged, fit


@pytest.fixture
def rng():
    return np.random.default_rng(0)


@pytest.fixture
def net(rng):
    return Sequential([Dense(1, 3, rng=rng), Activation("relu"), Dense(3, 1, rng=rng)])


def _fit(net, rng, X, y, **kw):
    args = dict(epochs=2, batch_size=4, rng=rng, progress=False)
    args.update(kw)
    return fit(net, MSE(), args.pop("opt", Adam(0.01)), X, y, **args)


def test_wrong_number_of_features(net, rng):
    with pytest.raises(ValueError, match=r"X has 3 features but Dense\(1→3\) expects 1"):
        _fit(net, rng, np.zeros((8, 3)), np.zeros((8, 1)))


def test_rows_of_X_and_y_differ(net, rng):
    with pytest.raises(ValueError, match="X has 10 rows but y has 9"):
        _fit(net, rng, np.zeros((10, 1)), np.zeros((9, 1)))


@pytest.mark.parametrize("where", ["X", "y"])
@pytest.mark.parametrize("bad", [np.nan, np.inf])
def test_nan_or_inf_in_the_data(net, rng, where, bad):
    X, y = np.zeros((8, 1)), np.zeros((8, 1))
    (X if where == "X" else y)[5, 0] = bad
    with pytest.raises(ValueError, match=rf"{where} contains 1 NaN or inf value\(s\), the first at row 5"):
        _fit(net, rng, X, y)


@pytest.mark.parametrize("eta", [0.0, -0.1, np.nan])
@pytest.mark.parametrize("Opt", [SGD, Momentum, Adam])
def test_non_positive_learning_rate(Opt, eta):
    with pytest.raises(ValueError, match="learning rate eta must be positive"):
        Opt(eta)


def test_unknown_activation_name():
    with pytest.raises(ValueError, match="unknown activation 'sigmod'; choose one of .*sigmoid"):
        Activation("sigmod")


@pytest.mark.parametrize("batch_size,error",
                         [(0, ValueError), (-5, ValueError), (2.5, TypeError)])
def test_non_positive_batch_size(net, rng, batch_size, error):
    with pytest.raises(error, match="batch_size must be a positive integer"):
        _fit(net, rng, np.zeros((8, 1)), np.zeros((8, 1)), batch_size=batch_size)


def test_loading_weights_into_another_shape(tmp_path, net, rng):
    path = tmp_path / "w.npz"
    net.save(path)
    wider = Sequential([Dense(1, 5, rng=rng), Activation("relu"), Dense(5, 1, rng=rng)])
    with pytest.raises(ValueError, match=r"has 0.W of shape \(1, 3\) but this network has \(1, 5\)"):
        wider.load(path)
    deeper = Sequential([Dense(1, 3, rng=rng), Activation("relu"), Dense(3, 3, rng=rng),
                         Activation("relu"), Dense(3, 1, rng=rng)])
    with pytest.raises(ValueError, match=r"missing \['4.W', '4.b'\]"):
        deeper.load(path)


def test_one_dimensional_arrays_are_refused_with_a_hint(net, rng):
    with pytest.raises(ValueError, match=r"X must be 2-D .*\.reshape\(-1, 1\)"):
        _fit(net, rng, np.zeros(8), np.zeros((8, 1)))


def test_missing_rng_is_a_type_error(net):
    with pytest.raises(TypeError, match="default_rng"):
        fit(net, MSE(), Adam(0.01), np.zeros((8, 1)), np.zeros((8, 1)), 1, 4, rng=0)


def test_divergence_raises_with_epoch_and_hint(rng):
    X = np.linspace(-1, 1, 32).reshape(-1, 1)
    net = Sequential([Dense(1, 8, rng=rng), Activation("relu"), Dense(8, 1, rng=rng)])
    with pytest.raises(TrainingDiverged, match=r"loss became (nan|inf) at epoch \d+.*lower the learning rate"):
        _fit(net, rng, X, 3 * X, opt=SGD(50.0), epochs=50)


def test_validation_rows_differ(net, rng):
    with pytest.raises(ValueError, match="X_val has 4 rows but y_val has 3"):
        _fit(net, rng, np.zeros((8, 1)), np.zeros((8, 1)), val=(np.zeros((4, 1)), np.zeros((3, 1))))


def test_dense_alone_refuses_one_dimensional_input(rng):
    with pytest.raises(ValueError, match=r"needs 2-D input \(n, 3\); got shape \(3,\)"):
        Dense(3, 2, rng=rng).forward(np.zeros(3))
