#!/usr/bin/env python3
# SPDX-License-Identifier: GPL-3.0-or-later
# numpy.loadtxt on the file bench_csv writes (bench_csv --keep FILE), for the comparison in
# docs/benchmarks.md: wall time and the growth of the peak resident set (getrusage ru_maxrss)
# per value, measured as bench_csv measures readCsv. Each dtype runs in a fresh interpreter, so
# one run's peak does not hide the next one's.
# Usage: python3 tools/bench_csv_numpy.py FILE [--repeat N]
import argparse
import json
import resource
import subprocess
import sys
import time


def one(path, dtype, repeat):
    import numpy as np

    rss0 = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss  # KiB on Linux
    best = None
    shape = None
    peak = None
    for _ in range(repeat):
        t0 = time.perf_counter()
        a = np.loadtxt(path, delimiter=",", dtype=dtype)
        seconds = time.perf_counter() - t0
        best = seconds if best is None else min(best, seconds)
        shape = a.shape
        if peak is None:  # the first run's peak, before another run reuses its memory
            peak = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss
        del a
    rows, cols = (shape[0], shape[1]) if len(shape) == 2 else (shape[0], 1)  # one column: 1-D
    values = rows * cols
    print(json.dumps({"dtype": dtype, "rows": rows, "cols": cols, "seconds": best,
                      "peak_rss_bpv": (peak - rss0) * 1024.0 / values,
                      "numpy": np.__version__}))


def main():
    p = argparse.ArgumentParser(description=__doc__)
    p.add_argument("file")
    p.add_argument("--repeat", type=int, default=3)
    p.add_argument("--one", help=argparse.SUPPRESS)
    a = p.parse_args()
    if a.one:
        one(a.file, a.one, a.repeat)
        return
    for dtype in ("float64", "float32"):
        out = subprocess.run([sys.executable, __file__, a.file, "--repeat", str(a.repeat),
                              "--one", dtype], check=True, capture_output=True, text=True).stdout
        r = json.loads(out)
        print(f"numpy {r['numpy']} loadtxt dtype={dtype}: {r['seconds']:.3f} s (best of "
              f"{a.repeat}), peak RSS growth {r['peak_rss_bpv']:.2f} bytes/value "
              f"({r['rows']} x {r['cols']})")
        print(out.strip())


if __name__ == "__main__":
    main()
