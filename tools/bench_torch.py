#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# PyTorch's side of bench_sidebyside (docs/benchmarks.md, issue 14 item 4): trains the app's
# models (tools/torch_sequence_model.py) with the app's recipe (data, Keras-style init, Adam
# eps 1e-7, batch, shuffling, dropout) in float32 on one thread, and prints one JSON line per
# measurement: add and max epochs, every mechanism at the add shapes, add seed 7's alignment per
# epoch and its training time until alignment first reaches 0.9, and a GRU at rl-tools' shapes.
# Times cover training only (validation excluded), as bench_training's.
"""usage: bench_torch.py [--cases add,max,mechanisms,align,gru] [--epochs N] [--train-size N]
                      [--val-size N] [--mechanism-epochs N] [--align-epochs N] [--gru-batches N]
                      [--threads N]"""

import argparse
import json
import os
import resource
import sys
import time



def _threads_argument():
    """The value of --threads (default 1), read before torch is imported."""
    for i, arg in enumerate(sys.argv):
        if arg == "--threads" and i + 1 < len(sys.argv):
            return sys.argv[i + 1]
        if arg.startswith("--threads="):
            return arg.split("=", 1)[1]
    return "1"


# N threads means N for the BLAS too: torch.set_num_threads does not reach Debian's
# libopenblas0-pthread, whose own threads (one per core) made one-thread PyTorch 3-5x slower on
# the 2-core machine. Set before torch loads the library; an explicit environment value wins.
for _name in ("OPENBLAS_NUM_THREADS", "OMP_NUM_THREADS", "MKL_NUM_THREADS"):
    os.environ.setdefault(_name, _threads_argument())

import torch  # noqa: E402
import torch.nn.functional as Fn  # noqa: E402

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from torch_sequence_model import (KINDS, SequenceModel, baseline_width, make_add,  # noqa: E402
                                  make_max, parameter_count)

SEED = 7
# core/data/task.cpp, taskDefaults: T, F, H, U, dropout, batch, loss, train size, validation size.
TASKS = {
    "add": dict(steps=20, hidden=100, units=128, dropout=0.2, batch=64, loss="mse",
                kind="bahdanau", train=20000, validation=4000),
    "max": dict(steps=10, hidden=128, units=128, dropout=0.0, batch=32, loss="mae",
                kind="luong", train=80000, validation=20000),
}
# rl-tools' GRU benchmark shapes (issue 14): batch 32, 64 steps, 32 inputs, 64 hidden units.
GRU = dict(batch=32, steps=64, inputs=32, hidden=64)


def emit(**record):
    print(json.dumps(record), flush=True)


def build(task, kind):
    t = TASKS[task]
    width = 0
    if kind == "none":   # the width rule of model.cpp against the task's own mechanism
        reference = SequenceModel(t["kind"], 1, t["hidden"], t["units"], t["steps"])
        width = baseline_width(parameter_count(reference), 1, t["hidden"], 1)
    return SequenceModel(kind, 1, t["hidden"], t["units"], t["steps"], dropout=t["dropout"],
                         baseline_units=width)


def data(task, n, gen):
    if task == "add":
        return make_add(n, gen)
    return make_max(n, TASKS[task]["steps"], gen)


def loss_fn(task, pred, y):
    return Fn.mse_loss(pred, y) if TASKS[task]["loss"] == "mse" else Fn.l1_loss(pred, y)


def train_epoch(task, model, opt, x, y, batch):
    """One epoch in shuffled batches (the last one short); returns its training seconds."""
    t0 = time.perf_counter()
    order = torch.randperm(len(x))
    for s in range(0, len(x), batch):
        rows = order[s:s + batch]
        opt.zero_grad()
        pred, _ = model(x[rows])
        loss_fn(task, pred, y[rows]).backward()
        opt.step()
    return time.perf_counter() - t0


def alignment(model, x, truth, batch):
    """Mean attention mass on the two marked steps (add's ground-truth mass, docs/tasks.md)."""
    model.eval()
    mass = 0.0
    with torch.no_grad():
        for s in range(0, len(x), batch):
            _, a = model(x[s:s + batch])
            mass += (a * truth[s:s + batch]).sum().item()
    model.train()
    return mass / len(x)


