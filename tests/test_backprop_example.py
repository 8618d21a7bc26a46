"""Chapter 3: the lecture's backpropagation example, pinned through geonn.

The 3-2-1 network of Pyrcz's lecture (sigmoid hidden nodes H4, H5, identity
output O6), inputs I = (0.5, 0.2, 0.7), target y = 0.3, L = ½(O6 − y)².
Every hand value the chapter derives is checked three ways: against the
scalar chain rule in the lecture's notation, against geonn's backward pass,
and against central finite differences.  Signs follow ∂L/∂ŷ = ŷ − y, the
definition on the slides (the slides' numbers use y − ŷ; see book/errata.md).
"""

import matplotlib

matplotlib.use("Agg")
import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from geonn import MSE, SGD, Activation, Dense, Momentum, Sequential  # noqa: E402
from geonn.core.gradcheck import gradcheck, numerical_grad, rel_error  # noqa: E402

TOL = 1e-6
I = np.array([[0.5, 0.2, 0.7]])
Y = np.array([[0.3]])
LAM = dict(
    l14=0.06,
    l24=0.24,
    l34=-0.24,
    b4=-0.22,
    l15=0.01,
    l25=0.45,
    l35=0.46,
    b5=-0.03,
    l46=-0.53,
    l56=-0.41,
    b6=-0.2316,
)


def lecture_net():
    p = LAM
    W1 = [[p["l14"], p["l15"]], [p["l24"], p["l25"]], [p["l34"], p["l35"]]]
    return Sequential(
        [
            Dense(3, 2, W=W1, b=[p["b4"], p["b5"]]),
            Activation("sigmoid"),
            Dense(2, 1, W=[[p["l46"]], [p["l56"]]], b=[p["b6"]]),
        ]
    )


def sigmoid(z):
    return 1.0 / (1.0 + np.exp(-z))


def scalar_backprop(p, I1, I2, I3, y):
    """The lecture's derivation, one node at a time, as plain scalars."""
    H4in = p["l14"] * I1 + p["l24"] * I2 + p["l34"] * I3 + p["b4"]
    H5in = p["l15"] * I1 + p["l25"] * I2 + p["l35"] * I3 + p["b5"]
    H4, H5 = sigmoid(H4in), sigmoid(H5in)
    O6 = p["l46"] * H4 + p["l56"] * H5 + p["b6"]
    dO6 = O6 - y  # ∂L/∂O6 for L = ½(O6 − y)²
    dO6in = 1.0 * dO6  # identity output node
    dH4, dH5 = p["l46"] * dO6in, p["l56"] * dO6in
    dH4in, dH5in = (1 - H4) * H4 * dH4, (1 - H5) * H5 * dH5
    dI = [p[f"l{i}4"] * dH4in + p[f"l{i}5"] * dH5in for i in (1, 2, 3)]
    grads = {
        "l46": H4 * dO6in,
        "l56": H5 * dO6in,
        "b6": dO6in,
        "b4": dH4in,
        "b5": dH5in,
    }
    for i, Ii in zip((1, 2, 3), (I1, I2, I3)):
        grads[f"l{i}4"] = Ii * dH4in
        grads[f"l{i}5"] = Ii * dH5in
    nodes = dict(
        H4in=H4in,
        H5in=H5in,
        H4=H4,
        H5=H5,
        O6=O6,
        dO6=dO6,
        dO6in=dO6in,
        dH4=dH4,
        dH5=dH5,
        dH4in=dH4in,
        dH5in=dH5in,
        dI1=dI[0],
        dI2=dI[1],
        dI3=dI[2],
    )
    return nodes, grads


@pytest.fixture
def example():
    return scalar_backprop(LAM, *I[0], Y[0, 0])


def _geonn_grads(net):
    d0, d2 = net[0], net[2]
    g = {
        "l46": d2.dW[0, 0],
        "l56": d2.dW[1, 0],
        "b6": d2.db[0],
        "b4": d0.db[0],
        "b5": d0.db[1],
    }
    for i in range(3):
        g[f"l{i + 1}4"], g[f"l{i + 1}5"] = d0.dW[i, 0], d0.dW[i, 1]
    return g


