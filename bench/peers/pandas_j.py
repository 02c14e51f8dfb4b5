#!/usr/bin/python3
# pandas_j.py -- the benchmark jobs J1 and J2 with pandas (Debian's
# python3-pandas), a peer against which spiral's own numbers are set.
#   /usr/bin/python3 bench/peers/pandas_j.py FILE.csv [all|j1|j2|load]
# Same jobs and same digest on stdout as duckdb_j.mjs (see bench/README.md):
#   J1: weighted crosstab q01 x neighbourhood with margins, Pearson's
#       chi-square on the weighted counts;
#   J2: weighted means of q01..q30 by age_band x wave, missing excluded per
#       indicator.
# Phase wall times go to stderr.
import sys
import time

import numpy as np
import pandas as pd


def phase(name, since):
    now = time.perf_counter()
    print(f"{name}: {now - since:.3f} s", file=sys.stderr)
    return now


def main():
    if len(sys.argv) < 2:
        print("usage: pandas_j.py FILE.csv [all|j1|j2|load]", file=sys.stderr)
        return 64
    path = sys.argv[1]
    mode = sys.argv[2] if len(sys.argv) > 2 else "all"
    qs = [f"q{i:02d}" for i in range(1, 31)]
    t0 = time.perf_counter()
    dtypes = {"id": str, "wave": "int16", "neighbourhood": "category",
              "age_band": "category", "gender": "category",
              "social_category": "category", "weight": "float64"}
    dtypes.update({q: "float32" for q in qs})   # empty field -> NaN
    df = pd.read_csv(path, dtype=dtypes, encoding="utf-8")
    t = phase("load", t0)
    if mode == "load":
        return 0

    if mode in ("all", "j1"):
        valid = df[df["q01"].notna()]
        table = pd.pivot_table(valid, index="q01", columns="neighbourhood",
                               values="weight", aggfunc="sum", margins=True,
                               observed=True, fill_value=0.0)
        obs = table.iloc[:-1, :-1].to_numpy()
        rows = obs.sum(axis=1, keepdims=True)
        cols = obs.sum(axis=0, keepdims=True)
        expected = rows * cols / obs.sum()
        chi2 = float(((obs - expected) ** 2 / expected).sum())
        df_ = (obs.shape[0] - 1) * (obs.shape[1] - 1)
        print(f"J1 cells+margins={table.size} chi2={chi2:.12g} df={df_}")
        t = phase("J1", t)

    if mode in ("all", "j2"):
        w = df["weight"].to_numpy()
        x = df[qs].to_numpy(dtype="float64")
        present = ~np.isnan(x)
        wx = pd.DataFrame(np.where(present, x * w[:, None], 0.0), columns=qs)
        wn = pd.DataFrame(present * w[:, None], columns=qs)
        keys = [df["age_band"], df["wave"]]
        means = wx.groupby(keys, observed=True).sum() / wn.groupby(keys, observed=True).sum()
        print(f"J2 groups={len(means)} sum_of_means={float(means.to_numpy().sum()):.12g}")
        t = phase("J2", t)
    phase("total", t0)
    return 0


if __name__ == "__main__":
    sys.exit(main())
