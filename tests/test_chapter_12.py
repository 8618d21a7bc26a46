"""Chapter 12's figures (geonn.studies.plotting.dreams) and its stored networks:
every seed of the study has its files, and they load into the chapter's networks."""

import matplotlib

matplotlib.use("Agg")

import matplotlib.pyplot as plt  # noqa: E402
import numpy as np  # noqa: E402
import pytest  # noqa: E402

from geonn.studies.image_gan_run import patch_gan  # noqa: E402
from geonn.studies.image_transfer import patch_autoencoder  # noqa: E402
from geonn.studies.images import fault_unet  # noqa: E402
from geonn.studies.plotting.dreams import (  # noqa: E402
    plot_f1_curves,
    plot_patch_rows,
    plot_walk,
)
from geonn.studies.stored import run_dir  # noqa: E402

R = np.random.default_rng


def test_patch_rows_share_one_scale_and_refuse_what_is_not_images():
    real, fake = R(0).normal(size=(4, 1, 8, 8)), R(1).normal(size=(3, 8, 8))
    axes = plot_patch_rows({"real": real, "fake": fake})
    assert axes.shape == (2, 4) and not axes[1, 3].axison  # a short row is padded
    lims = {im.get_clim() for ax in axes[:, :3].ravel() for im in ax.get_images()}
    assert len(lims) == 1
    plt.close("all")
    with pytest.raises(ValueError, match="rows must be a non-empty dict"):
        plot_patch_rows({})
    with pytest.raises(ValueError, match=r"rows\['real'\] must be images"):
        plot_patch_rows({"real": np.ones((4, 8))})


def test_f1_curves_draw_one_line_per_arm_and_the_ceiling():
    n = np.array([5, 10, 30, 100])
    summary = {a: (n, n / 200, n / 250, n / 150) for a in ("frozen", "scratch")}
    ax = plot_f1_curves(summary, ceiling=(0.8, 0.75, 0.85))
    assert [line.get_label() for line in ax.get_lines()] == [
        "frozen",
        "scratch",
        "fully supervised",
    ]
    plt.close("all")
    with pytest.raises(ValueError, match="summary must be"):
        plot_f1_curves({})


def test_walk_draws_the_strip_and_one_panel_per_measure():
    images = R(2).normal(size=(6, 1, 8, 8))
    strip, panels = plot_walk(images, {"dip": np.arange(6.0), "f": np.ones(6)}, every=2)
    assert len(strip) == 3 and len(panels) == 2
    plt.close("all")
    with pytest.raises(ValueError, match="one value per image"):
        plot_walk(images, {"dip": np.arange(5.0)})


@pytest.mark.parametrize("seed", [0, 1, 2, 3, 4])
def test_every_seed_of_the_study_has_its_stored_networks(seed):
    folder = run_dir("12", seed)
    rng = R(0)
    nets = {"ae": patch_autoencoder(rng)[0], "unet": fault_unet(rng, (8, 16, 32))}
    for name, spectral in (("plain", False), ("sn", True)):
        G, D = patch_gan(0, spectral)
        nets |= {f"G_{name}": G, f"D_{name}": D}
    for name, net in nets.items():
        net.load(folder / f"{name}.npz")  # raises if missing or of another shape
    for run in ("ae", "transfer", "gan", "transfer_gan"):
        with np.load(folder / f"{run}_run.npz", allow_pickle=False) as f:
            assert "cpu_s" in f.files
