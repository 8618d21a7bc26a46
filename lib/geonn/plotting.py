"""Figures shared by the chapters: network diagrams, loss curves, activations.

Every function takes an optional ``ax`` and returns it, and new figures use
the fixed sizes below, so the book's figures look alike.
"""
import matplotlib.pyplot as plt
import numpy as np

from . import activations
from .layers import Dense

__all__ = ["FIGSIZE", "WIDE", "draw_network", "plot_loss", "plot_activation",
           "plot_activation_panels", "network_weights"]

FIGSIZE = (6.0, 4.0)
WIDE = (10.0, 4.0)
_NODE = {"input": "#9ecae1", "hidden": "#fdd49e", "output": "#a1d99b"}
_GRAD = "#762a83"  # gradients (purple), apart from the red/blue of the weights


def _ax(ax, figsize=FIGSIZE):
    if ax is None:
        _, ax = plt.subplots(figsize=figsize, layout="constrained")
    return ax


def network_weights(net):
    """Layer sizes and the list of (W, b) of the Dense layers of ``net``."""
    dense = [layer for layer in getattr(net, "layers", [net]) if isinstance(layer, Dense)]
    if not dense:
        raise ValueError("the network has no Dense layers to draw")
    sizes = [dense[0].n_in] + [d.n_out for d in dense]
    return sizes, [d.W for d in dense], [d.b for d in dense]


def draw_network(sizes, weights=None, biases=None, labels=None, values=None,
                 show_weights=False, ax=None, title=None, edge_grads=None, node_grads=None):
    """Draw a fully connected feed-forward network.

    Parameters
    ----------
    sizes : list of layer widths, e.g. ``[3, 2, 1]``, or a Sequential
    weights : list of W arrays, shape (sizes[l], sizes[l+1]); edge width and
        colour (red < 0 < blue) follow the weight.  ``None``: plain grey edges.
    biases : list of b arrays, written under the nodes when given
    labels : node labels per layer, e.g. ``[["I1","I2","I3"],["H4","H5"],["O6"]]``;
        default: the lecture's running numbering I1…, H…, O…
    values : node values per layer (e.g. activations), written in the nodes
    show_weights : write each weight's value on its edge
    edge_grads : list of ∂L/∂W arrays, shaped like ``weights``, written on the
        edges in purple (under the weight when both are shown)
    node_grads : per layer, ∂L/∂(node input) = ∂L/∂b, written above the nodes
    """
    if not isinstance(sizes, (list, tuple)):
        sizes, w_net, b_net = network_weights(sizes)
        weights = w_net if weights is None else weights
        biases = b_net if biases is None else biases
    sizes = [int(s) for s in sizes]
    ax = _ax(ax, (1.8 * len(sizes) + 1.5, max(2.5, 0.9 * max(sizes) + 1)))
    if labels is None:
        labels, k = [], 1
        for li, s in enumerate(sizes):
            prefix = "I" if li == 0 else ("O" if li == len(sizes) - 1 else "H")
            labels.append([f"{prefix}{k + j}" for j in range(s)])
            k += s
    pos = [[(li, (s - 1) / 2 - j) for j in range(s)] for li, s in enumerate(sizes)]
    wmax = max((np.max(np.abs(W)) for W in weights), default=1.0) if weights else 1.0
    wmax = wmax or 1.0
    label_box = dict(boxstyle="round,pad=0.1", fc="white", ec="none", alpha=0.8)
    for li in range(len(sizes) - 1):
        for i, (x0, y0) in enumerate(pos[li]):
            for j, (x1, y1) in enumerate(pos[li + 1]):
                t = 0.36  # past the node, before edges from neighbours cross
                xt, yt = x0 + t * (x1 - x0), y0 + t * (y1 - y0)
                if edge_grads is not None:
                    ax.text(xt, yt, f"{edge_grads[li][i, j]:+.3f}", fontsize=8, color=_GRAD,
                            ha="center", va="top" if show_weights else "center", zorder=3,
                            bbox=label_box)
                if weights is None:
                    ax.plot([x0, x1], [y0, y1], color="0.6", lw=1, zorder=1)
                    continue
                w = weights[li][i, j]
                ax.plot([x0, x1], [y0, y1], color="#2166ac" if w >= 0 else "#b2182b",
                        lw=0.5 + 4.5 * abs(w) / wmax, alpha=0.8, zorder=1)
                if show_weights:
                    ax.text(xt, yt, f"{w:.2f}", fontsize=8, ha="center", zorder=3,
                            va="bottom" if edge_grads is not None else "center", bbox=label_box)
    for li, layer in enumerate(pos):
        kind = "input" if li == 0 else ("output" if li == len(sizes) - 1 else "hidden")
        for j, (x, y) in enumerate(layer):
            ax.add_patch(plt.Circle((x, y), 0.22, fc=_NODE[kind], ec="k", zorder=2))
            text = labels[li][j]
            if values is not None:
                text += f"\n{values[li][j]:.2f}"
            ax.text(x, y, text, ha="center", va="center", fontsize=9, zorder=4)
            if biases is not None and li > 0:
                ax.text(x, y - 0.33, f"b={biases[li - 1][j]:.2f}", ha="center", va="top",
                        fontsize=8, color="0.3", zorder=4)
            if node_grads is not None:
                ax.text(x, y + 0.27, f"δ={node_grads[li][j]:+.3f}", ha="center", va="bottom",
                        fontsize=8, color=_GRAD, zorder=4, bbox=label_box)
    ax.set_xlim(-0.5, len(sizes) - 0.5)
    half = max(sizes) / 2
    ax.set_ylim(-half - 0.2, half + (0.25 if node_grads is not None else -0.1))
    ax.set_aspect("equal")
    ax.axis("off")
    if title:
        ax.set_title(title)
    return ax


