#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Which model families reach the UCR 1-NN figure on ECG200 (88%) under the app's own-data
# protocol, measured in PyTorch before building any of them into the engine: validation is a
# stratified 20% of NAME_TRAIN, epochs come from a budget of ~1000 Adam steps (10..500) with
# early stopping on the validation loss (patience max(10, epochs/5), best epoch restored), and
# the test file is only scored. Prints each model's test accuracy per seed (docs/tasks.md).
# Usage: /usr/bin/python3 tools/ucr_architectures_torch.py [NAME_TRAIN.txt] [model ...]
import sys

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

torch.set_num_threads(1)


def load(path):
    a = np.loadtxt(path)
    labels = {v: i for i, v in enumerate(sorted(set(a[:, 0])))}
    return a[:, 1:].astype(np.float32), np.array([labels[v] for v in a[:, 0]], dtype=np.int64)


def stratified_split(y, seed):
    rng = np.random.default_rng(seed)
    val = []
    for c in np.unique(y):
        idx = np.where(y == c)[0]
        rng.shuffle(idx)
        val += list(idx[: round(len(idx) * 0.2)])
    val = set(val)
    return np.array([i for i in range(len(y)) if i not in val]), np.array(sorted(val))


class LstmLuong(nn.Module):
    """The app's CSV default: LSTM(64), Luong general attention with h_T as the query (Luong et
    al. 2015, eqs. 5-8), attentional hidden state tanh(W_c [c; h_T]) of 128 units, Dense."""

    def __init__(self, classes, h=64):
        super().__init__()
        self.rnn = nn.LSTM(1, h, batch_first=True)
        self.w = nn.Linear(h, h, bias=False)
        self.wc = nn.Linear(2 * h, 128, bias=False)
        self.out = nn.Linear(128, classes)

    def forward(self, x):
        hs, _ = self.rnn(x.unsqueeze(-1))
        q = hs[:, -1]
        a = F.softmax((self.w(hs) * q.unsqueeze(1)).sum(-1), 1)
        c = (a.unsqueeze(-1) * hs).sum(1)
        return self.out(torch.tanh(self.wc(torch.cat([c, q], 1))))


class FeatureAttentionMlp(nn.Module):
    """The feature-selection demo's model over the T values: x * softmax(W x + b), Dense(64),
    dropout 0.5, Dense."""

    def __init__(self, classes, steps):
        super().__init__()
        self.att = nn.Linear(steps, steps)
        self.hidden = nn.Linear(steps, 64)
        self.out = nn.Linear(64, classes)

    def forward(self, x):
        return self.out(F.dropout(self.hidden(x * F.softmax(self.att(x), 1)), 0.5, self.training))


class ConvGap(nn.Module):
    """Three 'same' convolutions (32 filters; widths 7, 5, 3) with ReLU and global average
    pooling: the FCN of Wang et al. 2017 without batch normalisation, narrower."""

    def __init__(self, classes, c=32):
        super().__init__()
        self.convs = nn.ModuleList([nn.Conv1d(1, c, 7, padding=3), nn.Conv1d(c, c, 5, padding=2),
                                    nn.Conv1d(c, c, 3, padding=1)])
        self.out = nn.Linear(c, classes)

    def forward(self, x):
        t = x.unsqueeze(1)
        for conv in self.convs:
            t = F.relu(conv(t))
        return self.out(t.mean(2))


class ConvAttention(nn.Module):
    """The encoder of Serra et al. 2018 (sec. 3), narrower: convolutions of widths 5, 11, 21 with
    c, 2c, 4c filters, instance normalisation, PReLU, dropout 0.2, max pooling by 2 after the
    first two; then attention pooling over time. heads=0: the paper's split of the last maps into
    2c values and 2c per-channel softmax scores; heads=1: one score per step (one distribution)."""

    def __init__(self, classes, c=32, heads=0):
        super().__init__()
        widths = [c, 2 * c, 4 * c]
        self.convs = nn.ModuleList([nn.Conv1d(1, widths[0], 5, padding=2),
                                    nn.Conv1d(widths[0], widths[1], 11, padding=5),
                                    nn.Conv1d(widths[1], widths[2], 21, padding=10)])
        self.act = nn.ModuleList([nn.PReLU() for _ in widths])
        self.heads = heads
        self.score = nn.Linear(4 * c, 1)
        self.out = nn.Linear(4 * c if heads == 1 else 2 * c, classes)

    def forward(self, x):
        t = x.unsqueeze(1)
        for i, (conv, act) in enumerate(zip(self.convs, self.act)):
            t = F.dropout(act(F.instance_norm(conv(t))), 0.2, self.training)
            if i < 2:
                t = F.max_pool1d(t, 2)
        if self.heads == 1:
            a = F.softmax(self.score(t.transpose(1, 2)).squeeze(-1), 1)
            return self.out((t * a.unsqueeze(1)).sum(2))
        half = t.shape[1] // 2
        return self.out((t[:, :half] * F.softmax(t[:, half:], 2)).sum(2))