def _loss_of(name):
    """L as a function of one named parameter, for finite differences."""

    def L(value):
        p = dict(LAM, **{name: value})
        O6 = scalar_backprop(p, *I[0], Y[0, 0])[0]["O6"]
        return 0.5 * (O6 - Y[0, 0]) ** 2

    return L


def _central(f, x, h=1e-6):
    return (f(x + h) - f(x - h)) / (2 * h)


# -- the forward pass -------------------------------------------------------
def test_forward_pass_matches_the_lecture(example):
    n, _ = example
    assert n["H4in"] == pytest.approx(-0.31, abs=1e-12)
    assert n["H5in"] == pytest.approx(0.387, abs=1e-12)
    assert round(n["H4"], 2) == 0.42 and round(n["H5"], 2) == 0.60
    assert n["O6"] == pytest.approx(-0.70, abs=5e-4)  # b6 ≈ −0.2316 restores −0.70
    net = lecture_net()
    out = net.forward(I)
    np.testing.assert_allclose(net[1].a[0], [n["H4"], n["H5"]], rtol=1e-14)
    np.testing.assert_allclose(out[0, 0], n["O6"], rtol=1e-14)


def test_b6_is_implied_by_the_printed_output(example):
    n, _ = example
    b6 = -0.70 - (LAM["l46"] * n["H4"] + LAM["l56"] * n["H5"])
    assert b6 == pytest.approx(-0.2316, abs=5e-5)


# -- each step of the derivation --------------------------------------------
def test_node_derivatives_hand_values(example):
    n, _ = example
    assert n["dO6"] == pytest.approx(-1.0, abs=1e-3)  # O6 − y = −0.70 − 0.30
    assert n["dO6in"] == n["dO6"]  # identity: × 1.0
    assert n["dH4"] == pytest.approx(0.53, abs=1e-3)  # × λ46 = −0.53
    assert n["dH5"] == pytest.approx(0.41, abs=1e-3)
    assert (1 - n["H4"]) * n["H4"] == pytest.approx(0.2441, abs=1e-4)
    assert n["dH4in"] == pytest.approx(0.1294, abs=1e-4)  # +0.13 (slides print −0.13)
    assert n["dH5in"] == pytest.approx(0.0988, abs=1e-4)
    # two paths to I1: via H4 and via H5
    assert n["dI1"] == pytest.approx(0.06 * 0.1294 + 0.01 * 0.0988, abs=1e-5)
    assert n["dI1"] == pytest.approx(0.00875, abs=1e-5)


def test_node_derivatives_match_geonn_layer_by_layer(example):
    n, _ = example
    net = lecture_net()
    out = net.forward(I)
    g_O6 = MSE().grad(out, Y)
    g_H = net[2].backward(g_O6)
    g_Hin = net[1].backward(g_H)
    g_I = net[0].backward(g_Hin)
    np.testing.assert_allclose(g_O6[0, 0], n["dO6"], rtol=1e-14)
    np.testing.assert_allclose(g_H[0], [n["dH4"], n["dH5"]], rtol=1e-14)
    np.testing.assert_allclose(g_Hin[0], [n["dH4in"], n["dH5in"]], rtol=1e-13)
    np.testing.assert_allclose(g_I[0], [n["dI1"], n["dI2"], n["dI3"]], rtol=1e-12)


def test_node_derivatives_match_finite_differences(example):
    n, _ = example
    p, y = LAM, Y[0, 0]
    H4, H5 = n["H4"], n["H5"]

    def L_O6(o):
        return 0.5 * (o - y) ** 2

    def L_H4(h):
        return L_O6(p["l46"] * h + p["l56"] * H5 + p["b6"])

    def L_H4in(z):
        return L_H4(sigmoid(z))

    assert rel_error(n["dO6"], _central(L_O6, n["O6"])) < TOL
    assert rel_error(n["dH4"], _central(L_H4, H4)) < TOL
    assert rel_error(n["dH4in"], _central(L_H4in, n["H4in"])) < TOL
    # ∂L/∂I1 by perturbing the input: both paths are included automatically
    net, X = lecture_net(), I.copy()
    fd = numerical_grad(lambda: MSE().value(net.forward(X), Y), X)
    assert rel_error([n["dI1"], n["dI2"], n["dI3"]], fd[0]) < TOL
    assert abs(n["dI1"] - 0.06 * n["dH4in"]) > 0.1 * abs(
        n["dI1"]
    )  # one path is not enough