def plot_loss(history, ax=None, log=True, title="Loss against epoch"):
    """Training (and validation, if recorded) loss against epoch."""
    ax = _ax(ax)
    epochs = np.arange(1, len(history.train_loss) + 1)
    ax.plot(epochs, history.train_loss, label="train")
    if history.val_loss:
        ax.plot(epochs, history.val_loss, label="validation")
    if log:
        ax.set_yscale("log")
    ax.set(xlabel="epoch", ylabel="loss", title=title)
    ax.legend()
    ax.grid(alpha=0.3)
    return ax


def plot_activation(activation, z=None, ax=None, derivative=True, **kwargs):
    """An activation α(z) and, optionally, its derivative α'(z).

    For softmax (which couples units) the curve shows the first of two units
    with the second held at 0, i.e. the sigmoid it reduces to.
    """
    act = activations.get(activation, **kwargs)
    z = np.linspace(-5, 5, 401) if z is None else np.asarray(z, dtype=float)
    ax = _ax(ax)
    if isinstance(act, activations.Softmax):
        zz = np.column_stack([z, np.zeros_like(z)])
        a = act.forward(zz)[:, 0]
        da = act.grad(zz)[:, 0, 0]
        label = "softmax$(z, 0)_1$"
    else:
        a, da = act.forward(z), act.grad(z)
        label = rf"$\alpha(z)$"
    ax.axhline(0, color="0.7", lw=0.8)
    ax.axvline(0, color="0.7", lw=0.8)
    ax.plot(z, a, lw=2, label=label)
    if derivative:
        ax.plot(z, da, lw=2, ls="--", label=r"$\alpha'(z)$")
    ax.set(xlabel="pre-activation $z$", ylabel=r"$\alpha(z)$, $\alpha'(z)$", title=act.name)
    ax.legend(loc="upper left")
    ax.grid(alpha=0.3)
    return ax


def plot_activation_panels(activation, zmax=5.0, depth=5, axes=None, **kwargs):
    """The activation explorer's view: α(z) and α'(z) on the left; on the right
    |α'(z)|^depth, the factor the activation alone contributes to a gradient
    that passes through ``depth`` layers sitting at the same z with unit weights.

    Drawn by ``geonn.widgets.activation_explorer`` and, statically, by chapters.
    """
    act = activations.get(activation, **kwargs)
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=WIDE, layout="constrained")
    ax0, ax1 = axes
    z = np.linspace(-zmax, zmax, 401)
    plot_activation(act, z, ax=ax0)
    if isinstance(act, activations.Softmax):
        ax1.text(0.5, 0.5, "softmax is used at the output only", ha="center",
                 transform=ax1.transAxes)
        ax1.axis("off")
        return axes
    ax1.semilogy(z, np.maximum(np.abs(act.grad(z)) ** depth, 1e-30))
    ax1.set(xlabel="pre-activation $z$", ylabel=rf"$|\alpha'(z)|^{{{depth}}}$",
            title=f"gradient factor through {depth} layers", ylim=(1e-30, 10))
    ax1.grid(alpha=0.3)
    return axes


