/**
 * The part of the PyTorch export that is the same for every model: reading CSV rows, the app's
 * seeded split and shuffles, the optimizers and penalties of DESIGN.md §2 written out by hand,
 * the training loop (one process, or DistributedDataParallel under torchrun), writing the model
 * file, and the command line. pytorch.ts puts the model's own part (weights, Model) before it.
 *
 * It relies on these names from the generated part: MODEL_FILE, WEIGHTS, WEIGHTS_FROM_SEED,
 * INIT_DRAWS, Model, load_model, data_loss (functions read them when called, so the bulky model
 * file block can come last, after the code a reader studies).
 */
export const PYTORCH_RUNTIME = String.raw`
def fail(message):
    """A problem the user can fix: the message alone on stderr, exit code 1."""
    print(message, file=sys.stderr)
    sys.exit(1)


# --- Reading data -------------------------------------------------------------------------------


def class_index(label):
    """The output column of a class label: exact text first, then the same number ("3" = "3.0")."""
    label = label.strip()
    if label in CLASSES:
        return CLASSES.index(label)
    try:
        value = float(label)
    except ValueError:
        return -1
    for k, name in enumerate(CLASSES):
        try:
            if float(name) == value:
                return k
        except ValueError:
            pass
    return -1


def read_csv(path, need_target):
    """Feature rows (N x F, in FEATURES order) and, when the target column is there, the targets
    (class indices or values)."""
    try:
        with open(path, newline="", encoding="utf-8-sig") as f:
            lines = list(enumerate(csv.reader(f), start=1))
    except OSError as error:
        fail(f"Cannot read {path}: {error.strerror}.")
    lines = [(n, row) for n, row in lines if any(cell.strip() for cell in row)]
    if not lines:
        fail(f"{path} is empty.")
    header = [cell.strip() for cell in lines[0][1]]
    missing = [name for name in FEATURES if name not in header]
    if missing:
        fail(f"{path} has no column {', '.join(missing)}, which the model reads.")
    columns = [header.index(name) for name in FEATURES]
    target = header.index(TARGET) if TARGET in header else -1
    if need_target and target == -1:
        fail(f'{path} has no column "{TARGET}" (the target the model predicts).')
    X, targets = [], []
    for n, row in lines[1:]:
        try:
            values = [float(row[j]) for j in columns]
        except (ValueError, IndexError):
            values = [math.nan]
        if not all(math.isfinite(v) for v in values):
            fail(f"{path}: line {n} has a missing or non-numeric feature value.")
        X.append(values)
        if target == -1:
            continue
        cell = row[target] if target < len(row) else ""
        if TASK == "classification":
            k = class_index(cell)
            if k == -1:
                fail(f'{path}: line {n}: "{cell}" is not one of the model\'s classes ({", ".join(CLASSES)}).')
            targets.append(k)
        else:
            try:
                targets.append(float(cell))
            except ValueError:
                fail(f'{path}: line {n}: "{cell}" is not a number.')
    return torch.tensor(X, dtype=torch.float64).reshape(len(X), len(FEATURES)), (targets if target != -1 else None)


def encode_targets(targets):
    """The matrix the loss compares outputs with: one-hot for cross-entropy (and mse on classes),
    one column t for binary cross-entropy (t = 1 for the second class) and for regression."""
    if TASK == "regression" or LOSS == "binary_cross_entropy":
        return torch.tensor(targets, dtype=torch.float64).reshape(-1, 1)
    T = torch.zeros(len(targets), len(CLASSES), dtype=torch.float64)
    T[torch.arange(len(targets)), torch.tensor(targets, dtype=torch.long)] = 1.0
    return T


# --- The app's seeded random numbers (so the split and the shuffles are the app's) -------------


class SeededRandom:
    """mulberry32, the generator behind every random choice in the app. skip = draws already used."""

    def __init__(self, seed, skip=0):
        self.state = (int(seed) + skip * 0x6D2B79F5) & 0xFFFFFFFF

    def next(self):
        """Uniform in [0, 1)."""
        self.state = (self.state + 0x6D2B79F5) & 0xFFFFFFFF
        t = self.state
        t = ((t ^ (t >> 15)) * (t | 1)) & 0xFFFFFFFF
        t ^= (t + (((t ^ (t >> 7)) * (t | 61)) & 0xFFFFFFFF)) & 0xFFFFFFFF
        return ((t ^ (t >> 14)) & 0xFFFFFFFF) / 4294967296

    def shuffle(self, items):
        """Fisher-Yates in place, from the last item down; returns items."""
        for i in range(len(items) - 1, 0, -1):
            j = int(self.next() * (i + 1))
            items[i], items[j] = items[j], items[i]
        return items


def split_rows(targets, test_fraction, seed):
    """The app's train/test split: round(fraction * n) test rows, stratified by class (largest
    remainders get the rows still missing), each list shuffled by the seeded generator."""
    rng = SeededRandom(seed)
    n = len(targets)
    if TASK == "classification":
        groups = [[] for _ in CLASSES]
        for i, k in enumerate(targets):
            groups[k].append(i)
    else:
        groups = [list(range(n))]
    total = min(math.floor(test_fraction * n + 0.5), max(n - 1, 0))
    exact = [len(g) * test_fraction for g in groups]
    counts = [math.floor(e) for e in exact]
    missing = total - sum(counts)
    for k in sorted(range(len(groups)), key=lambda k: (-(exact[k] - counts[k]), k)):
        if missing <= 0:
            break
        if counts[k] < len(groups[k]):
            counts[k] += 1
            missing -= 1
    train, test = [], []
    for k, group in enumerate(groups):
        shuffled = rng.shuffle(list(group))
        test += shuffled[: counts[k]]
        train += shuffled[counts[k]:]
    return rng.shuffle(train), rng.shuffle(test)


def fit_standardization(X):
    """Mean and population std of each training column (a constant column gets std 1)."""
    mean = X.sum(dim=0) / X.shape[0]
    std = torch.sqrt(((X - mean) ** 2).sum(dim=0) / X.shape[0])
    return mean, torch.where(std > 0, std, torch.ones_like(std))


# --- Penalties and optimizers (DESIGN §2, by hand: torch.optim places lr and eps differently) --


def penalty(weights, l1, l2):
    """(l2/2) sum W^2 + l1 sum |W| over the weights, never the biases."""
    return sum(0.5 * l2 * (W**2).sum().item() + l1 * W.abs().sum().item() for W in weights)


def add_penalty_gradient(weights, l1, l2):
    """grad W += l2 W + l1 sign(W)  (sign(0) = 0)."""
    for W in weights:
        W.grad += l2 * W + l1 * torch.sign(W)


class Optimizer:
    """Updates parameters from their .grad; state (velocities, averages) starts at zero."""

    def __init__(self, params, settings):
        self.params = list(params)
        self.lr = settings["learningRate"]
        self.momentum = settings.get("momentum", 0.9)
        self.rho = settings.get("rho", 0.9)
        self.beta1 = settings.get("beta1", 0.9)
        self.beta2 = settings.get("beta2", 0.999)
        self.eps = settings.get("epsilon", 1e-8)
        self.state = [[torch.zeros_like(p), torch.zeros_like(p)] for p in self.params]
        self.t = 0

    @torch.no_grad()
    def step(self):
        self.t += 1
        for p, (a, s) in zip(self.params, self.state):
            self.update(p, p.grad, a, s)


class SGD(Optimizer):
    def update(self, w, g, _a, _s):
        w -= self.lr * g  # w -= lr g


class Momentum(Optimizer):
    def update(self, w, g, v, _s):
        v.mul_(self.momentum).add_(self.lr * g)  # v = mu v + lr g
        w -= v  # w -= v


class Nesterov(Optimizer):
    def update(self, w, g, v, _s):
        step = self.lr * g
        v.mul_(self.momentum).add_(step)  # v_new = mu v + lr g
        w -= self.momentum * v + step  # w -= mu v_new + lr g


class Adagrad(Optimizer):
    def update(self, w, g, G, _s):
        G += g * g  # G += g^2
        w -= self.lr * g / (torch.sqrt(G) + self.eps)  # w -= lr g / (sqrt(G) + eps)


class RMSprop(Optimizer):
    def update(self, w, g, s, _a):
        s.mul_(self.rho).add_((1 - self.rho) * g * g)  # s = rho s + (1 - rho) g^2
        w -= self.lr * g / (torch.sqrt(s) + self.eps)  # w -= lr g / (sqrt(s) + eps)


class Adam(Optimizer):
    def update(self, w, g, m, s):
        b1, b2, t = self.beta1, self.beta2, self.t
        m.mul_(b1).add_((1 - b1) * g)  # m = b1 m + (1 - b1) g
        s.mul_(b2).add_((1 - b2) * g * g)  # s = b2 s + (1 - b2) g^2
        m_hat, s_hat = m / (1 - b1**t), s / (1 - b2**t)  # bias corrections, t from 1
        w -= self.lr * m_hat / (torch.sqrt(s_hat) + self.eps)


OPTIMIZERS = {"sgd": SGD, "momentum": Momentum, "nesterov": Nesterov, "adagrad": Adagrad, "rmsprop": RMSprop, "adam": Adam}


# --- Evaluating and training --------------------------------------------------------------------


def row_classes(M):
    """The class each row stands for: argmax, or p >= 0.5 with one column."""
    return (M[:, 0] >= 0.5).long() if M.shape[1] == 1 else M.argmax(dim=1)


def r_squared(P, T):
    residual = ((T - P) ** 2).sum().item()
    total = ((T - T.mean(dim=0)) ** 2).sum().item()
    return (1.0 if residual == 0 else 0.0) if total == 0 else 1 - residual / total


@torch.no_grad()
def evaluate(model, X, T):
    """Loss (no penalty) and accuracy or R^2 on one split; NaN for an empty split."""
    if X.shape[0] == 0:
        return float("nan"), float("nan")
    loss = data_loss(model, X, T).item()
    P = model(X)
    if TASK == "classification":
        return loss, (row_classes(P) == row_classes(T)).double().mean().item()
    return loss, r_squared(P, T)


def dense_weights(model):
    """The weight matrices (what the penalties apply to), not the biases."""
    return [layer.weight for layer in model.modules() if isinstance(layer, nn.Linear)]


def weights_json(model):
    """The model file's weights block: W as inputs x units (nn.Linear keeps units x inputs)."""
    return {
        node_id: {"W": layer.weight.detach().cpu().t().tolist(), "b": layer.bias.detach().cpu().tolist()}
        for node_id, layer in model.dense_layers().items()
    }


def batches(order, size):
    for start in range(0, len(order), size):
        yield order[start : start + size]


def train(csv_path, epochs, out_path, shuffle):
    world = int(os.environ.get("WORLD_SIZE", "1"))
    distributed = world > 1
    rank = 0
    device = torch.device("cpu")
    if distributed:
        # torchrun sets RANK, LOCAL_RANK, WORLD_SIZE, MASTER_ADDR and MASTER_PORT.
        cuda = torch.cuda.is_available()
        dist.init_process_group("nccl" if cuda else "gloo")
        rank = dist.get_rank()
        if cuda:
            device = torch.device("cuda", int(os.environ.get("LOCAL_RANK", "0")))
            torch.cuda.set_device(device)
    say = (lambda text: print(text, file=sys.stderr)) if rank == 0 else (lambda text: None)

    X, targets = read_csv(csv_path, need_target=True)
    if X.shape[0] == 0:
        fail(f"{csv_path} has no rows.")
    T = encode_targets(targets)
    train_rows, test_rows = split_rows(targets, TRAINING["testFraction"], TRAINING["seed"])
    # Dropout masks come from torch's generator, seeded from the file (the same run twice gives
    # the same weights; the app's masks come from its own generator, so they differ from these).
    torch.manual_seed(int(TRAINING["seed"]) + rank)
    model = Model()
    if TRAINING.get("standardize", True):
        model.mean, model.std = fit_standardization(X[train_rows])
    else:
        model.mean, model.std = torch.zeros(X.shape[1]), torch.ones(X.shape[1])
    model.to(device)
    X, T = X.to(device), T.to(device)
    x_train, t_train, x_test, t_test = X[train_rows], T[train_rows], X[test_rows], T[test_rows]

    net = DistributedDataParallel(model) if distributed else model
    optimizer = OPTIMIZERS[TRAINING["optimizer"]["name"]](model.parameters(), TRAINING["optimizer"])
    l1, l2 = TRAINING.get("l1", 0), TRAINING.get("l2", 0)
    batch_size = TRAINING["batchSize"]
    if distributed:
        # Each process takes its share of every batch; DDP averages their gradients, which for
        # these mean losses is the gradient of the whole batch.
        batch_size = max(1, batch_size // world)
        sampler = DistributedSampler(range(len(train_rows)), num_replicas=world, rank=rank, shuffle=shuffle, seed=int(TRAINING["seed"]))
        say(f"DistributedDataParallel: {world} processes ({dist.get_backend()}), {batch_size} rows each per step.")
    else:
        # The app's sequence: the same generator drew the initial weights, then shuffles.
        rng = SeededRandom(TRAINING["seed"], skip=INIT_DRAWS)
        order = list(range(len(train_rows)))

    history = {"epoch": [], "trainLoss": [], "testLoss": []}
    score = "Accuracy" if TASK == "classification" else "R2"
    history["train" + score], history["test" + score] = [], []
    for epoch in range(1, epochs + 1):
        if distributed:
            sampler.set_epoch(epoch)
            order = list(sampler)
        elif shuffle:
            rng.shuffle(order)
        net.train()
        for rows in batches(order, batch_size):
            net.zero_grad(set_to_none=True)
            loss = data_loss(net, x_train[rows], t_train[rows])
            loss.backward()
            add_penalty_gradient(dense_weights(model), l1, l2)
            total = loss.item() + penalty(dense_weights(model), l1, l2)
            optimizer.step()
            if not math.isfinite(total) or not all(torch.isfinite(p).all() for p in model.parameters()):
                fail(f"Training diverged at epoch {epoch}: the loss or the weights became NaN or Infinity. Nothing was written. Try a lower learning rate.")
        model.eval()
        train_loss, train_score = evaluate(model, x_train, t_train)
        test_loss, test_score = evaluate(model, x_test, t_test)
        for key, value in (("epoch", epoch), ("trainLoss", train_loss), ("testLoss", test_loss), ("train" + score, train_score), ("test" + score, test_score)):
            history[key].append(value)
        say(f"epoch {epoch}/{epochs}  train loss {train_loss:.6g}  test loss {test_loss:.6g}  test {score.lower()} {test_score:.4g}")

    if rank == 0:
        metrics = {"trainLoss": train_loss, "testLoss": test_loss, "train" + score: train_score, "test" + score: test_score}
        write_model_file(out_path, model.cpu(), history, metrics, epochs)
        say(f"Wrote {out_path}")
    if distributed:
        dist.barrier()
        dist.destroy_process_group()


# --- Writing the model file the app imports -----------------------------------------------------


def without_nan(value):
    """JSON has no NaN: the model file writes a missing value as null."""
    if isinstance(value, float) and not math.isfinite(value):
        return None
    if isinstance(value, list):
        return [without_nan(v) for v in value]
    if isinstance(value, dict):
        return {k: without_nan(v) for k, v in value.items()}
    return value


def write_model_file(path, model, history, metrics, epochs):
    out = copy.deepcopy(MODEL_FILE)
    out["weights"] = weights_json(model)
    if TRAINING.get("standardize", True):
        out["data"]["standardize"] = {"mean": model.mean.tolist(), "std": model.std.tolist()}
    else:
        out["data"].pop("standardize", None)
    before = TRAINING.get("history") or {}
    if not WEIGHTS_FROM_SEED and before.get("epoch"):
        # Training went on from the file's weights: its history continues, epochs numbered on.
        offset = before["epoch"][-1]
        history = {key: (before.get(key) or []) + (values if key != "epoch" else [e + offset for e in values]) for key, values in history.items()}
    out["training"]["epochs"] = epochs
    out["training"]["history"] = history
    out["training"]["metrics"] = metrics
    # Whole or not at all: a temporary file beside the target, then one rename.
    folder = os.path.dirname(os.path.abspath(path))
    handle, temporary = tempfile.mkstemp(dir=folder, prefix=".", suffix=".tmp")
    try:
        with os.fdopen(handle, "w", encoding="utf-8") as f:
            json.dump(without_nan(out), f, indent=2, allow_nan=False)
            f.write("\n")
        os.replace(temporary, path)
    except BaseException:
        os.unlink(temporary)
        raise


# --- Command line -------------------------------------------------------------------------------


def predict(csv_path):
    X, _ = read_csv(csv_path, need_target=False)
    with torch.no_grad():
        outputs = load_model()(X)
    if TASK == "classification":
        predictions = [CLASSES[k] for k in row_classes(outputs).tolist()]
    else:
        predictions = outputs[:, 0].tolist()
    print(json.dumps({"predictions": predictions, "outputs": outputs.tolist()}))


def main(argv):
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    commands = parser.add_subparsers(dest="command", required=True)
    p = commands.add_parser("predict", help="print the outputs for the rows of a CSV file as JSON")
    p.add_argument("data", help="CSV file with the feature columns (by name)")
    t = commands.add_parser("train", help="train on a CSV file and write a model file")
    t.add_argument("data", help="CSV file with the feature columns and the target column")
    t.add_argument("--epochs", type=int, default=TRAINING["epochs"], help="default: the file's")
    default_out = os.path.splitext(os.path.basename(sys.argv[0]))[0] + ".model.json"
    t.add_argument("--out", default=default_out, help=f"model file to write (default: {default_out})")
    t.add_argument("--no-shuffle", action="store_true", help="visit the rows in the same order every epoch")
    args = parser.parse_args(argv)
    if args.command == "predict":
        predict(args.data)
    else:
        if args.epochs < 1:
            fail("--epochs must be 1 or more.")
        train(args.data, args.epochs, args.out, TRAINING.get("shuffle", True) and not args.no_shuffle)
`;

/** After the model file's block: the names the runtime reads, and the entry point. */
export const PYTORCH_MAIN = String.raw`
DATA = MODEL_FILE["data"]
FEATURES = DATA["features"]
TARGET = DATA["target"]
TASK = DATA["task"]
CLASSES = DATA["classes"]
TRAINING = MODEL_FILE["training"]
LOSS = MODEL_FILE["spec"]["loss"]["type"]

if __name__ == "__main__":
    main(sys.argv[1:])
`;
