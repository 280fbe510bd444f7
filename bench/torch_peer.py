"""PyTorch CPU in the benchmark (bench/torch-runner.ts starts this with Debian's /usr/bin/python3).

One thread (torch.set_num_threads(1), and OPENBLAS_NUM_THREADS=1 from the runner), the same
network, initial weights, data, batch order and momentum SGD as the engine. The first stdin line is a JSON job: sizes, batchSize, dtype, lr,
momentum, and the path of a file holding float64 X, Y, then W_0, b_0, W_1, b_1, ... (W as
in x out, the engine's layout). Each later line "time S" trains for about S seconds and answers
one JSON line: samples, seconds (the steps' own time) and the last loss; "steps N" takes N steps
and answers their losses (what the tests compare with the engine's). "quit" ends it.
"""
import json
import os
import sys
import time

import numpy as np
import torch


def loaded_blas() -> str:
    """The BLAS libraries this process has loaded (Debian's torch calls whichever libblas.so.3
    the alternatives system points to: the slow reference one unless OpenBLAS is installed)."""
    try:
        with open("/proc/self/maps", encoding="utf-8") as maps:
            paths = {line.split()[-1] for line in maps if "blas" in line or "mkl" in line}
    except OSError:
        return "unknown"
    return ", ".join(sorted(os.path.realpath(p) for p in paths if p.startswith("/"))) or "none"


def os_threads() -> int:
    """This process's OS threads. torch.set_num_threads(1) does not stop OpenBLAS's pthread build
    from starting a worker of its own (it spins on the second core); OPENBLAS_NUM_THREADS=1 in
    the environment, which torch-runner.ts sets, does."""
    try:
        return len(os.listdir("/proc/self/task"))
    except OSError:
        return -1


def main() -> None:
    torch.set_num_threads(1)
    job = json.loads(sys.stdin.readline())
    sizes, batch = job["sizes"], job["batchSize"]
    dtype = torch.float32 if job["dtype"] == "float32" else torch.float64
    raw = np.fromfile(job["data"], dtype=np.float64)
    rows = job["rows"]
    at = 0

    def take(count):
        nonlocal at
        part = raw[at : at + count]
        at += count
        return part

    X = torch.tensor(take(rows * sizes[0]).reshape(rows, sizes[0]), dtype=dtype)
    Y = torch.tensor(take(rows * sizes[-1]).reshape(rows, sizes[-1]), dtype=dtype)
    labels = Y.argmax(dim=1)
    layers = []
    for i in range(len(sizes) - 1):
        linear = torch.nn.Linear(sizes[i], sizes[i + 1]).to(dtype)
        with torch.no_grad():
            linear.weight.copy_(torch.tensor(take(sizes[i] * sizes[i + 1]).reshape(sizes[i], sizes[i + 1]).T))
            linear.bias.copy_(torch.tensor(take(sizes[i + 1])))
        layers.append(linear)
        if i + 2 < len(sizes):
            layers.append(torch.nn.ReLU())
    model = torch.nn.Sequential(*layers)
    # torch's momentum (v = mu v + g; w -= lr v) is the engine's (v = mu v + lr g; w -= v) for a
    # constant learning rate.
    optimizer = torch.optim.SGD(model.parameters(), lr=job["lr"], momentum=job["momentum"])
    loss_fn = torch.nn.CrossEntropyLoss()
    batches = rows // batch
    position = 0

    def step(k: int) -> float:
        """One momentum SGD step on batch k; its loss."""
        x = X[k * batch : (k + 1) * batch]
        t = labels[k * batch : (k + 1) * batch]
        optimizer.zero_grad()
        value = loss_fn(model(x), t)
        value.backward()
        optimizer.step()
        return value.item()

    torch.ones(4, 4, dtype=dtype) @ torch.ones(4, 4, dtype=dtype)  # loads the BLAS, trains nothing
    print(json.dumps({"ready": True, "blas": loaded_blas(), "threads": os_threads()}), flush=True)
    for line in sys.stdin:
        command = line.split()
        if not command or command[0] == "quit":
            break
        if command[0] == "steps":
            losses = []
            for _ in range(int(command[1])):
                losses.append(step(position))
                position = (position + 1) % batches
            print(json.dumps({"losses": losses}), flush=True)
            continue
        seconds = float(command[1])
        samples, spent, loss = 0, 0.0, float("nan")
        start = time.perf_counter()
        while time.perf_counter() - start < seconds:
            t0 = time.perf_counter()
            loss = step(position)
            spent += time.perf_counter() - t0
            samples += batch
            position = (position + 1) % batches
        print(json.dumps({"samples": samples, "seconds": spent, "loss": loss}), flush=True)


if __name__ == "__main__":
    main()
