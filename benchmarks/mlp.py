"""Scenario (b): a training step of a small MLP, where numpy's matrix products dominate.

Layers 784-256-256-10, batch 128, ReLU, all in float32, with the loss written three ways
(issue 12): MXNet's fused ``softmax_cross_entropy`` (summed), and the two ways students
write it, ``-pick(log_softmax(z), y).mean()`` and ``-pick(log(softmax(z)), y).mean()``. The
floor is the same math written by hand in numpy; the gap to it is what the engine adds on
top of the real work. Reported per step.
"""

from __future__ import annotations

from typing import Any

import numpy as np

NAME = "(b) MLP 784-256-256-10, batch 128"
UNIT = "ms/step"
SCALE = 1e3
LOSSES = {  # the loss's name in the inputs -> how the table names the scenario
    "sce": NAME,
    "log_softmax": NAME + ", -pick(log_softmax).mean()",
    "softmax_log": NAME + ", -pick(log(softmax)).mean()",
}


def make_inputs(sizes: tuple = (784, 256, 256, 10), batch: int = 128, seed: int = 0,
                loss: str = "sce") -> dict:  # fmt: skip
    """Return a batch ``data``/``label``, He-initialized ``params`` [W1, b1, W2, b2, W3, b3],
    the ``loss`` to use (a key of ``LOSSES``) and the scenario's ``name``."""
    rng = np.random.default_rng(seed)
    params = []
    for n_in, n_out in zip(sizes[:-1], sizes[1:], strict=True):
        params.append((rng.standard_normal((n_in, n_out)) * np.sqrt(2 / n_in)).astype(np.float32))
        params.append(np.zeros(n_out, dtype=np.float32))
    data = rng.standard_normal((batch, sizes[0])).astype(np.float32)
    label = rng.integers(0, sizes[-1], batch)
    return {"data": data, "label": label, "params": params, "loss": loss, "name": LOSSES[loss]}


def units(inputs: dict[str, Any]) -> int:
    """One step per call."""
    return 1


# --------------------------------------------------------------------------- the numpy floor


def _log_softmax(x: np.ndarray) -> np.ndarray:
    shifted = x - x.max(axis=1, keepdims=True)
    return shifted - np.log(np.exp(shifted).sum(axis=1, keepdims=True))


def numpy_step(inputs: dict[str, Any]) -> Any:
    """Hand-written forward and backward of the same network."""
    data, label = inputs["data"], inputs["label"]
    w1, b1, w2, b2, w3, b3 = inputs["params"]
    rows = np.arange(len(label))
    scale = 1.0 if inputs["loss"] == "sce" else np.float32(1 / len(label))

    def step() -> tuple:
        h1 = np.maximum(data @ w1 + b1, 0)
        h2 = np.maximum(h1 @ w2 + b2, 0)
        log_probs = _log_softmax(h2 @ w3 + b3)
        loss = -log_probs[rows, label].sum() * scale
        grad_logits = np.exp(log_probs)  # d loss / d logits = softmax - one_hot(label)
        grad_logits[rows, label] -= 1
        if scale != 1.0:  # the mean over the batch
            grad_logits *= scale
        grad_w3, grad_b3 = h2.T @ grad_logits, grad_logits.sum(axis=0)
        grad_h2 = (grad_logits @ w3.T) * (h2 > 0)
        grad_w2, grad_b2 = h1.T @ grad_h2, grad_h2.sum(axis=0)
        grad_h1 = (grad_h2 @ w2.T) * (h1 > 0)
        grad_w1, grad_b1 = data.T @ grad_h1, grad_h1.sum(axis=0)
        return loss, grad_w1, grad_b1, grad_w2, grad_b2, grad_w3, grad_b3

    return step


# --------------------------------------------------------------------------- the engines


