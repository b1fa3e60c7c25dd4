#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Trains the add task in PyTorch with the app's recipe (core/data/task.cpp, core/train/trainer.h,
# core/train/adam.h, core/models/sequencemodel.h), for the side-by-side comparison of
# docs/parity.md: the same data distribution, model, initialisation, Adam, batch size, shuffling
# and dropout, each of which can be switched to PyTorch's habits to see which one matters.
# Prints one JSON line per epoch (epoch 0 = untrained): validation loss and alignment (mean
# attention mass on the two marked steps, docs/tasks.md). Run by hand where torch is installed.
"""usage: train_add_torch.py [--attention luong|bahdanau] [--seed S] [--epochs N]
                          [--init keras|torch] [--forget-bias B] [--eps E] [--dtype float32|float64]
                          [--train N] [--validation N]"""

import argparse
import json
import math
import struct
import time

import torch
import torch.nn.functional as Fn

T, H, U = 20, 100, 128


def make_add(n, gen):
    """core/data/task.cpp, makeAddTask: x ~ U(0, 1); two distinct positions a, b in 1..T-1;
    y = 0.5 x[a] + 0.5 x[b] taken before the delimiters x[a-1] = x[b-1] = 0 are written."""
    x = torch.rand(n, T, generator=gen, dtype=torch.float64)
    a = torch.randint(1, T, (n,), generator=gen)
    b = torch.randint(1, T - 1, (n,), generator=gen)
    b = b + (b >= a).long()                          # uniform over 1..T-1 without a
    rows = torch.arange(n)
    y = 0.5 * x[rows, a] + 0.5 * x[rows, b]
    x[rows, a - 1] = 0
    x[rows, b - 1] = 0
    truth = torch.zeros(n, T, dtype=torch.float64)
    truth[rows, a] = 1
    truth[rows, b] = 1
    return x[..., None], y[:, None], truth


def glorot_(w):
    fan_out, fan_in = w.shape                        # torch (out, in) = Keras (in, out) kernel
    bound = math.sqrt(6 / (fan_in + fan_out))
    torch.nn.init.uniform_(w, -bound, bound)


class AddModel(torch.nn.Module):
    """LSTM(H) -> luong or bahdanau attention (U) -> Dropout(0.2) -> Dense(1), as SequenceModel."""

    def __init__(self, attention, init, forget_bias=1.0):
        super().__init__()
        self.kind = attention
        self.lstm = torch.nn.LSTM(1, H, batch_first=True)
        if attention == "luong":
            self.weight = torch.nn.Parameter(torch.empty(H, H))
        else:
            self.w1 = torch.nn.Parameter(torch.empty(H, H))
            self.w2 = torch.nn.Parameter(torch.empty(H, H))
            self.v = torch.nn.Parameter(torch.empty(1, H))
        self.weight_c = torch.nn.Parameter(torch.empty(U, 2 * H))
        self.dense = torch.nn.Linear(U, 1)
        if init == "keras":   # the app: core/layers/recurrentlayer.h, lstm.cpp, dense.cpp, attention
            glorot_(self.lstm.weight_ih_l0)
            with torch.no_grad():   # Keras' (H, 4H) orthogonal recurrent kernel, transposed
                q = torch.empty(4 * H, H)
                torch.nn.init.orthogonal_(q)
                self.lstm.weight_hh_l0.copy_(q)
                self.lstm.bias_ih_l0.zero_()
                self.lstm.bias_ih_l0[H:2 * H] = forget_bias   # Keras' unit forget bias
                self.lstm.bias_hh_l0.zero_()
                self.dense.bias.zero_()
            for p in [self.weight_c, self.dense.weight] + (
                    [self.weight] if attention == "luong" else [self.w1, self.w2, self.v]):
                glorot_(p)
        else:                 # PyTorch's defaults: U(-1/sqrt(fan_in), 1/sqrt(fan_in)) everywhere
            for p in [self.weight_c] + ([self.weight] if attention == "luong" else [self.w1, self.w2, self.v]):
                torch.nn.init.kaiming_uniform_(p, a=math.sqrt(5))

    def forward(self, x):
        h, _ = self.lstm(x)                          # (B, T, H)
        q = h[:, -1]
        if self.kind == "luong":
            e = ((q @ self.weight)[:, None, :] * h).sum(-1)
        else:
            e = (torch.tanh(h @ self.w1.T + (q @ self.w2.T)[:, None, :]) @ self.v.T).squeeze(-1)
        a = e.softmax(-1)
        c = (a[..., None] * h).sum(1)
        out = torch.tanh(torch.cat([c, q], -1) @ self.weight_c.T)
        return self.dense(Fn.dropout(out, 0.2, self.training)), a