# -- chapter 7: elastic logs and reflectivity against angle --------------------
__all__ += ["plot_elastic_log", "plot_reflectivity"]


def plot_elastic_log(log, intervals=None, axes=None, title="Elastic well log"):
    """Three tracks against depth: Vp and Vs (m/s), density (g/cm³), Vp/Vs.

    ``log`` has arrays ``depth`` (m), ``vp``, ``vs``, ``rho`` and optionally a
    boolean ``sand`` (e.g. a ``geonn.datasets.ElasticLog``); sand beds are
    shaded.  ``intervals`` maps a label to a ``(top, base)`` depth range,
    drawn as a bracket on every track.
    """
    if axes is None:
        _, axes = plt.subplots(1, 3, figsize=(8.0, 6.0), sharey=True, layout="constrained")
    ax_v, ax_r, ax_k = axes
    z = np.asarray(log.depth)
    velocity_lines = ax_v.plot(log.vp, z, lw=0.8, label="$V_P$") + \
        ax_v.plot(log.vs, z, lw=0.8, label="$V_S$")
    ax_r.plot(log.rho, z, lw=0.8, color="C2")
    ax_k.plot(np.asarray(log.vp) / np.asarray(log.vs), z, lw=0.8, color="C3")
    sand = getattr(log, "sand", None)
    for ax in axes:
        if sand is not None:
            ax.fill_betweenx(z, 0, 1, where=np.asarray(sand), color="gold", alpha=0.4, lw=0,
                             transform=ax.get_yaxis_transform(), label="sand")
        for k, (label, (top, base)) in enumerate((intervals or {}).items()):
            ax.axhspan(top, base, xmin=0.97, xmax=1.0, color=f"C{4 + k}", label=label)
        ax.grid(alpha=0.3)
    ax_v.set(xlabel="velocity (m/s)", ylabel="depth (m)")
    ax_r.set(xlabel=r"density $\rho$ (g/cm³)")
    ax_k.set(xlabel="$V_P/V_S$")
    ax_v.invert_yaxis()
    ax_v.legend(handles=velocity_lines, loc="lower left", fontsize=8)
    if intervals or sand is not None:
        ax_k.legend(loc="lower right", fontsize=8)
    ax_v.figure.suptitle(title)
    return axes


def plot_reflectivity(theta, curves, ax=None, shade=None, shade_label="training angles",
                      title="P–P reflectivity against angle"):
    """Reflection coefficient R(θ) curves against the angle of incidence.

    Parameters
    ----------
    theta : angles in degrees, shape (m,)
    curves : ``{label: R}`` with R of shape (m,) (a complex R is drawn as its
        real part), or ``{label: (R, style)}`` with a dict of matplotlib
        keyword arguments as ``style``
    shade : optional ``(θ_min, θ_max)`` range to shade, e.g. the training angles
    """
    ax = _ax(ax)
    theta = np.asarray(theta, dtype=float)
    if shade is not None:
        ax.axvspan(*shade, color="0.9", label=shade_label)
    for label, curve in curves.items():
        R, style = curve if isinstance(curve, tuple) else (curve, {})
        R = np.real(np.asarray(R)).ravel()
        if R.shape != theta.shape:
            raise ValueError(f"curve {label!r} has {R.size} values but theta has {theta.size}")
        ax.plot(theta, R, label=label, **{"lw": 2, **style})
    ax.axhline(0, color="0.6", lw=0.8)
    ax.set(xlabel=r"angle of incidence $\theta$ (°)", ylabel=r"reflection coefficient $R(\theta)$",
           title=title)
    ax.legend(fontsize=8)
    ax.grid(alpha=0.3)
    return ax