def _autogradviz_network(inputs: dict[str, Any]) -> tuple[Any, list, Any]:
    """Return the data, the parameters (variables) and a function recording the loss."""
    from autogradviz import autograd, nd

    data, label = nd.array(inputs["data"]), nd.array(inputs["label"])
    params = [nd.array(p) for p in inputs["params"]]
    for p in params:
        p.attach_grad()
    w1, b1, w2, b2, w3, b3 = params

    loss_of = _LOSSES_ND[inputs["loss"]]

    def record_loss() -> Any:
        with autograd.record():
            h1 = nd.relu(nd.dot(data, w1) + b1)
            h2 = nd.relu(nd.dot(h1, w2) + b2)
            return loss_of(nd, nd.dot(h2, w3) + b3, label)

    return data, params, record_loss


_LOSSES_ND = {
    "sce": lambda nd, z, y: nd.softmax_cross_entropy(z, y),
    "log_softmax": lambda nd, z, y: -nd.pick(nd.log_softmax(z), y).mean(),
    "softmax_log": lambda nd, z, y: -nd.pick(nd.log(nd.softmax(z)), y).mean(),
}


def autogradviz_step(inputs: dict[str, Any]) -> Any:
    """The network with ``nd.dot``, ``nd.relu`` and ``nd.softmax_cross_entropy``."""
    _, params, record_loss = _autogradviz_network(inputs)

    def step() -> tuple:
        loss = record_loss()
        loss.backward()
        return (loss, *(p.grad for p in params))

    return step


def autogradviz_prepare(inputs: dict[str, Any]) -> Any:
    """Record one forward pass (untimed); return its backward pass."""
    _, params, record_loss = _autogradviz_network(inputs)
    loss = record_loss()

    def backward() -> list:
        loss.backward()
        return [p.grad for p in params]

    return backward


def torch_step(inputs: dict[str, Any], torch: Any) -> Any:
    """The same network in PyTorch eager mode (``cross_entropy`` with a summed loss)."""
    data, label = torch.from_numpy(inputs["data"]), torch.from_numpy(inputs["label"])
    params = [torch.tensor(p, requires_grad=True) for p in inputs["params"]]
    w1, b1, w2, b2, w3, b3 = params
    loss_of = _torch_loss(torch, inputs["loss"], label)

    def step() -> tuple:
        for p in params:
            p.grad = None
        h1 = torch.relu(data @ w1 + b1)
        h2 = torch.relu(h1 @ w2 + b2)
        loss = loss_of(h2 @ w3 + b3)
        loss.backward()
        return (loss, *(p.grad for p in params))

    return step


def _torch_loss(torch: Any, loss: str, label: Any) -> Any:
    """The same loss in PyTorch, written the same way (``gather`` is ``pick``)."""
    column = label.reshape(-1, 1)
    if loss == "sce":
        return lambda z: torch.nn.functional.cross_entropy(z, label, reduction="sum")
    if loss == "log_softmax":
        return lambda z: -torch.log_softmax(z, dim=1).gather(1, column).mean()
    return lambda z: -torch.log(torch.softmax(z, dim=1)).gather(1, column).mean()


def hips_step(inputs: dict[str, Any], hips: Any) -> Any:
    """The same network in HIPS autograd (log-softmax written out: scipy is not required)."""
    anp, data, label = hips.numpy, inputs["data"], inputs["label"]
    rows = np.arange(len(label))

    def loss_of(params: list) -> Any:
        w1, b1, w2, b2, w3, b3 = params
        h1 = anp.maximum(anp.dot(data, w1) + b1, 0.0)
        h2 = anp.maximum(anp.dot(h1, w2) + b2, 0.0)
        logits = anp.dot(h2, w3) + b3
        shifted = logits - anp.max(logits, axis=1, keepdims=True)
        if inputs["loss"] == "softmax_log":
            probs = anp.exp(shifted) / anp.sum(anp.exp(shifted), axis=1, keepdims=True)
            return -anp.mean(anp.log(probs[rows, label]))
        log_probs = shifted - anp.log(anp.sum(anp.exp(shifted), axis=1, keepdims=True))
        picked = log_probs[rows, label]
        return -(anp.sum(picked) if inputs["loss"] == "sce" else anp.mean(picked))

    gradient = hips.value_and_grad(loss_of)

    def step() -> tuple:
        loss, grads = gradient(inputs["params"])
        return (loss, *grads)

    return step
