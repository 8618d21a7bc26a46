"""The chapters' studies, built on :mod:`geonn.core` and :mod:`geonn.domain`.

- :mod:`.surfaces`: 2-D loss surfaces and descent on them (chapter 4)
- :mod:`.uncertainty`: ensembles, MC dropout, coverage, sensitivity (section 6b)
- :mod:`.seed_study`: stored seed studies, one CSV row per seed (chapters 6b-12);
  :mod:`.stored`: networks trained ahead of time, stored and loaded (chapter 12)
- :mod:`.autoencoders`: the Dense and convolutional autoencoders (chapter 9)
- :mod:`.transfer`, :mod:`.transfer_run`, :mod:`.transfer_report`: transfer learning
  for first breaks (chapter 9)
- :mod:`.gan`, :mod:`.gan_nets`, :mod:`.gan_metrics` (with :mod:`.gan_distances`),
  :mod:`.gan_report`: generative adversarial networks and measures of sample quality
  (chapter 10)
- :mod:`.images`, :mod:`.images_report`: a first-break picker of whole gathers, a
  U-Net for faults, and their comparisons (chapter 11)
- :mod:`.image_transfer`, :mod:`.image_transfer_run`, :mod:`.image_transfer_report`:
  section patches, a patch autoencoder and PCA; few-label fault U-Nets from
  transferred encoders, summarised over seeds (chapter 12)
- :mod:`.image_gan`, :mod:`.image_gan_run`, :mod:`.image_gan_report`,
  :mod:`.image_gan_walk`: a DCGAN on section patches, its training runs, chapter
  10's measures on patches, and a walk through its latent space (chapter 12)
- :mod:`.plotting`, :mod:`.widgets`: the book's figures and its dashboards

Each module is imported on first use (``geonn.studies.gan``), so that a chapter
loads only what it uses.
"""

import importlib

_LAZY = (
    "autoencoders",
    "gan",
    "gan_distances",
    "gan_metrics",
    "gan_nets",
    "gan_report",
    "image_gan",
    "image_gan_report",
    "image_gan_run",
    "image_gan_walk",
    "image_transfer",
    "image_transfer_report",
    "image_transfer_run",
    "images",
    "images_report",
    "plotting",
    "seed_study",
    "stored",
    "surfaces",
    "transfer",
    "transfer_report",
    "transfer_run",
    "uncertainty",
    "widgets",
)


def __getattr__(name):
    if name in _LAZY:
        return importlib.import_module(f"{__name__}.{name}")
    raise AttributeError(f"module {__name__!r} has no attribute {name!r}")