# -- weight and bias gradients ------------------------------------------------
HAND = {
    "l46": -0.42,
    "l56": -0.60,
    "b6": -1.00,
    "l14": 0.065,
    "b4": 0.13,
    "l24": 0.026,
    "l34": 0.091,
    "l15": 0.049,
    "l25": 0.020,
    "l35": 0.069,
    "b5": 0.099,
}


def test_weight_and_bias_gradients_hand_values(example):
    _, g = example
    for name, value in HAND.items():
        assert g[name] == pytest.approx(value, abs=6e-3), name
    # the patterns: previous node's output × next node's input derivative; bias = input
    # derivative
    n = example[0]
    assert g["l46"] == n["H4"] * n["dO6in"] and g["l14"] == I[0, 0] * n["dH4in"]
    assert g["b4"] == n["dH4in"] and g["b6"] == n["dO6in"]


def test_weight_and_bias_gradients_match_geonn_and_finite_differences(example):
    _, g = example
    net = lecture_net()
    net.backward(MSE().grad(net.forward(I), Y))
    mine = _geonn_grads(net)
    for name in LAM:
        assert mine[name] == pytest.approx(g[name], rel=1e-12, abs=1e-15), name
        assert rel_error(g[name], _central(_loss_of(name), LAM[name])) < TOL, name
    assert gradcheck(lecture_net(), MSE(), I, Y) < TOL


# -- one step of gradient descent ---------------------------------------------
def test_one_gradient_descent_step_eta_0_1(example):
    _, g = example
    net = lecture_net()
    L0 = MSE().value(net.forward(I), Y)
    net.backward(MSE().grad(net.forward(I), Y))
    SGD(0.1).step(net.params(), net.grads())
    assert net[2].W[0, 0] == pytest.approx(-0.488, abs=5e-4)  # λ46: −0.53 → −0.488
    assert net[0].W[0, 0] == pytest.approx(0.0535, abs=5e-5)  # λ14: 0.06 → 0.0535
    assert net[0].b[0] == pytest.approx(-0.233, abs=5e-4)  # b4: −0.22 → −0.233
    for name, (i, j, layer, attr) in {
        "l46": (0, 0, 2, "W"),
        "l14": (0, 0, 0, "W"),
    }.items():
        assert getattr(net[layer], attr)[i, j] == pytest.approx(
            LAM[name] - 0.1 * g[name], rel=1e-14
        )
    assert MSE().value(net.forward(I), Y) < L0


# -- the errata -----------------------------------------------------------------
def test_slide_numbers_are_the_negative_gradient(example):
    """The slides print +0.42 for ∂L/∂λ46 and −0.13 for ∂L/∂H4in: that is
    y − ŷ = +1.0 propagated back, i.e. −∂L/∂θ, and their update λ + η·(printed)
    is gradient *descent*.  With the true gradient, λ + η·∂L/∂λ climbs."""
    n, g = example
    assert -n["dO6"] == pytest.approx(1.0, abs=1e-3)
    assert -g["l46"] == pytest.approx(0.42, abs=5e-3)
    assert -n["dH4in"] == pytest.approx(-0.13, abs=5e-3)
    L = {}
    for label, sign in (("descent", -1.0), ("slide formula with true gradient", +1.0)):
        p = {k: v + sign * 0.1 * g[k] for k, v in LAM.items()}
        O6 = scalar_backprop(p, *I[0], Y[0, 0])[0]["O6"]
        L[label] = 0.5 * (O6 - Y[0, 0]) ** 2
    L0 = 0.5 * (n["O6"] - Y[0, 0]) ** 2
    assert L["descent"] < L0 < L["slide formula with true gradient"]


