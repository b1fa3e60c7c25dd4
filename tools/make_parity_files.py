#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes the training-parity reference files of tests/data/parity/ (issue 14, docs/parity.md):
# for every mechanism and cell, the same model as the app's SequenceModel built from torch.nn
# pieces (nn.LSTM / nn.GRU or their cells, F.multi_head_attention_forward, torch's losses and
# torch.optim.Adam), run in float64 for K = 5 Adam steps on fixed batches with dropout off.
# tst_parity loads the files and runs the app's Trainer::trainStep on the same batches.
# Run by hand where torch is installed (not needed in CI): python3 tools/make_parity_files.py
"""usage: make_parity_files.py [OUTPUT_DIR]   (default: tests/data/parity next to this script)

Per case NAME it writes
  NAME.init.safetensors  the initial weights, F32, the app's PyTorch names (loadModelWeights reads it)
  NAME.ref.safetensors   metadata: the model and training settings (strings);
                         x (N, T*F) F32 sample-major inputs (token ids for sentiment), y (N, O) F32,
                         the N rows being the K batches one after another (sizes in "counts");
                         loss (K) F64: the loss of each step (before its update);
                         grad.<param> F64: the gradients of step 1 (at the initial weights);
                         final.<param> F64: every parameter after the K Adam steps.
"""

import json
import math
import os
import struct
import sys

import torch
import torch.nn.functional as Fn

torch.set_default_dtype(torch.float64)

T, F, H, U, B, K = 6, 2, 8, 6, 4, 5
COUNTS = [4, 4, 4, 4, 3]   # the last step is a short batch, as at the end of an epoch
LR, BETA1, BETA2, EPS = 1e-2, 0.9, 0.999, 1e-7   # the app's Adam (core/train/adam.h)
HEADS, LOCAL_D, BASELINE_W, VOCAB, EMBED = 2, 2, 5, 15, 4

# name, attention, cell, loss, outputs, extra settings
CASES = []
LOSSES = {"luong": ("mse", 1), "luong-dot": ("mae", 1), "bahdanau": ("mse", 1),
          "feed-forward": ("ce", 3), "local": ("bce", 1), "self": ("mse", 1), "none": ("mse", 1)}
for cell in ("lstm", "gru"):
    for kind, (loss, outputs) in LOSSES.items():
        CASES.append((f"{kind}-{cell}", kind, cell, loss, outputs, {}))
CASES.append(("self-causal-lstm", "self", "lstm", "mse", 1, {"causal": 1, "window": 3}))
for cell in ("lstm", "gru"):
    CASES.append((f"sentiment-{cell}", "feed-forward", cell, "bce", 1, {"vocabulary": VOCAB}))
CASES.append(("sentiment-luong-lstm", "luong", "lstm", "bce", 1, {"vocabulary": VOCAB}))


def f32(t):
    """Rounded to float32 (so the app's float and double builds start from the same values)."""
    return t.float().double()


def uniform(gen, shape, bound):
    return f32((torch.rand(shape, generator=gen) * 2 - 1) * bound)


def init_params(c, gen):
    """name -> initial tensor (float64 holding float32 values), in the app's params() order."""
    p = {}
    rin = EMBED if c["vocabulary"] else F
    if c["vocabulary"]:
        p["embedding.weight"] = uniform(gen, (VOCAB + 1, EMBED), 0.5)
    g = 4 if c["cell"] == "lstm" else 3
    k = 1 / math.sqrt(H)   # torch.nn.LSTM / GRU's default bound
    for name, shape in (("weight_ih_l0", (g * H, rin)), ("weight_hh_l0", (g * H, H)),
                        ("bias_ih_l0", (g * H,)), ("bias_hh_l0", (g * H,))):
        p[f"{c['cell']}.{name}"] = uniform(gen, shape, k)
    kind = c["attention"]
    glorot = lambda o, i: uniform(gen, (o, i), math.sqrt(6 / (o + i)))
    if kind == "luong":
        p["attention.weight"] = glorot(H, H)
    if kind == "bahdanau":
        p["attention.w1"], p["attention.w2"], p["attention.v"] = glorot(H, H), glorot(H, H), glorot(1, H)
    if kind == "feed-forward":
        p["attention.weight"] = glorot(H, 1)
        p["attention.bias"] = uniform(gen, (T,), 0.5)
    if kind == "local":
        p["attention.w_p"], p["attention.v_p"], p["attention.w_a"] = glorot(H, H), glorot(1, H), glorot(H, H)
    if kind == "self":
        for n in ("w_q", "w_k", "w_v", "w_o"):
            p[f"attention.{n}"] = glorot(H, H)
    if kind in ("luong", "luong-dot", "bahdanau", "local"):
        p["attention.weight_c"] = glorot(U, 2 * H)
    width = {"feed-forward": H, "self": H, "none": BASELINE_W}.get(kind, U)
    if kind == "none":
        p["baseline.weight"] = uniform(gen, (BASELINE_W, H), 1 / math.sqrt(H))
        p["baseline.bias"] = uniform(gen, (BASELINE_W,), 1 / math.sqrt(H))
    p["dense.weight"] = uniform(gen, (c["outputs"], width), 1 / math.sqrt(width))
    p["dense.bias"] = uniform(gen, (c["outputs"],), 1 / math.sqrt(width))
    return p


