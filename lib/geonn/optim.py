"""Optimizers: ``step(params, grads)`` updates each parameter array in place.

Learning-rate decay (all optimizers), at epoch ℓ:
    η_ℓ = η₀ / (1 + decay·ℓ)                      (``compound=False``, the usual form)
    η_ℓ = η_{ℓ−1} / (1 + decay·ℓ)                 (``compound=True``, as the lecture writes it)
``train.fit`` calls :meth:`Optimizer.set_epoch` at the start of every epoch.
"""
import numpy as np

__all__ = ["Optimizer", "SGD", "Momentum", "Adam"]


def _positive(name, value):
    if isinstance(value, bool) or not isinstance(value, (int, float, np.floating, np.integer)):
        raise TypeError(f"{name} must be a number; got {type(value).__name__}")
    if not np.isfinite(value) or value <= 0:
        raise ValueError(f"{name} must be positive and finite; got {value}")
    return float(value)


class Optimizer:
    def __init__(self, eta, decay=0.0, compound=False):
        self.eta0 = self.eta = _positive("learning rate eta", eta)
        if not np.isfinite(decay) or decay < 0:
            raise ValueError(f"learning-rate decay must be ≥ 0; got {decay}")
        self.decay, self.compound = float(decay), bool(compound)
        self.epoch = 0
        self.t = 0          # steps taken
        self._n = None      # number of parameter arrays seen at the first step

    def set_epoch(self, epoch):
        """Set η for epoch ℓ = ``epoch`` (0-based: epoch 0 uses η₀)."""
        if self.compound:
            for ell in range(self.epoch + 1, epoch + 1):
                self.eta = self.eta / (1.0 + self.decay * ell)
        else:
            self.eta = self.eta0 / (1.0 + self.decay * epoch)
        self.epoch = epoch

    def step(self, params, grads):
        if len(params) != len(grads):
            raise ValueError(f"{len(params)} parameter arrays but {len(grads)} gradients")
        if self._n is None:
            self._n = len(params)
            self._init_state(params)
        elif len(params) != self._n:
            raise ValueError(f"this optimizer was set up for {self._n} parameter arrays but "
                             f"got {len(params)}; use a new optimizer after freeze/unfreeze")
        self.t += 1
        for i, (p, g) in enumerate(zip(params, grads)):
            self._update(i, p, g)

    def _init_state(self, params):
        pass

    def _update(self, i, p, g):
        raise NotImplementedError


class SGD(Optimizer):
    """Plain (stochastic) gradient descent: θ ← θ − η ∂L/∂θ."""

    def _update(self, i, p, g):
        p -= self.eta * g

    def __repr__(self):
        return f"SGD(eta={self.eta0})"


class Momentum(Optimizer):
    """Gradient descent with momentum, in the lecture's moving-average form.

        v_ℓ = α v_{ℓ−1} + (1 − α) ∂L/∂θ
        θ_ℓ = θ_{ℓ−1} − η v_ℓ

    (The slide omits θ_{ℓ−1} on the right-hand side.)  This equals the
    "heavy-ball" form v = α v + g, θ −= η' v with η' = η(1 − α).
    """

    def __init__(self, eta, alpha=0.9, **kwargs):
        super().__init__(eta, **kwargs)
        if not 0 <= alpha < 1:
            raise ValueError(f"momentum alpha must be in [0, 1); got {alpha}")
        self.alpha = float(alpha)

    def _init_state(self, params):
        self.v = [np.zeros_like(p) for p in params]

    def _update(self, i, p, g):
        v = self.v[i]
        v *= self.alpha
        v += (1.0 - self.alpha) * g
        p -= self.eta * v

    def __repr__(self):
        return f"Momentum(eta={self.eta0}, alpha={self.alpha})"


class Adam(Optimizer):
    """Adam (Kingma & Ba 2015), with bias correction; ε outside the root.

        m_t = β₁ m_{t−1} + (1 − β₁) g_t        v_t = β₂ v_{t−1} + (1 − β₂) g_t²
        m̂_t = m_t / (1 − β₁ᵗ)                 v̂_t = v_t / (1 − β₂ᵗ)
        θ_t = θ_{t−1} − η m̂_t / (√v̂_t + ε)
    """

    def __init__(self, eta=0.001, beta1=0.9, beta2=0.999, eps=1e-8, **kwargs):
        super().__init__(eta, **kwargs)
        for name, beta in (("beta1", beta1), ("beta2", beta2)):
            if not 0 <= beta < 1:
                raise ValueError(f"Adam {name} must be in [0, 1); got {beta}")
        self.beta1, self.beta2 = float(beta1), float(beta2)
        self.eps = _positive("Adam eps", eps)

    def _init_state(self, params):
        self.m = [np.zeros_like(p) for p in params]
        self.v = [np.zeros_like(p) for p in params]

    def step(self, params, grads):
        # the bias corrections are shared by every array, so fold them into η once
        t = self.t + 1
        # (Python floats, not NumPy scalars: a float64 scalar would promote float32 arrays)
        root = float(np.sqrt(1 - self.beta2 ** t))
        self._eta_t = self.eta * root / (1 - self.beta1 ** t)
        self._eps_t = self.eps * root
        super().step(params, grads)

    def _update(self, i, p, g):
        m, v = self.m[i], self.v[i]
        m *= self.beta1
        m += (1.0 - self.beta1) * g
        v *= self.beta2
        v += (1.0 - self.beta2) * (g * g)
        # η m̂/(√v̂ + ε) = η_t m/(√v + ε_t), with the factors above
        p -= self._eta_t * m / (np.sqrt(v) + self._eps_t)

    def __repr__(self):
        return f"Adam(eta={self.eta0}, beta1={self.beta1}, beta2={self.beta2}, eps={self.eps})"