def test_lambda14_and_b4_errata(example):
    _, g = example
    fd14 = _central(_loss_of("l14"), LAM["l14"])
    assert fd14 == pytest.approx(
        +0.0647, abs=1e-4
    )  # printed as +0.065 next to 0.5 × (−0.13)
    assert 0.5 * -0.13 == pytest.approx(-0.065)  # the slide's own product
    fd_b4 = _central(_loss_of("b4"), LAM["b4"])
    assert fd_b4 == pytest.approx(
        0.1294, abs=1e-4
    )  # = ∂L/∂H4in; neither −0.13 nor −0.32
    assert abs(abs(fd_b4) - 0.32) > 0.15


def test_momentum_needs_the_parameter_on_the_right_hand_side(example):
    _, g = example
    eta, alpha = 0.1, 0.9
    net = lecture_net()
    net.backward(MSE().grad(net.forward(I), Y))
    Momentum(eta, alpha=alpha).step(net.params(), net.grads())
    # v1 = (1 − α) g, λ1 = λ0 − η v1
    assert net[0].W[0, 0] == pytest.approx(
        LAM["l14"] - eta * (1 - alpha) * g["l14"], rel=1e-14
    )
    as_printed = eta * (
        alpha * 0.0 + (1 - alpha) * g["l14"]
    )  # λ = η[α g_prev + (1 − α) g]
    assert abs(as_printed - LAM["l14"]) > 0.05  # the weight would be wiped out


# -- the dashboard and its figure -------------------------------------------------
def test_draw_network_with_gradients_is_backwards_compatible():
    from geonn.studies import plotting

    net = lecture_net()
    net.backward(MSE().grad(net.forward(I), Y))
    plain = plotting.draw_network(net, show_weights=True)
    n_plain = len(plain.texts)
    ax = plotting.draw_network(
        net,
        show_weights=True,
        edge_grads=[net[0].dW, net[2].dW],
        node_grads=[np.zeros(3), net[0].db, net[2].db],
    )
    texts = [t.get_text() for t in ax.texts]
    assert len(texts) == n_plain + 8 + 6  # 8 edge gradients, 6 node δ
    assert "-0.423" in texts and "δ=+0.129" in texts and "δ=-1.000" in texts
    plt.close("all")


def test_trace_training_records_gradient_descent():
    from geonn.studies.widgets import trace_training

    net = lecture_net()
    trace = trace_training(net, I, Y, eta=0.1, epochs=5)
    assert (
        trace["sizes"] == [3, 2, 1]
        and len(trace["loss"]) == 6
        and not trace["diverged"]
    )
    assert [a.shape for a in trace["W"]] == [(6, 3, 2), (6, 2, 1)]
    assert [a.shape for a in trace["values"]] == [(6, 3), (6, 2), (6, 1)]
    # epoch 0 is the worked example; epoch 1 is one step of η = 0.1
    assert trace["loss"][0] == pytest.approx(0.5, abs=1e-3)
    assert trace["dW"][1][0, 0, 0] == pytest.approx(-0.4231, abs=1e-4)
    assert trace["delta"][1][0, 0] == pytest.approx(0.1294, abs=1e-4)
    assert trace["delta"][0][0, 0] == pytest.approx(0.00875, abs=1e-5)
    assert trace["W"][1][1, 0, 0] == pytest.approx(-0.488, abs=5e-4)
    assert trace["W"][0][1, 0, 0] == pytest.approx(0.0535, abs=5e-5)
    np.testing.assert_allclose(trace["values"][1][0], [0.4231, 0.5956], atol=1e-4)
    assert np.all(np.diff(trace["loss"]) < 0)
    for W, dW in zip(trace["W"], trace["dW"]):
        np.testing.assert_allclose(
            W[1:], W[:-1] - 0.1 * dW[:-1], rtol=1e-12, atol=1e-15
        )