def save_init(model, path):
    """The weights under the app's names (docs/model-format.md), F32 safetensors."""
    names = {"weight": "attention.weight", "w1": "attention.w1", "w2": "attention.w2",
             "v": "attention.v", "weight_c": "attention.weight_c"}
    header, blobs, offset = {"__metadata__": {"format": "pt"}}, [], 0
    for n, p in model.named_parameters():
        flat = p.detach().float().reshape(-1).tolist()
        blob = struct.pack(f"<{len(flat)}f", *flat)
        header[names.get(n, n)] = {"dtype": "F32", "shape": list(p.shape),
                                   "data_offsets": [offset, offset + len(blob)]}
        blobs.append(blob)
        offset += len(blob)
    text = json.dumps(header).encode()
    text += b" " * ((8 - (8 + len(text)) % 8) % 8)
    with open(path, "wb") as f:
        f.write(struct.pack("<Q", len(text)) + text + b"".join(blobs))


def evaluate(model, x, y, truth, batch):
    model.eval()
    loss, mass = 0.0, 0.0
    with torch.no_grad():
        for s in range(0, len(x), batch):
            pred, a = model(x[s:s + batch])
            loss += Fn.mse_loss(pred, y[s:s + batch], reduction="sum").item()
            mass += (a * truth[s:s + batch]).sum().item()
    model.train()
    return loss / len(x), mass / len(x)


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--attention", default="luong", choices=["luong", "bahdanau"])
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--epochs", type=int, default=20)
    ap.add_argument("--init", default="keras", choices=["keras", "torch"])
    ap.add_argument("--forget-bias", type=float, default=1.0)   # with --init keras
    ap.add_argument("--eps", type=float, default=1e-7)   # the app's (Keras') Adam epsilon
    ap.add_argument("--dtype", default="float32", choices=["float32", "float64"])
    ap.add_argument("--batch", type=int, default=64)
    ap.add_argument("--train", type=int, default=20000)
    ap.add_argument("--validation", type=int, default=4000)
    ap.add_argument("--save-init", metavar="FILE",
                    help="write the initial weights as FILE.safetensors with the app's names, so "
                         "the app's engine can start from them (docs/parity.md)")
    args = ap.parse_args()
    torch.set_num_threads(1)
    dtype = getattr(torch, args.dtype)
    torch.manual_seed(args.seed)
    gen = torch.Generator().manual_seed(args.seed)
    x, y, _ = make_add(args.train, gen)
    vx, vy, vtruth = make_add(args.validation, gen)
    x, y, vx, vy = (t.to(dtype) for t in (x, y, vx, vy))
    model = AddModel(args.attention, args.init, args.forget_bias).to(dtype)
    if args.save_init:
        save_init(model, args.save_init + ".safetensors")
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=args.eps)
    val_loss, align = evaluate(model, vx, vy, vtruth, args.batch)
    print(json.dumps({"epoch": 0, "val_loss": val_loss, "alignment": align}), flush=True)
    for epoch in range(1, args.epochs + 1):
        t0 = time.time()
        order = torch.randperm(len(x))
        total = 0.0
        for s in range(0, len(x), args.batch):   # the last batch is short (drop_last=False)
            rows = order[s:s + args.batch]
            opt.zero_grad()
            pred, _ = model(x[rows])
            loss = Fn.mse_loss(pred, y[rows])
            loss.backward()
            opt.step()
            total += loss.item() * len(rows)
        val_loss, align = evaluate(model, vx, vy, vtruth, args.batch)
        print(json.dumps({"epoch": epoch, "train_loss": total / len(x), "val_loss": val_loss,
                          "alignment": align, "seconds": round(time.time() - t0, 2)}), flush=True)


if __name__ == "__main__":
    main()
