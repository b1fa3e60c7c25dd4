#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Writes the training-parity reference files of tests/data/parity/ (issue 14, docs/parity.md):
# for every mechanism and cell, the same model as the app's SequenceModel built from torch.nn
# pieces (nn.LSTM / nn.GRU or their cells, F.multi_head_attention_forward, torch's losses and
# torch.optim.Adam), and the transformer mechanism's TransformerModel around
# nn.TransformerEncoder(nn.TransformerEncoderLayer) with the warmup schedule as a LambdaLR,
# run in float64 for K = 5 Adam steps on fixed batches with dropout off.
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
# The transformer cases: d_model, encoder layers, feed-forward width, warmup steps (the
# schedule of core/train/learningrateschedule.h rises over steps 1-3 and decays over 4-5).
TD, TN, TFF, WARMUP = 8, 2, 12, 3

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
CASES.append(("transformer", "transformer", "lstm", "mse", 1, {}))
CASES.append(("transformer-pre-norm", "transformer", "lstm", "mse", 1, {"pre_norm": 1}))
CASES.append(("sentiment-transformer", "transformer", "lstm", "bce", 1, {"vocabulary": VOCAB}))


def f32(t):
    """Rounded to float32 (so the app's float and double builds start from the same values)."""
    return t.float().double()


def uniform(gen, shape, bound):
    return f32((torch.rand(shape, generator=gen) * 2 - 1) * bound)


def init_params(c, gen):
    """name -> initial tensor (float64 holding float32 values), in the app's params() order."""
    if c["attention"] == "transformer":
        return init_transformer(c, gen)
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


def init_transformer(c, gen):
    """The transformer mechanism's parameters (transformermodel.h), in its params() order; the
    LayerNorm weights near 1 and every bias non-zero, so that each one is checked."""
    p = {}
    glorot = lambda o, i: uniform(gen, (o, i), math.sqrt(6 / (o + i)))
    if c["vocabulary"]:
        p["embedding.weight"] = uniform(gen, (VOCAB + 1, TD), 0.5)
    else:
        p["input_projection.weight"] = uniform(gen, (TD, F), 1 / math.sqrt(F))
        p["input_projection.bias"] = uniform(gen, (TD,), 1 / math.sqrt(F))
    for l in range(TN):
        q = f"encoder.layers.{l}."
        p[q + "self_attn.in_proj_weight"] = glorot(3 * TD, TD)
        p[q + "self_attn.in_proj_bias"] = uniform(gen, (3 * TD,), 0.3)
        p[q + "self_attn.out_proj.weight"] = glorot(TD, TD)
        p[q + "self_attn.out_proj.bias"] = uniform(gen, (TD,), 0.3)
        p[q + "linear1.weight"] = uniform(gen, (TFF, TD), 1 / math.sqrt(TD))
        p[q + "linear1.bias"] = uniform(gen, (TFF,), 1 / math.sqrt(TD))
        p[q + "linear2.weight"] = uniform(gen, (TD, TFF), 1 / math.sqrt(TFF))
        p[q + "linear2.bias"] = uniform(gen, (TD,), 1 / math.sqrt(TFF))
        for n in ("norm1", "norm2"):
            p[q + n + ".weight"] = f32(1 + uniform(gen, (TD,), 0.3))
            p[q + n + ".bias"] = uniform(gen, (TD,), 0.3)
    if c["pre_norm"]:
        p["encoder.norm.weight"] = f32(1 + uniform(gen, (TD,), 0.3))
        p["encoder.norm.bias"] = uniform(gen, (TD,), 0.3)
    p["pooling.query"] = uniform(gen, (1, TD), math.sqrt(3 / TD))
    p["dense.weight"] = uniform(gen, (c["outputs"], TD), 1 / math.sqrt(TD))
    p["dense.bias"] = uniform(gen, (c["outputs"],), 1 / math.sqrt(TD))
    return p


