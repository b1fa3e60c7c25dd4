#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# Checks that a saved Attention Studio model, loaded into PyTorch by following
# docs/model-format.md ("Predict in PyTorch"), predicts what the app's --predict wrote: reads the
# weights, the JSON and the CSV file itself, runs torch.nn.LSTM + attention + torch.nn.Linear in
# float64 and compares outputs and attention weights. Exit: 0 within tolerance, 1 beyond it or
# rows that differ, 2 unsupported model or file, 77 no torch (CTest: skipped).
"""usage: check_pytorch.py MODEL DATA PREDICTIONS ATTENTION [--tolerance TOL]

MODEL        the saved model's base path (MODEL.safetensors and MODEL.json)
DATA         the CSV file given to --predict
PREDICTIONS  the app's predictions.csv
ATTENTION    the app's prediction_attention.csv
"""

import csv
import json
import math
import struct
import sys

try:
    import torch
except ImportError as e:  # CTest's SKIP_RETURN_CODE
    print(f"check_pytorch: cannot import torch ({e}): skipped")
    sys.exit(77)


class Unsupported(Exception):
    """A model or file this check (and the doc's recipe) does not cover: exit status 2."""


# --- docs/model-format.md, "Loading into PyTorch" --------------------------------------------

def load_safetensors(path):
    """name -> tensor for every tensor of a safetensors file (F32 / F64)."""
    with open(path, "rb") as f:
        data = f.read()
    n = struct.unpack("<Q", data[:8])[0]           # header length, little-endian u64
    header = json.loads(data[8:8 + n])
    header.pop("__metadata__", None)
    types = {"F32": torch.float32, "F64": torch.float64}
    state = {}
    for name, info in header.items():
        begin, end = info["data_offsets"]
        dtype = types[info["dtype"]]
        raw = bytearray(data[8 + n + begin:8 + n + end])   # bytearray: torch wants it writable
        flat = torch.frombuffer(raw, dtype=dtype) if raw else torch.zeros(0, dtype=dtype)
        state[name] = flat.reshape(info["shape"])
    return state


# --- docs/model-format.md, "Predict in PyTorch" ----------------------------------------------

def load_model(name):
    """NAME.safetensors + NAME.json -> (arch, lstm, att, dense), in float64."""
    state = load_safetensors(name + ".safetensors")
    with open(name + ".json", encoding="utf-8") as f:
        arch = json.load(f)

    def part(prefix):                               # "lstm." -> the LSTM's own state_dict
        return {k[len(prefix):]: v for k, v in state.items() if k.startswith(prefix)}

    m = arch["model"]
    lstm = torch.nn.LSTM(input_size=m["inputs"], hidden_size=m["hidden"], batch_first=True)
    lstm.load_state_dict(part("lstm."))             # strict: names and shapes must match
    out_features, in_features = state["dense.weight"].shape
    dense = torch.nn.Linear(in_features, out_features)
    dense.load_state_dict(part("dense."))
    att = {k: v.double() for k, v in part("attention.").items()}
    return arch, lstm.double(), att, dense.double()


def standardize(x, arch):
    """x (B, T, F) in the file's units -> the model's inputs, (x - mean_f) / scale_f."""
    s = arch["inputs"]["standardization"]
    if s is None:                                   # trained on the values as they are
        return x
    mean = torch.tensor(s["mean"], dtype=x.dtype)   # (F), broadcast over B and T
    scale = torch.tensor(s["scale"], dtype=x.dtype)
    return (x - mean) / scale


def attend(h, att, kind):
    """h (B, T, H) LSTM outputs -> out (B, U) and the attention weights a (B, T)."""
    q = h[:, -1, :]                                 # the query h_T (B, H)
    if kind == "luong":                             # e_s = h_T^T W h_s
        e = ((q @ att["weight"])[:, None, :] * h).sum(-1)
    elif kind == "luong-dot":                       # e_s = h_T^T h_s
        e = (q[:, None, :] * h).sum(-1)
    elif kind == "bahdanau":                        # e_s = v^T tanh(W1 h_s + W2 h_T)
        e = (torch.tanh(h @ att["w1"].T + (q @ att["w2"].T)[:, None, :]) @ att["v"].T).squeeze(-1)
    else:
        raise ValueError(f"attention {kind!r}: not covered by this recipe")
    a = torch.softmax(e, dim=-1)                    # (B, T)
    c = (a[..., None] * h).sum(1)                   # context (B, H)
    out = torch.tanh(torch.cat([c, q], dim=-1) @ att["weight_c"].T)   # (B, U)
    return out, a


