"""A tiny fake dataset in the generator's layout, to smoke-test train.py (not for training).

Random non-overlapping discs, each with the analytic radial flow field (unit vectors towards its
centre), written as images_XXXX.npy (n, 2, H, W) normalised like Cellpose's normalize99 with an
all-zero channel 1 (the nuclei layout), flows_XXXX.npy (n, 3, H, W) = [cellprob, dY, dX] and
labels_XXXX.npy (n, H, W) int32. Shards of different sizes exercise the padding and cropping.

Usage: /usr/bin/python3 training/smoke_data.py OUT_DIR [--seed 0]
  -> OUT_DIR/train (8 x 128x128 + 8 x 96x112), OUT_DIR/val (4 x 100x120)
"""

import argparse
import os

import numpy as np


def sample(h, w, rng, diameter=17.0):
    labels = np.zeros((h, w), np.int32)
    flows = np.zeros((3, h, w), np.float32)
    y, x = np.mgrid[0:h, 0:w].astype(np.float64)
    centres = []
    for _ in range(400):
        if len(centres) >= h * w // 900:
            break
        r = diameter / 2 * rng.uniform(0.7, 1.3)
        cy, cx = rng.uniform(0, h), rng.uniform(0, w)
        if any(np.hypot(cy - py, cx - px) < r + pr + 1 for py, px, pr in centres):
            continue
        centres.append((cy, cx, r))
        dy, dx = cy - y, cx - x
        dist = np.hypot(dy, dx)
        inside = dist < r
        labels[inside] = len(centres)
        flows[1][inside] = dy[inside] / np.maximum(dist[inside], 1e-6)
        flows[2][inside] = dx[inside] / np.maximum(dist[inside], 1e-6)
    flows[0] = labels > 0
    raw = 100 + 400 * (labels > 0) * rng.uniform(0.5, 1.5) + rng.normal(0, 30, (h, w))
    lo, hi = np.percentile(raw, [1, 99])
    image = np.zeros((2, h, w), np.float32)
    image[0] = (raw - lo) / (hi - lo)
    return image, flows, labels


def write_shard(folder, index, n, h, w, rng):
    parts = [sample(h, w, rng) for _ in range(n)]
    for name, k in (("images", 0), ("flows", 1), ("labels", 2)):
        np.save(os.path.join(folder, f"{name}_{index:04d}.npy"), np.stack([p[k] for p in parts]))


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    rng = np.random.default_rng(args.seed)
    for sub in ("train", "val"):
        os.makedirs(os.path.join(args.out, sub), exist_ok=True)
    write_shard(os.path.join(args.out, "train"), 0, 8, 128, 128, rng)
    write_shard(os.path.join(args.out, "train"), 1, 8, 96, 112, rng)
    write_shard(os.path.join(args.out, "val"), 0, 4, 100, 120, rng)


if __name__ == "__main__":
    main()