class ConvPooling(nn.Module):
    """Convolutions without max pooling, so that one attention weight stays on each input step
    (as the engine's heatmap and series view need), then attention pooling with one learned
    query, the Transformer model's readout (scaled dot-product, Vaswani et al. 2017, eq. 1).
    norm: instance normalisation after each convolution; serra: the widths 5, 11, 21 with c, 2c,
    4c filters, PReLU and dropout 0.2 of Serra et al. 2018; otherwise widths 7, 5, 3, c filters,
    ReLU."""

    def __init__(self, classes, c=32, norm=False, serra=False):
        super().__init__()
        widths, kernels = ([c, 2 * c, 4 * c], [5, 11, 21]) if serra else ([c] * 3, [7, 5, 3])
        chans = [1] + widths
        self.convs = nn.ModuleList([nn.Conv1d(chans[i], chans[i + 1], k, padding=k // 2)
                                    for i, k in enumerate(kernels)])
        self.act = nn.ModuleList([nn.PReLU() if serra else nn.ReLU() for _ in widths])
        self.norm, self.drop = norm, 0.2 if serra else 0.0
        d = widths[-1]
        self.query = nn.Parameter(torch.empty(d).uniform_(-(3 / d) ** 0.5, (3 / d) ** 0.5))
        self.out = nn.Linear(d, classes)

    def forward(self, x):
        t = x.unsqueeze(1)
        for conv, act in zip(self.convs, self.act):
            t = conv(t)
            if self.norm:
                t = F.instance_norm(t)
            t = F.dropout(act(t), self.drop, self.training)
        h = t.transpose(1, 2)  # (B, T, D)
        a = F.softmax((h * self.query).sum(-1) / h.shape[-1] ** 0.5, 1)
        return self.out((h * a.unsqueeze(-1)).sum(1))


class Mlp(nn.Module):
    """The MLP baseline of Wang et al. 2017 (sec. 2.1): three ReLU layers of 500 units, dropout
    0.1 on the input and 0.2, 0.2, 0.3 after each layer; no attention. input_attention puts the
    feature-selection demo's attention over the T steps in front, scaled by T so that uniform
    weights leave the series unchanged: x * T softmax(W x + b)."""

    def __init__(self, classes, steps, input_attention=False):
        super().__init__()
        self.att = nn.Linear(steps, steps) if input_attention else None
        self.hidden = nn.ModuleList([nn.Linear(steps if i == 0 else 500, 500) for i in range(3)])
        self.drops = (0.1, 0.2, 0.2, 0.3)
        self.out = nn.Linear(500, classes)

    def forward(self, x):
        if self.att is not None:
            x = x * (x.shape[1] * F.softmax(self.att(x), 1))
        x = F.dropout(x, self.drops[0], self.training)
        for layer, p in zip(self.hidden, self.drops[1:]):
            x = F.dropout(F.relu(layer(x)), p, self.training)
        return self.out(x)


MODELS = {
    "lstm-luong": lambda k, T: LstmLuong(k),
    "feature-mlp": lambda k, T: FeatureAttentionMlp(k, T),
    "conv-gap": lambda k, T: ConvGap(k),
    "conv-attention": lambda k, T: ConvAttention(k),
    "conv-attention-1": lambda k, T: ConvAttention(k, heads=1),
    "conv-pooling": lambda k, T: ConvPooling(k),
    "conv-norm-pooling": lambda k, T: ConvPooling(k, norm=True),
    "serra-pooling": lambda k, T: ConvPooling(k, norm=True, serra=True),
    "mlp": lambda k, T: Mlp(k, T),
    "attention-mlp": lambda k, T: Mlp(k, T, input_attention=True),
}
SEEDS = (1, 2, 3, 7, 11, 13, 17, 19)


def run(name, train_path, seed, batch=32):
    xtr, ytr = load(train_path)
    xte, yte = load(train_path.replace("_TRAIN", "_TEST"))
    torch.manual_seed(seed)
    tr, va = stratified_split(ytr, seed)
    mu, sd = xtr[tr].mean(), xtr[tr].std()
    def tensor(a):
        return torch.tensor((a - mu) / sd)
    xt, yt = tensor(xtr[tr]), torch.tensor(ytr[tr])
    xv, yv = tensor(xtr[va]), torch.tensor(ytr[va])
    xe, ye = tensor(xte), torch.tensor(yte)
    model = MODELS[name](int(ytr.max()) + 1, xtr.shape[1])
    opt = torch.optim.Adam(model.parameters(), 1e-3)
    batches = (len(tr) + batch - 1) // batch
    epochs = min(500, max(10, -(-1000 // batches)))
    patience = max(10, epochs // 5)
    best = (float("inf"), 0, 0.0)
    best_test = 0.0
    for epoch in range(1, epochs + 1):
        model.train()
        order = torch.randperm(len(tr))
        for i in range(0, len(tr), batch):
            b = order[i:i + batch]
            opt.zero_grad()
            F.cross_entropy(model(xt[b]), yt[b]).backward()
            opt.step()
        model.eval()
        with torch.no_grad():
            val_loss = F.cross_entropy(model(xv), yv).item()
            test = (model(xe).argmax(1) == ye).float().mean().item()
        best_test = max(best_test, test)
        if val_loss < best[0]:
            best = (val_loss, epoch, test)
        elif epoch - best[1] >= patience:
            break
    return best[1], best[2], best_test


def main():
    train_path = sys.argv[1] if len(sys.argv) > 1 else "resources/data/ucr_ecg200/ECG200_TRAIN.txt"
    names = sys.argv[2:] or list(MODELS)
    for name in names:
        results = [run(name, train_path, seed) for seed in SEEDS]
        print(f"{name:18s} test accuracy at the restored epoch: "
              + " ".join(f"{r[1]:.2f}" for r in results)
              + f"  mean {np.mean([r[1] for r in results]):.3f}"
              + f"  (best epoch {' '.join(str(r[0]) for r in results)};"
              + f" any epoch: mean {np.mean([r[2] for r in results]):.3f})", flush=True)


if __name__ == "__main__":
    main()