def positional_encoding(steps, width):
    """PE (T, D) of Vaswani et al. 2017, sec. 3.5 (core/layers/positionalencoding.h)."""
    pe = torch.zeros(steps, width)
    for t in range(steps):
        for j in range(width):
            angle = t / 10000 ** ((j - j % 2) / width)
            pe[t, j] = math.sin(angle) if j % 2 == 0 else math.cos(angle)
    return pe


def transformer_forward(c, p, x, mask):
    """x (b, T*F) sample-major -> (b, O): (1) input layer times sqrt(D), (2) + PE, (3) the
    nn.TransformerEncoder c["encoder"] (its parameters are p's), (4) attention pooling with the
    learned query, (5) Dense (core/models/transformermodel.h)."""
    if c["vocabulary"]:
        u = Fn.embedding(x.long(), p["embedding.weight"]) * math.sqrt(TD)
    else:
        u = (x.reshape(x.shape[0], T, F) @ p["input_projection.weight"].T
             + p["input_projection.bias"]) * math.sqrt(TD)
    z = c["encoder"](u + positional_encoding(T, TD),
                     src_key_padding_mask=None if mask is None else ~mask)
    a = masked_softmax((z @ p["pooling.query"].T).squeeze(-1) / math.sqrt(TD), mask)
    return (a[..., None] * z).sum(1) @ p["dense.weight"].T + p["dense.bias"]


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
    if c["attention"] == "transformer":
        return transformer_forward(c, p, x, mask)
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


def warmup_factor(step, warmup):
    """min(t / w, sqrt(w / t)) for the 1-based step t (core/train/learningrateschedule.h)."""
    return 1.0 if warmup == 0 else min(step / warmup, math.sqrt(warmup / step))


def run(c, init, x, y):
    p = {k: v.clone().requires_grad_(True) for k, v in init.items()}
    if c["attention"] == "transformer":
        layer = torch.nn.TransformerEncoderLayer(TD, HEADS, dim_feedforward=TFF, dropout=0.0,
                                                 activation="relu", batch_first=True,
                                                 norm_first=bool(c["pre_norm"]))
        module = torch.nn.TransformerEncoder(
            layer, TN, norm=torch.nn.LayerNorm(TD) if c["pre_norm"] else None,
            enable_nested_tensor=False)
        prefix = "encoder."
        c["encoder"] = module
    else:
        cell = c["cell"]
        module = (torch.nn.LSTM if cell == "lstm" else torch.nn.GRU)(
            EMBED if c["vocabulary"] else F, H, batch_first=True)
        prefix = f"{cell}."
        c["rnn"] = module
    with torch.no_grad():
        for n, v in module.named_parameters():
            v.copy_(init[prefix + n])
            p[prefix + n] = v       # the module's own parameters are the ones trained
    opt = torch.optim.Adam(list(p.values()), lr=LR, betas=(BETA1, BETA2), eps=EPS)
    # Step k (1-based) trains with LR * warmup_factor(k): LambdaLR's lambda(0) is the first step's.
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda i: warmup_factor(i + 1, c["warmup"]))
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
        sched.step()
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
             "causal": 0, "window": 0, "pre_norm": 0,
             "warmup": WARMUP if kind == "transformer" else 0}
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
        if kind == "transformer":   # tst_parity reads the older files without these keys
            meta.update({"model_width": str(TD), "encoder_layers": str(TN),
                         "feed_forward_units": str(TFF), "pre_norm": str(c["pre_norm"]),
                         "warmup": str(c["warmup"])})
        write_safetensors(os.path.join(out, name + ".init.safetensors"),
                          [(n, "F32", v) for n, v in init.items()], {"format": "pt"})
        ref = [("x", "F32", x), ("y", "F32", y), ("loss", "F64", torch.tensor(losses))]
        ref += [("grad." + n, "F64", v) for n, v in grads.items()]
        ref += [("final." + n, "F64", v) for n, v in final.items()]
        write_safetensors(os.path.join(out, name + ".ref.safetensors"), ref, meta)
        print(f"{name}: losses " + " ".join(f"{v:.6f}" for v in losses))


if __name__ == "__main__":
    main()
