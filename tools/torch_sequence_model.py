# SPDX-License-Identifier: GPL-3.0-or-later
# The app's SequenceModel (core/models/sequencemodel.h) as a torch.nn.Module for every sequence
# mechanism (luong, luong-dot, bahdanau, feed-forward, local, self, none, plain) and both cells,
# at any size, with the app's Keras-style initialisation; plus the max task's data. Used by
# tools/bench_torch.py (speed side by side, docs/benchmarks.md); the add data and Glorot init
# come from tools/train_add_torch.py, the equations from core/attention/*.h.
"""SequenceModel(kind, inputs, hidden, units, steps, ...): x (B, T, F) -> (predictions (B, O),
attention weights (B, T) or None)."""

import math

import torch
import torch.nn.functional as Fn

from train_add_torch import glorot_, make_add  # noqa: F401  (make_add re-exported for callers)

KINDS = ["luong", "luong-dot", "bahdanau", "feed-forward", "local", "self", "none"]


def make_max(n, steps, gen):
    """core/data/task.cpp, makeMaxTask: x_t ~ Beta(1/T, 1) by inversion (u^T); y = max_t x_t;
    ground truth 1 at the argmax."""
    x = torch.rand(n, steps, generator=gen, dtype=torch.float64) ** steps
    y, arg = x.max(1)
    truth = torch.zeros(n, steps, dtype=torch.float64)
    truth[torch.arange(n), arg] = 1
    return x[..., None], y[:, None], truth


def baseline_width(reference_params, inputs, hidden, outputs, cell="lstm"):
    """model.cpp, baselineWidth: the hidden Dense width W of "none" whose parameter count is
    closest to the reference mechanism's; 0 when the bare baseline is already within 5%."""
    gates = 4 if cell == "lstm" else 3
    rnn = gates * hidden * (inputs + hidden + 2)
    bare = rnn + hidden * outputs + outputs
    target = float(reference_params)
    if abs(bare - target) <= 0.05 * target:
        return 0
    base = bare - (hidden * outputs + outputs)
    count = lambda w: base + (hidden + 1) * w + (w + 1) * outputs
    best = max(1, int(math.floor((target - base - outputs) / (hidden + 1 + outputs) + 0.5)))
    for w in (best - 1, best + 1):
        if w >= 1 and abs(count(w) - target) < abs(count(best) - target):
            best = w
    return best


def rnn_gates(cell):
    return 4 if cell == "lstm" else 3