def test_trace_gradients_match_finite_differences_on_a_batch():
    from geonn.studies.widgets import backprop_trace

    rng = np.random.default_rng(5)
    X, y = rng.normal(size=(6, 3)), rng.normal(size=(6, 1))
    trace = backprop_trace(seed=2, eta=0.3, X=X, y=y, epochs=3)
    ell = 2
    net = Sequential(
        [
            Dense(3, 2, W=trace["W"][0][ell], b=trace["b"][0][ell]),
            Activation("sigmoid"),
            Dense(2, 1, W=trace["W"][1][ell], b=trace["b"][1][ell]),
        ]
    )
    L = lambda: MSE().value(net.forward(X), y)  # noqa: E731
    assert rel_error(trace["dW"][0][ell], numerical_grad(L, net[0].W)) < TOL
    assert rel_error(trace["db"][1][ell], numerical_grad(L, net[2].b)) < TOL
    X_copy = X.copy()
    fd_X = numerical_grad(lambda: MSE().value(net.forward(X_copy), y), X_copy)
    assert rel_error(trace["delta"][0][ell], fd_X.sum(axis=0)) < TOL


def test_trace_stops_at_divergence_and_rejects_bad_input():
    from geonn.studies import plotting
    from geonn.studies.widgets import backprop_trace

    trace = backprop_trace(seed=3, eta=50.0, epochs=100)  # far too large a step
    assert (
        trace["diverged"]
        and len(trace["loss"]) < 101
        and np.all(np.isfinite(trace["loss"]))
    )
    ax_net, _ = plotting.plot_backprop(trace, epoch=100)
    assert "diverged" in ax_net.get_title()
    plt.close("all")
    with pytest.raises(ValueError, match="do not fit"):
        backprop_trace(X=np.ones((2, 4)))
    with pytest.raises(ValueError, match="epochs"):
        backprop_trace(epochs=-1)


def test_plot_backprop_checkboxes_change_what_is_drawn():
    from geonn.studies import plotting
    from geonn.studies.widgets import backprop_trace

    trace = backprop_trace(seed=3, eta=0.1, epochs=10)
    ax_net, ax_loss = plotting.plot_backprop(trace, epoch=4)
    everything = [t.get_text() for t in ax_net.texts]
    assert ax_net.get_title().startswith("epoch 4: loss")
    assert any(t.startswith("δ=") for t in everything) and any(
        t.startswith("b=") for t in everything
    )
    assert (
        ax_loss.get_xlabel() == "epoch ℓ" and ax_loss.get_title() == "η = 0.1, seed 3"
    )
    assert ax_loss.get_lines()[1].get_xdata()[0] == 4  # the current epoch is marked
    ax_net, _ = plotting.plot_backprop(
        trace, epoch=4, show_weights=False, show_values=False, show_grads=False
    )
    labels = {t.get_text() for t in ax_net.texts}
    assert {"I1", "I2", "I3", "H4", "H5", "O6"} <= labels
    assert not any(t.startswith(("δ=", "b=")) for t in labels)
    plt.close("all")


def test_backprop_dashboard_sliders_update_the_figure_and_cache():
    from geonn.studies.widgets import backprop_dashboard

    d = backprop_dashboard(epochs=20)
    c = d.controls
    assert (c["epoch"].min, c["epoch"].max, c["seed"].value) == (0, 20, 3)
    assert 10 ** c["eta"].min == pytest.approx(0.01) and 10 ** c[
        "eta"
    ].max == pytest.approx(1.0)
    assert d.figure.axes[0].get_title().startswith("epoch 0")
    first = d.trace()
    c["epoch"].value = 7
    assert d.figure.axes[0].get_title().startswith("epoch 7")
    assert d.trace() is first and len(d.cache) == 1  # the epoch slider only redraws
    c["eta"].value = 1.0
    c["seed"].value = 4
    assert (
        len(d.cache) == 3
        and d.trace()["seed"] == 4
        and d.trace()["eta"] == pytest.approx(1.0)
    )
    assert d.figure.axes[1].get_title() == "η = 1, seed 4"
    c["gradients"].value = False
    assert not any(t.get_text().startswith("δ=") for t in d.figure.axes[0].texts)
    c["seed"].value, c["eta"].value = 3, 0.1
    assert len(d.cache) == 3 and d.trace() is first  # cached, not retrained
    assert len(plt.get_fignums()) <= 1  # old figures are closed
    plt.close("all")