def predict(arch, lstm, att, dense, x):
    """x (B, T, F) float64 in the file's units -> outputs (B, O) and attention a (B, T)."""
    m = arch["model"]
    with torch.no_grad():
        z = standardize(x, arch)
        if m.get("instance_norm"):                  # RevIN: each window on its own scale
            mean = z.mean(1, keepdim=True)          # (B, 1, F)
            sigma = (z.var(1, unbiased=False, keepdim=True) + 1e-5).sqrt()
            z = (z - mean) / sigma
        h, _ = lstm(z)                              # (B, T, H)
        out, a = attend(h, att, m["attention"])
        y = dense(out)                              # (B, O); dropout is off when predicting
        if m.get("instance_norm"):                  # back on the window's level
            k = m["instance_norm_feature"]
            y = y * sigma[:, 0, k:k + 1] + mean[:, 0, k:k + 1]
        o = arch["outputs"]
        if o["type"] == "binary":                   # P(class o["classes"][1])
            y = torch.sigmoid(y)
        elif o["type"] == "multiclass":             # column k: P(class o["classes"][k])
            y = torch.softmax(y, dim=-1)
        elif o["target_standardization"] is not None:   # back to the file's units
            s = o["target_standardization"]
            y = y * torch.tensor(s["scale"], dtype=y.dtype) + torch.tensor(s["mean"], dtype=y.dtype)
    return y, a


# --- the CSV file, read as the app reads the layouts used here -------------------------------

DATE_NAMES = {"date", "time", "timestamp", "datetime", "month", "day", "period"}


def number(cell):
    """The cell as a float, or None if it is not a number."""
    try:
        v = float(cell)
    except ValueError:
        return None
    return v if math.isfinite(v) else None


def read_rows(path, delimiter):
    """(line, cells) for each non-blank line; delimiter auto/comma/semicolon/tab/whitespace.
    Auto here is the simple rule that fits the app's files: tab, then ';', then ',' if the first
    line holds one, else runs of whitespace. No quoting."""
    with open(path, encoding="utf-8-sig") as f:
        lines = [(i + 1, s.rstrip("\r\n")) for i, s in enumerate(f)]
    lines = [(i, s) for i, s in lines if s.strip()]
    if not lines:
        raise Unsupported(f"{path}: no data")
    if delimiter == "auto":
        first = lines[0][1]
        delimiter = next((name for ch, name in (("\t", "tab"), (";", "semicolon"), (",", "comma"))
                          if ch in first), "whitespace")
    if delimiter == "semicolon":
        raise Unsupported(f"{path}: semicolon files (decimal commas) are not read by this check")
    sep = {"comma": ",", "tab": "\t", "whitespace": None}[delimiter]
    rows = [(i, [c.strip() for c in s.split(sep)]) for i, s in lines]
    if sep is not None and all(r[-1] == "" for _, r in rows):   # a trailing delimiter on each line
        rows = [(i, r[:-1]) for i, r in rows]
    return rows


def column_index(spec, header, width, what):
    """0-based column of a csv.target / csv.date entry ("first", "last", 1-based number, name)."""
    if spec == "first":
        return 0
    if spec == "last":
        return width - 1
    if spec.isdigit():
        return int(spec) - 1
    if spec in header:
        return header.index(spec)
    raise Unsupported(f"{what} column {spec!r} not found")


def read_inputs(path, arch):
    """DATA -> (lines, x (N, T, F) float64 in the file's units, targets (N) as text)."""
    c = arch["csv"] if arch["task"] == "csv" else {   # built-in tasks: wide rows, target last
        "layout": "wide", "target": "last", "delimiter": "auto", "header": "auto", "date": ""}
    T, F = arch["inputs"]["steps"], arch["inputs"]["features"]
    if c["layout"] not in ("wide", "wide-multivariate", "series"):
        raise Unsupported(f"csv layout {c['layout']!r}: only the wide, wide-multivariate and "
                          "series layouts are read by this check")
    rows = read_rows(path, c["delimiter"])
    first = rows[0][1]
    header = []
    if c["header"] == "yes" or (c["header"] == "auto" and
                                sum(number(v) is None for v in first) * 2 > len(first)):
        header = first
        rows = rows[1:]
    width = len(rows[0][1])
    tc = column_index(c["target"], header, width, "target")
    if c["layout"] != "series":
        gt = {k for k, h in enumerate(header) if h.lower().startswith("gt_") and len(h) > 3}
        cols = [k for k in range(width) if k not in gt]
        has_target = len(cols) != T * F           # new data without a target column
        if has_target:
            cols.remove(tc)
        if len(cols) != T * F:
            raise Unsupported(f"{path}: {len(cols)} value columns, the model takes T*F = {T * F}")
        lines = [i for i, _ in rows]
        x = [[float(r[k]) for k in cols] for _, r in rows]
        targets = [r[tc] for _, r in rows] if has_target else None
        xt = torch.tensor(x, dtype=torch.float64).reshape(len(x), T, F)   # column t*F + f
        return lines, xt, targets
    # series: window i = rows i..i+T-1 of the value columns, its target the target in row i+T
    dc = -1
    if c["date"] == "auto":
        for k in range(width):
            if k != tc and header and header[k].strip().lower() in DATE_NAMES:
                dc = k
                break
        else:
            dc = next((k for k in range(width) if k != tc and number(rows[0][1][k]) is None), -1)
    elif c["date"]:
        dc = column_index(c["date"], header, width, "date")
    cols = [k for k in range(width) if k != dc]
    if len(cols) != F:
        raise Unsupported(f"{path}: {len(cols)} value columns, the model takes F = {F}")
    values = torch.tensor([[float(r[k]) for k in cols] for _, r in rows], dtype=torch.float64)
    x = values.unfold(0, T, 1)[:-1].transpose(1, 2)   # (N, T, F), N = rows - T
    lines = [i for i, _ in rows[T:]]
    targets = [r[tc] for _, r in rows[T:]]
    return lines, x, targets