class SequenceModel(torch.nn.Module):
    """Recurrent layer (H) -> attention (kind) -> Dropout(p) -> Dense(O), as SequenceModel."""

    def __init__(self, kind, inputs, hidden, units, steps, outputs=1, dropout=0.0, cell="lstm",
                 heads=1, local_half_width=4, baseline_units=0):
        super().__init__()
        self.kind, self.heads, self.dropout = kind, heads, dropout
        self.sigma = local_half_width / 2
        H, U = hidden, units
        rnn = torch.nn.LSTM if cell == "lstm" else torch.nn.GRU
        self.rnn = rnn(inputs, H, batch_first=True)
        new = lambda *shape: torch.nn.Parameter(torch.empty(*shape))
        own = []   # the mechanism's Glorot-initialised weights
        width = U
        if kind in ("luong", "local"):
            self.weight = new(H, H)                     # W of luong's general score, W_a of local
            own.append(self.weight)
        if kind == "local":
            self.w_p, self.v_p = new(H, H), new(1, H)
            own += [self.w_p, self.v_p]
        if kind == "bahdanau":
            self.w1, self.w2, self.v = new(H, H), new(H, H), new(1, H)
            own += [self.w1, self.w2, self.v]
        readout = kind in ("luong", "luong-dot", "bahdanau", "local")
        if readout:
            self.weight_c = new(U, 2 * H)
        if kind == "feed-forward":
            self.ff_weight = new(H, 1)
            self.ff_bias = torch.nn.Parameter(torch.zeros(steps))
            own.append(self.ff_weight)
            width = H
        if kind == "self":
            self.w_q, self.w_k, self.w_v, self.w_o = new(H, H), new(H, H), new(H, H), new(H, H)
            own += [self.w_q, self.w_k, self.w_v, self.w_o]
            width = H
        if kind in ("none", "plain"):
            self.baseline = torch.nn.Linear(H, baseline_units) if baseline_units > 0 else None
            width = baseline_units if baseline_units > 0 else H
        self.dense = torch.nn.Linear(width, outputs)
        # Keras-style initialisation, drawn in tools/train_add_torch.py's order (so that add with
        # luong or bahdanau starts from the same weights as there): the input kernel, the
        # orthogonal recurrent kernel, zero biases with a unit forget bias, then weight_c, the
        # Dense kernel and the mechanism's weights. The baseline's hidden Dense keeps PyTorch's
        # default init (the app: Dense's own init, dense.cpp).
        glorot_(self.rnn.weight_ih_l0)
        with torch.no_grad():
            q = torch.empty(rnn_gates(cell) * H, H)
            torch.nn.init.orthogonal_(q)
            self.rnn.weight_hh_l0.copy_(q)
            self.rnn.bias_ih_l0.zero_()
            self.rnn.bias_hh_l0.zero_()
            if cell == "lstm":
                self.rnn.bias_ih_l0[H:2 * H] = 1.0
            self.dense.bias.zero_()
        for p in ([self.weight_c] if readout else []) + [self.dense.weight] + own:
            glorot_(p)

    def readout(self, h, a, q):
        c = (a[..., None] * h).sum(1)
        return torch.tanh(torch.cat([c, q], -1) @ self.weight_c.T)

    def attend(self, h):
        """h (B, T, H) -> (features (B, D), attention weights (B, T) or None)."""
        kind, q = self.kind, h[:, -1]
        if kind in ("luong", "luong-dot"):
            qw = q @ self.weight if kind == "luong" else q
            a = (qw[:, None, :] * h).sum(-1).softmax(-1)
            return self.readout(h, a, q), a
        if kind == "bahdanau":
            e = (torch.tanh(h @ self.w1.T + (q @ self.w2.T)[:, None, :]) @ self.v.T).squeeze(-1)
            a = e.softmax(-1)
            return self.readout(h, a, q), a
        if kind == "feed-forward":
            a = torch.tanh((h @ self.ff_weight).squeeze(-1) + self.ff_bias).softmax(-1)
            return (a[..., None] * h).sum(1), a
        if kind == "local":   # local-p: T sigmoid(v_p tanh(W_p h_T)), positions s = 1..T
            steps = h.shape[1]
            centre = steps * torch.sigmoid(torch.tanh(q @ self.w_p.T) @ self.v_p.T)   # (B, 1)
            w = ((q @ self.weight)[:, None, :] * h).sum(-1).softmax(-1)
            s = torch.arange(1, steps + 1, dtype=h.dtype)[None, :]
            a = w * torch.exp(-(s - centre) ** 2 / (2 * self.sigma ** 2))
            return self.readout(h, a, q), a
        if kind == "self":    # multi-head scaled dot-product, mean over steps, then W_o
            b, steps, width = h.shape
            k, dk = self.heads, width // self.heads
            split = lambda m: (h @ m.T).view(b, steps, k, dk).transpose(1, 2)   # (B, K, T, dk)
            qh, kh, vh = split(self.w_q), split(self.w_k), split(self.w_v)
            att = (qh @ kh.transpose(-1, -2) / math.sqrt(dk)).softmax(-1)      # (B, K, T, T)
            ctx = (att @ vh).transpose(1, 2).reshape(b, steps, width)
            return ctx.mean(1) @ self.w_o.T, att.mean((1, 2))
        if self.baseline is not None:   # none: Dense(W) + ReLU on the last state
            return torch.relu(self.baseline(q)), None
        return q, None

    def forward(self, x):
        h, _ = self.rnn(x)                               # (B, T, H)
        features, a = self.attend(h)
        features = Fn.dropout(features, self.dropout, self.training)
        return self.dense(features), a


def parameter_count(model):
    return sum(p.numel() for p in model.parameters())
