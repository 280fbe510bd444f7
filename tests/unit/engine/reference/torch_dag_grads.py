"""Loss and gradients of LayerSpec networks (DESIGN.md section 3) by PyTorch autograd in float64.

An independent reference for tests/unit/engine/dag-torch.test.ts. Reads a JSON list of cases
{spec, weights, X, T} on stdin; writes a JSON list of {loss, grads: {id: {W, b}}} on stdout.
Dropout is the identity (evaluation), as in the engine's gradient checks.
"""
import json
import sys

import torch

torch.set_default_dtype(torch.float64)


def activation(layer, a):
    fn = layer["fn"]
    alpha = layer.get("alpha")
    if fn == "identity":
        return a
    if fn == "sigmoid":
        return torch.sigmoid(a)
    if fn == "tanh":
        return torch.tanh(a)
    if fn == "relu":
        return torch.relu(a)
    if fn == "leaky_relu":
        return torch.nn.functional.leaky_relu(a, 0.01 if alpha is None else alpha)
    if fn == "elu":
        return torch.nn.functional.elu(a, 1.0 if alpha is None else alpha)
    if fn == "softmax":
        return torch.softmax(a, dim=1)
    raise ValueError(fn)


def run(case):
    spec, weights = case["spec"], case["weights"]
    params = {}
    for layer in spec["layers"]:
        if layer["type"] == "dense":
            w = weights[layer["id"]]
            params[layer["id"]] = (
                torch.tensor(w["W"], requires_grad=True),
                torch.tensor(w["b"], requires_grad=True),
            )
    out = {spec["input"]["id"]: torch.tensor(case["X"])}
    for layer in spec["layers"]:
        xs = [out[i] for i in layer["inputs"]]
        kind = layer["type"]
        if kind == "dense":
            W, b = params[layer["id"]]
            y = xs[0] @ W + b
        elif kind == "activation":
            y = activation(layer, xs[0])
        elif kind == "dropout":
            y = xs[0]
        elif kind == "add":
            y = xs[0]
            for x in xs[1:]:
                y = y + x
        elif kind == "concat":
            y = torch.cat(xs, dim=1)
        else:
            raise ValueError(kind)
        out[layer["id"]] = y
    P = out[spec["loss"]["inputs"][0]]
    T = torch.tensor(case["T"])
    B = P.shape[0]
    loss_type = spec["loss"]["type"]
    if loss_type == "mse":
        loss = torch.mean((P - T) ** 2)
    elif loss_type == "cross_entropy":
        loss = -torch.sum(T * torch.log(P)) / B
    else:
        loss = -torch.sum(T * torch.log(P) + (1 - T) * torch.log(1 - P)) / B
    loss.backward()
    return {
        "loss": loss.item(),
        "grads": {k: {"W": W.grad.tolist(), "b": b.grad.tolist()} for k, (W, b) in params.items()},
    }


json.dump([run(case) for case in json.load(sys.stdin)], sys.stdout)
