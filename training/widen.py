"""Widens a trained CPnet to more channels per level without changing what it computes.

Net2WiderNet (Chen, Goodfellow & Shlens, ICLR 2016): every channel of the wide network copies a
channel of the narrow one (channel j copies j mod c), and a layer reading a widened space splits
each narrow weight between the copies, so the sum over the copies gives the narrow layer's
output. The split is random (fractions 0.3-0.7, summing to 1), not halves: equal copies would
get equal gradients and never part. Cellpose's style is divided by its L2 norm, which a copy of
every channel multiplies by sqrt(2), so the linear maps reading the style scale by sqrt(2) too.

    /usr/bin/python3 training/widen.py --src models/cellscope-cells.pth \
        --nbase 2,32,64,128,256 --out runs/cells-wide/init.pth

The result is a starting point for `train.py --init ... --nbase 2,32,64,128,256` (Cellpose's
full width, 6.6 M parameters, from our 1.65 M); it is not shipped as it is.
"""

import argparse

import torch

from cpnet import CPnet, export_state_dict, parse_nbase, save_state_dict


def widened_state(narrow_state, narrow_nbase, wide_nbase, seed=0):
    """The wide network's state_dict, computing what `narrow_state` computes."""
    if len(narrow_nbase) != len(wide_nbase) or narrow_nbase[0] != wide_nbase[0]:
        raise ValueError(f"cannot widen {narrow_nbase} to {wide_nbase}: levels or inputs differ")
    # Whole multiples: each channel then has the same number of copies, as the style's norm needs.
    if any(w % n for n, w in zip(narrow_nbase, wide_nbase)):
        raise ValueError(f"each width of {wide_nbase} must be a multiple of {narrow_nbase}'s")
    generator = torch.Generator().manual_seed(seed)
    diam = float(narrow_state["diam_mean"].float().item())
    wide = CPnet(wide_nbase, diam_mean=diam)
    wide_state = wide.state_dict()
    out = {}
    for name, target in wide_state.items():
        source = narrow_state[name].float()
        if name.endswith(("diam_mean", "diam_labels", "num_batches_tracked")):
            out[name] = narrow_state[name].clone()
            continue
        value = source
        for axis in range(source.dim()):
            n, w = source.shape[axis], target.shape[axis]
            if n == w:
                continue
            # Axis 0 of every weight and of biases / BN vectors is an output (or channel) axis:
            # copies. Axis 1 of conv and linear weights reads a widened space: split.
            copies = torch.arange(w) % n
            value = value.index_select(axis, copies)
            if axis == 1:
                value = value * split_fractions(copies, n, value.shape, generator)
                if name.endswith(".full.weight"):
                    value = value * (w / n) ** 0.5  # the style's norm grew by sqrt(w / n)
        if value.shape != target.shape:
            raise ValueError(f"{name}: widened to {tuple(value.shape)}, needs {tuple(target.shape)}")
        out[name] = value.to(target.dtype)
    return out


def split_fractions(copies, n, shape, generator):
    """Per (output, input copy): fractions of the narrow weight, summing to 1 over the copies."""
    raw = 0.3 + 0.4 * torch.rand(shape[0], len(copies), generator=generator)
    totals = torch.zeros(shape[0], n).index_add_(1, copies, raw)
    fractions = raw / totals[:, copies]
    return fractions.reshape(shape[0], len(copies), *([1] * (len(shape) - 2)))


def main():
    p = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawTextHelpFormatter)
    p.add_argument("--src", required=True, help="a trained narrow .pth (Cellpose layout)")
    p.add_argument("--src-nbase", type=parse_nbase, default=parse_nbase("2,16,32,64,128"))
    p.add_argument("--nbase", type=parse_nbase, default=parse_nbase("2,32,64,128,256"))
    p.add_argument("--out", required=True, help="the wide .pth to write")
    p.add_argument("--seed", type=int, default=0)
    args = p.parse_args()
    state = torch.load(args.src, map_location="cpu")
    wide = CPnet(args.nbase)
    wide.load_state_dict(widened_state(state, args.src_nbase, args.nbase, args.seed))
    save_state_dict(export_state_dict(wide), args.out)
    count = sum(t.numel() for t in wide.parameters() if t.requires_grad)
    print(f"{args.src} ({args.src_nbase}) -> {args.out} ({args.nbase}, {count:,} parameters)")


if __name__ == "__main__":
    main()