# -- chapter 3: the backpropagation dashboard's view ---------------------------
def plot_backprop(trace, epoch=0, show_weights=True, show_values=True, show_grads=True,
                  axes=None):
    """One epoch of a recorded training run: the network and the loss curve.

    Left, the diagram at epoch ℓ = ``epoch``: weights (edge width and colour,
    values, biases), the forward-pass value of every node for the first sample,
    and the backprop gradients in purple, ∂L/∂λ on the edges and
    δ = ∂L/∂(node input) = ∂L/∂b above the nodes.  Right, the loss against
    epoch with ℓ marked.  Parameters at ℓ are those after ℓ updates; the
    gradients shown are the ones the (ℓ+1)-th update uses.

    ``trace`` is the dict returned by :func:`geonn.widgets.trace_training`.
    Drawn by :func:`geonn.widgets.backprop_dashboard` and, statically, by chapter 3.
    """
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=(WIDE[0] + 1, WIDE[1] + 1.5), width_ratios=[5, 2],
                               layout="constrained")
    ax_net, ax_loss = axes
    loss = np.asarray(trace["loss"])
    ell = min(int(epoch), len(loss) - 1)      # a diverged run stops early
    at = lambda arrays: [a[ell] for a in arrays]  # noqa: E731
    title = f"epoch {ell}: loss {loss[ell]:.4g}"
    if ell < epoch:
        title += f" (diverged after epoch {ell})"
    draw_network(trace["sizes"], weights=at(trace["W"]) if show_weights else None,
                 biases=at(trace["b"]) if show_weights else None,
                 values=at(trace["values"]) if show_values else None, show_weights=show_weights,
                 edge_grads=at(trace["dW"]) if show_grads else None,
                 node_grads=at(trace["delta"]) if show_grads else None, ax=ax_net, title=title)
    ax_net.text(0.5, 0.0, "edges: blue λ > 0, red λ < 0, width ∝ |λ|;  purple: ∂L/∂λ on edges, "
                "δ = ∂L/∂(node input) = ∂L/∂b on nodes", transform=ax_net.transAxes,
                ha="center", va="top", fontsize=7, color="0.3")
    # exact convergence (0) or near-overflow (1e300) would break the log axis
    shown = np.clip(loss, 1e-16, 1e100)
    ax_loss.semilogy(np.arange(len(loss)), shown, color="0.3", lw=1.5)
    ax_loss.plot([ell], [shown[ell]], "o", color=_GRAD, ms=7, label=f"epoch {ell}")
    ax_loss.set(xlabel="epoch ℓ", ylabel="loss L = ½ mean squared error", xlim=(0, trace["epochs"]),
                title=f"η = {trace['eta']:.3g}" + ("" if trace.get("seed") is None
                                                   else f", seed {trace['seed']}"))
    ax_loss.legend(loc="upper right")
    ax_loss.grid(alpha=0.3, which="both")
    return axes


__all__ += ["plot_backprop"]


# -- chapter 6: porosity from acoustic impedance: maps, crossplots, dashboard --------
def plot_well_map(x, y, values, ax=None, title="Wells", label="porosity (fraction)",
                  extent=(0.0, 1000.0, 0.0, 1000.0), cmap="viridis", **kwargs):
    """Location map: wells at (x, y) in m, coloured by ``values``, with a colour bar."""
    ax = _ax(ax, (5.2, 4.4))
    sc = ax.scatter(x, y, c=values, cmap=cmap, s=30, edgecolors="k", linewidths=0.4, **kwargs)
    ax.figure.colorbar(sc, ax=ax, label=label)
    ax.set(xlim=extent[:2], ylim=extent[2:], xlabel="X (m)", ylabel="Y (m)", title=title,
           aspect="equal")
    return ax


def plot_map(grid, ax=None, title=None, label="", extent=(0.0, 1000.0, 0.0, 1000.0),
             cmap="viridis", wells=None, **kwargs):
    """A map indexed ``grid[iy, ix]`` over ``extent`` (m), origin at the lower
    left, with a colour bar; ``wells=(x, y)`` adds the well locations as dots."""
    ax = _ax(ax, (5.2, 4.4))
    im = ax.imshow(grid, origin="lower", extent=extent, cmap=cmap, **kwargs)
    ax.figure.colorbar(im, ax=ax, label=label)
    if wells is not None:
        ax.plot(*wells, "k.", ms=3, label="wells")
    ax.set(xlabel="X (m)", ylabel="Y (m)", title=title)
    return ax


def plot_crossplot_fit(x_train, y_train, x_test=None, y_test=None, curve=None, truth=None,
                       ax=None, xlabel="acoustic impedance (m/s·g/cm³)",
                       ylabel="porosity (fraction)", title="Porosity against acoustic impedance"):
    """Crossplot of training (and test) samples; ``curve=(x, y)`` draws a model's
    prediction, ``truth=(x, y)`` the true relation, both as lines."""
    ax = _ax(ax)
    ax.scatter(x_train, y_train, s=16, alpha=0.7, label="train")
    if x_test is not None:
        ax.scatter(x_test, y_test, s=22, marker="s", alpha=0.8, label="test")
    if truth is not None:
        ax.plot(*truth, "k--", lw=1.2, label="true relation")
    if curve is not None:
        ax.plot(*curve, color="C3", lw=2.2, label="network")
    ax.set(xlabel=xlabel, ylabel=ylabel, title=title)
    ax.legend()
    ax.grid(alpha=0.3)
    return ax