def setup(task, kind, train_size, val_size):
    t = TASKS[task]
    torch.manual_seed(SEED)
    gen = torch.Generator().manual_seed(SEED)
    x, y, _ = data(task, train_size or t["train"], gen)
    vx, vy, vtruth = data(task, val_size or t["validation"], gen)
    x, y, vx, vy, vtruth = (v.float() for v in (x, y, vx, vy, vtruth))
    model = build(task, kind)
    opt = torch.optim.Adam(model.parameters(), lr=1e-3, betas=(0.9, 0.999), eps=1e-7)
    return model, opt, x, y, vx, vtruth


def epoch_case(case, task, kind, epochs, args):
    model, opt, x, y, _, _ = setup(task, kind, args.train_size, args.val_size)
    batch = TASKS[task]["batch"]
    seconds = sum(train_epoch(task, model, opt, x, y, batch) for _ in range(epochs)) / epochs
    emit(side="torch", case=case, task=task, mechanism=kind, epochs=epochs,
         train_samples=len(x), batch=batch, parameters=parameter_count(model),
         train_seconds_per_epoch=round(seconds, 4), samples_per_second=round(len(x) / seconds, 1))


def align_case(args):
    """add, seed 7, defaults: validation alignment after every epoch, and the training seconds
    until it first reaches 0.9."""
    model, opt, x, y, vx, vtruth = setup("add", "bahdanau", args.train_size, args.val_size)
    batch, total, reached = TASKS["add"]["batch"], 0.0, None
    for epoch in range(1, args.align_epochs + 1):
        total += train_epoch("add", model, opt, x, y, batch)
        a = alignment(model, vx, vtruth, batch)
        emit(side="torch", case="align", epoch=epoch, alignment=round(a, 4),
             train_seconds=round(total, 3))
        if a >= 0.9:
            reached = epoch
            break
    emit(side="torch", case="time_to_0.9", epoch=reached,
         seconds=round(total, 3) if reached else None, epochs_run=epoch)


def gru_case(args):
    """GRU(64) on (32, 64, 32) inputs, Dense(1) on the last state, MSE, Adam: batches/s."""
    g = GRU
    torch.manual_seed(SEED)
    rnn = torch.nn.GRU(g["inputs"], g["hidden"], batch_first=True)
    dense = torch.nn.Linear(g["hidden"], 1)
    params = list(rnn.parameters()) + list(dense.parameters())
    opt = torch.optim.Adam(params, lr=1e-3, eps=1e-7)
    x = torch.rand(g["batch"], g["steps"], g["inputs"])
    y = torch.rand(g["batch"], 1)

    def step():
        opt.zero_grad()
        h, _ = rnn(x)
        Fn.mse_loss(dense(h[:, -1]), y).backward()
        opt.step()

    for _ in range(5):
        step()
    t0 = time.perf_counter()
    for _ in range(args.gru_batches):
        step()
    seconds = time.perf_counter() - t0
    emit(side="torch", case="gru", batch=g["batch"], steps=g["steps"], inputs=g["inputs"],
         hidden=g["hidden"], batches=args.gru_batches,
         batches_per_second=round(args.gru_batches / seconds, 2))


def main():
    ap = argparse.ArgumentParser(description=__doc__)
    ap.add_argument("--cases", default="add,max,mechanisms,align,gru")
    ap.add_argument("--epochs", type=int, default=2, help="epochs timed for add and max")
    ap.add_argument("--mechanism-epochs", type=int, default=1)
    ap.add_argument("--train-size", type=int, default=0, help="0 = the published size")
    ap.add_argument("--val-size", type=int, default=0, help="0 = the published size")
    ap.add_argument("--align-epochs", type=int, default=20)
    ap.add_argument("--gru-batches", type=int, default=200)
    ap.add_argument("--threads", type=int, default=1,
                    help="torch.set_num_threads and the BLAS threads (default 1, the fastest here)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)   # 1: PyTorch's fastest on the 2-core machine (issue 14)
    cases = args.cases.split(",")
    emit(side="torch", case="info", torch=torch.__version__, threads=torch.get_num_threads(),
         openblas_threads=os.environ["OPENBLAS_NUM_THREADS"], dtype="float32")
    if "add" in cases:
        epoch_case("add", "add", "bahdanau", args.epochs, args)
    if "max" in cases:
        epoch_case("max", "max", "luong", args.epochs, args)
    if "mechanisms" in cases:
        for kind in KINDS:
            epoch_case("mechanism", "add", kind, args.mechanism_epochs, args)
    if "align" in cases and args.align_epochs > 0:
        align_case(args)
    if "gru" in cases:
        gru_case(args)
    emit(side="torch", case="done",
         peak_rss_kib=resource.getrusage(resource.RUSAGE_SELF).ru_maxrss)


if __name__ == "__main__":
    main()