def recurrent(c, p, u, mask):
    """u (B, T, D) -> h (B, T, H). Unmasked: the torch.nn.LSTM / GRU module c["rnn"], whose
    parameters are p's. Masked: PyTorch's own cells (what nn.LSTMCell / GRUCell run) step by
    step, the state carried through padding (h_t = h_{t-1}, c_t = c_{t-1}), as the app does."""
    cell = c["cell"]
    if mask is None:
        return c["rnn"](u)[0]
    w = [p[f"{cell}.{n}_l0"] for n in ("weight_ih", "weight_hh", "bias_ih", "bias_hh")]
    h = torch.zeros(u.shape[0], H)
    cs = torch.zeros(u.shape[0], H)
    out = []
    for t in range(u.shape[1]):
        m = mask[:, t, None]
        if cell == "lstm":
            hn, cn = torch._VF.lstm_cell(u[:, t], (h, cs), *w)
            cs = torch.where(m, cn, cs)
        else:
            hn = torch._VF.gru_cell(u[:, t], h, *w)
        h = torch.where(m, hn, h)
        out.append(h)
    return torch.stack(out, 1)


def masked_softmax(e, mask):
    return (e if mask is None else e.masked_fill(~mask, -math.inf)).softmax(-1)


def readout(p, h, a, q):
    ctx = (a[..., None] * h).sum(1)
    return torch.tanh(torch.cat([ctx, q], -1) @ p["attention.weight_c"].T)


def attend(c, p, h, mask):
    """h (B, T, H) -> the features (B, D) entering the final Dense (core/attention/*.h)."""
    kind = c["attention"]
    q = h[:, -1]
    if kind in ("luong", "luong-dot"):
        qw = q @ p["attention.weight"] if kind == "luong" else q
        return readout(p, h, masked_softmax((qw[:, None, :] * h).sum(-1), mask), q)
    if kind == "bahdanau":
        e = (torch.tanh(h @ p["attention.w1"].T + (q @ p["attention.w2"].T)[:, None, :])
             @ p["attention.v"].T).squeeze(-1)
        return readout(p, h, masked_softmax(e, mask), q)
    if kind == "feed-forward":
        e = torch.tanh((h @ p["attention.weight"]).squeeze(-1) + p["attention.bias"])
        a = masked_softmax(e, mask)
        return (a[..., None] * h).sum(1)
    if kind == "local":
        steps = h.shape[1]
        m = torch.ones(h.shape[:2], dtype=torch.bool) if mask is None else mask
        first = m.double().argmax(1).double()[:, None]   # the first real step
        length = m.double().sum(1, keepdim=True).clamp(min=1)
        z = torch.tanh(q @ p["attention.w_p"].T) @ p["attention.v_p"].T
        centre = first + length * torch.sigmoid(z)                     # (B, 1)
        w = masked_softmax(((q @ p["attention.w_a"])[:, None, :] * h).sum(-1), mask)
        s = torch.arange(1, steps + 1, dtype=torch.float64)[None, :]
        sigma = LOCAL_D / 2
        a = w * torch.exp(-(s - centre) ** 2 / (2 * sigma * sigma))
        return readout(p, h, a, q)
    if kind == "self":
        steps = h.shape[1]
        attn_mask = None
        if c["causal"] or c["window"]:
            t = torch.arange(steps)[:, None]
            s = torch.arange(steps)[None, :]
            visible = torch.ones(steps, steps, dtype=torch.bool)
            if c["causal"]:
                visible &= s <= t
            if c["window"]:
                visible &= (t - s).abs() < c["window"]
            attn_mask = ~visible
        x = h.transpose(0, 1)   # (T, B, H): the functional form is time-first
        y, _ = Fn.multi_head_attention_forward(
            x, x, x, H, HEADS,
            torch.cat([p["attention.w_q"], p["attention.w_k"], p["attention.w_v"]]), None,
            None, None, False, 0.0, p["attention.w_o"], None, training=True,
            key_padding_mask=None if mask is None else ~mask, need_weights=False,
            attn_mask=attn_mask)
        y = y.transpose(0, 1)   # (B, T, H)
        if mask is None:
            return y.mean(1)
        m = mask.double()[..., None]
        return (y * m).sum(1) / m.sum(1).clamp(min=1)
    # none: the baseline's last state through Dense(W) + ReLU
    return torch.relu(q @ p["baseline.weight"].T + p["baseline.bias"])


def model_forward(c, p, x, mask):
    """x (b, T*F) sample-major as the app stores it -> predictions / logits (b, O)."""
    if c["vocabulary"]:
        u = Fn.embedding(x.long(), p["embedding.weight"])          # (b, T, E)
    else:
        u = x.reshape(x.shape[0], T, F)
    h = recurrent(c, p, u, mask)
    return attend(c, p, h, mask) @ p["dense.weight"].T + p["dense.bias"]