def plot_fit_and_loss(x_train, y_train, x_test, y_test, curve, history, axes=None, title=None,
                      **labels):
    """The porosity dashboard's view: the crossplot with the fitted curve (left)
    and the training and test loss against epoch (right).  ``labels`` go to
    :func:`plot_crossplot_fit` (``xlabel``, ``ylabel``)."""
    if axes is None:
        _, axes = plt.subplots(1, 2, figsize=WIDE, layout="constrained")
    plot_crossplot_fit(x_train, y_train, x_test, y_test, curve=curve, ax=axes[0],
                       title=title or "Prediction over the crossplot", **labels)
    plot_loss(history, ax=axes[1], title="Loss against epoch")
    if history.val_loss:
        axes[1].get_lines()[1].set_label("test")
        axes[1].legend()
    return axes


__all__ += ["plot_well_map", "plot_map", "plot_crossplot_fit", "plot_fit_and_loss"]


# -- classification (chapter 5) ----------------------------------------------
def plot_confusion_matrix(cm, classes, ax=None, title="Confusion matrix"):
    """Counts of true classes (rows) against predicted classes (columns).

    ``cm`` is a (K, K) array of counts, ``classes`` its K names.  Each cell is
    written out, so the figure can be read without the colour bar.
    """
    cm = np.asarray(cm)
    if cm.ndim != 2 or cm.shape != (len(classes), len(classes)):
        raise ValueError(f"cm must be a ({len(classes)}, {len(classes)}) array for classes "
                         f"{list(classes)}; got shape {cm.shape}")
    ax = _ax(ax, (4.5, 4.0))
    ax.imshow(cm, cmap="Blues", vmin=0)
    for (i, j), count in np.ndenumerate(cm):
        ax.text(j, i, f"{count:,}", ha="center", va="center", fontsize=12,
                color="white" if count > cm.max() / 2 else "black")
    ticks = np.arange(len(classes))
    ax.set_xticks(ticks, classes)
    ax.set_yticks(ticks, classes)
    ax.set(xlabel="predicted class", ylabel="true class", title=title)
    return ax


def plot_rayleigh_plane(wavenumber, Ra, predicted, wrong=None, ax=None, ylim=None,
                        title="Predicted stability against theory"):
    """Samples in the (2πb/λ, Ra) plane, coloured by predicted class (0 stable,
    1 unstable), over the marginal-stability curve Ra_cr of a layer with free-slip
    boundaries.  ``wrong`` (boolean mask) marks misclassified samples with a cross.
    """
    from .datasets.mantle import critical_rayleigh   # only this figure needs the physics

    wavenumber, Ra, predicted = (np.asarray(a).ravel() for a in (wavenumber, Ra, predicted))
    if not len(wavenumber) == len(Ra) == len(predicted):
        raise ValueError(f"wavenumber, Ra and predicted must have one value per sample; got "
                         f"{len(wavenumber)}, {len(Ra)} and {len(predicted)}")
    ax = _ax(ax)
    for cls, colour, label in ((0, "#2166ac", "predicted stable"),
                               (1, "#d6604d", "predicted unstable")):
        mask = predicted == cls
        ax.scatter(wavenumber[mask], Ra[mask], s=5, color=colour, alpha=0.6, lw=0, label=label)
    if wrong is not None:
        wrong = np.asarray(wrong, dtype=bool).ravel()
        ax.scatter(wavenumber[wrong], Ra[wrong], s=30, marker="x", color="k", lw=1,
                   label=f"misclassified ({wrong.sum()})")
    k = np.linspace(wavenumber.min(), wavenumber.max(), 400)
    ax.plot(k, critical_rayleigh(2 * np.pi / k), color="k", lw=2,
            label=r"theory: $Ra_{cr}(2\pi b/\lambda)$")
    ax.set_yscale("log")
    if ylim is not None:
        ax.set_ylim(*ylim)
    ax.set(xlabel=r"wavenumber $2\pi b/\lambda$ (dimensionless)",
           ylabel="Rayleigh number $Ra$ (dimensionless)", title=title)
    ax.legend(loc="upper left", markerscale=2, fontsize=8)
    ax.grid(alpha=0.3, which="both")
    return ax


__all__ += ["plot_confusion_matrix", "plot_rayleigh_plane"]
