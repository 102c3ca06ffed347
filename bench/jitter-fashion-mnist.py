#!/usr/bin/env python3
"""A larger training set for timing epochs: Fashion-MNIST's 60,000 training images, each written COPIES times
(default 10), every copy shifted by a random whole number of pixels in each direction (-2 to 2, the vacated border
filled with 0) and given Gaussian noise of standard deviation 8 grey levels (of 255), rounded and clipped to 0..255.
The copies of one image follow one another in the output; the draws come from numpy's PCG64 seeded with --seed.

    bench/jitter-fashion-mnist.py OUT.idx.gz [--copies 10] [--seed 1] [--input data/fashion-mnist/train-images-idx3-ubyte.gz]

Writes a gzipped IDX file (magic 0x00000803, as the input), so `./submit.sh train --input OUT.idx.gz` reads it like the
bundled data. Needs numpy only. The shifts keep the images' statistics close to the original's, so a held-out score
on the original test set stays meaningful; the set is for time per epoch, not for a quality claim.
"""
import argparse
import gzip
import struct

import numpy as np

MAX_SHIFT = 2
NOISE_GREY_LEVELS = 8.0


def read_idx_images(path):
    with gzip.open(path, "rb") as f:
        magic, n, rows, cols = struct.unpack(">IIII", f.read(16))
        if magic != 0x00000803:
            raise SystemExit(f"{path}: not an IDX file of unsigned-byte images (magic {magic:#010x})")
        data = np.frombuffer(f.read(n * rows * cols), dtype=np.uint8)
    return data.reshape(n, rows, cols)


def shifted(images, dy, dx):
    """Each image moved by (dy[i], dx[i]) pixels, zeros where nothing moved in."""
    out = np.zeros_like(images)
    n, rows, cols = images.shape
    for sy in range(-MAX_SHIFT, MAX_SHIFT + 1):
        for sx in range(-MAX_SHIFT, MAX_SHIFT + 1):
            sel = (dy == sy) & (dx == sx)
            if not sel.any():
                continue
            src = images[sel]
            dst = np.zeros_like(src)
            dst[:, max(sy, 0):rows + min(sy, 0), max(sx, 0):cols + min(sx, 0)] = \
                src[:, max(-sy, 0):rows + min(-sy, 0), max(-sx, 0):cols + min(-sx, 0)]
            out[sel] = dst
    return out


def main():
    ap = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    ap.add_argument("output")
    ap.add_argument("--copies", type=int, default=10)
    ap.add_argument("--seed", type=int, default=1)
    ap.add_argument("--input", default="data/fashion-mnist/train-images-idx3-ubyte.gz")
    args = ap.parse_args()
    images = read_idx_images(args.input)
    n, rows, cols = images.shape
    rng = np.random.Generator(np.random.PCG64(args.seed))
    out = np.empty((n, args.copies, rows, cols), dtype=np.uint8)
    for c in range(args.copies):
        dy = rng.integers(-MAX_SHIFT, MAX_SHIFT + 1, size=n)
        dx = rng.integers(-MAX_SHIFT, MAX_SHIFT + 1, size=n)
        moved = shifted(images, dy, dx).astype(np.float32)
        moved += rng.normal(0.0, NOISE_GREY_LEVELS, size=moved.shape).astype(np.float32)
        out[:, c] = np.clip(np.rint(moved), 0, 255).astype(np.uint8)
    with gzip.open(args.output, "wb", compresslevel=6) as f:
        f.write(struct.pack(">IIII", 0x00000803, n * args.copies, rows, cols))
        f.write(out.reshape(-1).tobytes())
    print(f"{args.output}: {n * args.copies} images of {rows}x{cols} ({args.copies} jittered copies of {n})")


if __name__ == "__main__":
    main()