# --- the app's CSVs ---------------------------------------------------------------------------

def read_csv(path):
    with open(path, newline="", encoding="utf-8") as f:
        return list(csv.DictReader(f))


def class_label(cell):
    """A numeric label as the app names classes: shortest form, 1.0000000e+00 -> "1"."""
    v = number(cell)
    if v is None:
        return cell
    return str(int(v)) if v == int(v) else repr(v)


def main(argv):
    args = [a for a in argv if not a.startswith("--")]
    tol = 1e-5
    if "--tolerance" in argv:
        tol = float(argv[argv.index("--tolerance") + 1])
        args.remove(argv[argv.index("--tolerance") + 1])
    if len(args) != 4:
        print(__doc__, file=sys.stderr)
        return 2
    name, data, predictions_csv, attention_csv = args
    if name.endswith(".safetensors") or name.endswith(".json"):
        name = name.rsplit(".", 1)[0]
    with open(name + ".json", encoding="utf-8") as f:
        m = json.load(f)["model"]
    if (m["architecture"] != "sequence" or m["cell"] != "lstm" or m["vocabulary"] != 0 or
            m["attention"] not in ("luong", "luong-dot", "bahdanau")):
        print(f"check_pytorch: unsupported model: architecture {m['architecture']}, cell "
              f"{m['cell']}, attention {m['attention']}, vocabulary {m['vocabulary']} (this "
              "check covers LSTM -> luong, luong-dot or bahdanau -> Dense on CSV values)")
        return 2
    torch.set_grad_enabled(False)
    arch, lstm, att, dense = load_model(name)
    try:
        lines, x, targets = read_inputs(data, arch)
    except Unsupported as e:
        print(f"check_pytorch: unsupported: {e}")
        return 2
    y, a = predict(arch, lstm, att, dense, x)
    targets = targets or []                         # no target column: nothing to compare

    app = read_csv(predictions_csv)
    app_att = read_csv(attention_csv)
    app_lines = [int(r["line"]) for r in app]
    if app_lines != lines or [int(r["line"]) for r in app_att] != lines:
        print(f"check_pytorch: FAIL: the app predicted lines {app_lines[:5]}..., this reading "
              f"of {data} gives {lines[:5]}... ({len(app_lines)} vs {len(lines)} rows)")
        return 1
    o = arch["outputs"]
    if o["type"] == "regression":
        # File units: compare relative to max(1, |value|) (the app computes in float32).
        ours = y[:, 0]
        theirs = torch.tensor([float(r["prediction"]) for r in app], dtype=torch.float64)
        what = "prediction (relative to max(1, |value|))"
        out_diff = ((ours - theirs).abs() / theirs.abs().clamp(min=1.0)).max().item()
        abs_diff = (ours - theirs).abs().max().item()
        s = o["target_standardization"]
        std_diff = abs_diff / s["scale"][0] if s is not None else abs_diff
        extra = f"; absolute {abs_diff:.3g} in the file's units, {std_diff:.3g} standardised"
        bad_targets = sum(abs(float(t) - float(r["target"])) > 1e-6 * max(1.0, abs(float(t)))
                          for t, r in zip(targets, app))
    else:
        classes = o["classes"]
        probs = y if o["type"] == "multiclass" else torch.cat([1 - y, y], dim=1)   # (B, C)
        theirs = torch.tensor([[float(r["p_" + k]) for k in classes] for r in app],
                              dtype=torch.float64)
        what = "class probabilities"
        out_diff = (probs - theirs).abs().max().item()
        extra = ""
        bad_targets = sum((class_label(t) if not o["text_classes"] else t) != r["target"]
                          for t, r in zip(targets, app))
    T = arch["inputs"]["steps"]
    theirs_a = torch.tensor([[float(r[f"a_{t + 1}"]) for t in range(T)] for r in app_att],
                            dtype=torch.float64)
    att_diff = (a - theirs_a).abs().max().item()
    print(f"check_pytorch: {len(lines)} rows, T = {T}, attention {arch['model']['attention']}, "
          f"{o['type']}")
    print(f"max |difference| of the {what}: {out_diff:.3g}{extra}")
    print(f"max |difference| of the attention weights: {att_diff:.3g}")
    if bad_targets:
        print(f"check_pytorch: FAIL: {bad_targets} targets in {predictions_csv} differ from {data}")
        return 1
    ok = out_diff <= tol and att_diff <= tol
    print(f"check_pytorch: {'OK' if ok else 'FAIL'} (tolerance {tol:g})")
    return 0 if ok else 1


if __name__ == "__main__":
    try:
        sys.exit(main(sys.argv[1:]))
    except (OSError, ValueError, KeyError) as e:   # unreadable file, bad cell, missing column
        print(f"check_pytorch: FAIL: {type(e).__name__}: {e}")
        sys.exit(1)