def loss_fn(kind, pred, y):
    if kind == "mse":
        return Fn.mse_loss(pred, y)
    if kind == "mae":
        return Fn.l1_loss(pred, y)
    if kind == "bce":
        return Fn.binary_cross_entropy_with_logits(pred, y)
    return Fn.cross_entropy(pred, y.argmax(1))


def make_data(c, gen):
    n = sum(COUNTS)
    if c["vocabulary"]:
        x = torch.zeros(n, T)
        for r in range(n):   # post-padded sentences of 2..T words
            length = int(torch.randint(2, T + 1, (1,), generator=gen))
            x[r, :length] = torch.randint(1, VOCAB + 1, (length,), generator=gen).double()
    else:
        x = f32(torch.rand(n, T * F, generator=gen))
    o = c["outputs"]
    if c["loss"] == "bce":
        y = torch.randint(0, 2, (n, 1), generator=gen).double()
    elif c["loss"] == "ce":
        y = Fn.one_hot(torch.randint(0, o, (n,), generator=gen), o).double()
    else:
        y = f32(torch.rand(n, o, generator=gen))
    return x, y


def run(c, init, x, y):
    p = {k: v.clone().requires_grad_(True) for k, v in init.items()}
    cell = c["cell"]
    rnn = (torch.nn.LSTM if cell == "lstm" else torch.nn.GRU)(
        EMBED if c["vocabulary"] else F, H, batch_first=True)
    with torch.no_grad():
        for n, v in rnn.named_parameters():
            v.copy_(init[f"{cell}.{n}"])
            p[f"{cell}.{n}"] = v       # the module's own parameters are the ones trained
    c["rnn"] = rnn
    opt = torch.optim.Adam(list(p.values()), lr=LR, betas=(BETA1, BETA2), eps=EPS)
    losses, grads, start = [], {}, 0
    for k, count in enumerate(COUNTS):
        xb, yb = x[start:start + count], y[start:start + count]
        mask = (xb != 0) if c["vocabulary"] else None
        opt.zero_grad()
        loss = loss_fn(c["loss"], model_forward(c, p, xb, mask), yb)
        loss.backward()
        if k == 0:
            grads = {n: v.grad.detach().clone() for n, v in p.items()}
        opt.step()
        losses.append(loss.item())
        start += count
    return losses, grads, {n: v.detach() for n, v in p.items()}


def write_safetensors(path, tensors, metadata):
    """tensors: list of (name, dtype "F32"/"F64", tensor); the format of core/io/safetensors.h."""
    header, blobs, offset = {}, [], 0
    if metadata:
        header["__metadata__"] = metadata
    for name, dtype, t in tensors:
        flat = t.detach().reshape(-1).tolist()
        blob = struct.pack(f"<{len(flat)}{'f' if dtype == 'F32' else 'd'}", *flat)
        header[name] = {"dtype": dtype, "shape": list(t.shape), "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header, separators=(",", ":")).encode()
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else os.path.join(
        os.path.dirname(os.path.abspath(__file__)), "..", "tests", "data", "parity")
    os.makedirs(out, exist_ok=True)
    for index, (name, kind, cell, loss, outputs, extra) in enumerate(CASES):
        c = {"attention": kind, "cell": cell, "loss": loss, "outputs": outputs, "vocabulary": 0,
             "causal": 0, "window": 0}
        c.update(extra)
        gen = torch.Generator().manual_seed(1000 + index)
        init = init_params(c, gen)
        x, y = make_data(c, gen)
        losses, grads, final = run(c, init, x, y)
        meta = {"attention": kind, "cell": cell, "loss": loss, "inputs": "1" if c["vocabulary"] else str(F),
                "steps": str(T), "hidden": str(H), "units": str(U), "outputs": str(outputs),
                "batch": str(B), "counts": ",".join(map(str, COUNTS)), "learning_rate": repr(LR),
                "heads": str(HEADS), "causal": str(c["causal"]), "window": str(c["window"]),
                "local_half_width": str(LOCAL_D), "baseline_units": str(BASELINE_W),
                "vocabulary": str(c["vocabulary"]), "embedding": str(EMBED),
                "torch": torch.__version__}
        write_safetensors(os.path.join(out, name + ".init.safetensors"),
                          [(n, "F32", v) for n, v in init.items()], {"format": "pt"})
        ref = [("x", "F32", x), ("y", "F32", y), ("loss", "F64", torch.tensor(losses))]
        ref += [("grad." + n, "F64", v) for n, v in grads.items()]
        ref += [("final." + n, "F64", v) for n, v in final.items()]
        write_safetensors(os.path.join(out, name + ".ref.safetensors"), ref, meta)
        print(f"{name}: losses " + " ".join(f"{v:.6f}" for v in losses))


if __name__ == "__main__":
    main()
