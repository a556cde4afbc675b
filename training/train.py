"""Trains Cellpose 3's CPnet from scratch on generated data and exports Cellpose-layout weights.

The exported `<out>/<name>.pth` is `torch.save(state_dict)` of the best-validation network, with
the keys, shapes and order of an official Cellpose 3 model, so cellscope (and Cellpose) load it
like cyto3 or nuclei. See training/README.md.

Usage: /usr/bin/python3 training/train.py --data DIR --val DIR --out DIR [--minutes 60] ...
"""

import argparse
import csv
import glob
import json
import math
import os
import random
import re
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from augment import augment, center_crop  # noqa: E402
from resampling import median_diameter  # noqa: E402
from cpnet import CPnet, export_state_dict, parse_nbase, save_state_dict  # noqa: E402


def parse_args(argv=None):
    p = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    p.add_argument("--data", required=True, help="training shards: images_XXXX.npy, flows_XXXX.npy")
    p.add_argument("--val", required=True, help="held-out shards in the same layout")
    p.add_argument("--out", required=True, help="output folder")
    p.add_argument("--name", default="cellscope-nuclei", help="model name: <out>/<name>.pth")
    p.add_argument("--nbase", type=parse_nbase, default=parse_nbase("2,16,32,64,128"))
    p.add_argument("--diam-mean", type=float, default=17.0, help="diam_mean and diam_labels")
    p.add_argument("--minutes", type=float, default=60.0, help="wall-clock training budget")
    p.add_argument("--batch", type=int, default=8)
    p.add_argument("--crop", type=int, default=128)
    p.add_argument("--lr", type=float, default=0.002)
    p.add_argument("--seed", type=int, default=0)
    p.add_argument("--threads", type=int, default=2)
    p.add_argument("--fp16-export", action="store_true", help="store float tensors as float16")
    p.add_argument("--val-every", type=int, default=100, help="steps between validations")
    p.add_argument("--low-resolution", type=float, default=0.0,
                   help="share of crops imaged at 1.5-3.5x coarser pixels, then resized back")
    p.add_argument("--drop-nuclei", type=float, default=0.0,
                   help="chance of zeroing the nuclear channel of a training crop")
    p.add_argument("--image-edge", type=float, default=0.0,
                   help="share of crops with sides made image edges as inference pads them "
                        "(needs the shards' labels_*.npy)")
    p.add_argument("--rescale", type=float, default=0.0,
                   help="share of samples resized by diam_mean / their median diameter times "
                        "0.75-1.25, as Cellpose trains (needs the shards' labels_*.npy)")
    p.add_argument("--init", help="start from these weights (an exported .pth; fine-tuning)")
    p.add_argument("--resume", help="continue from a run's last.pt (weights and optimizer state)")
    args = p.parse_args(argv)
    multiple = 2 ** (len(args.nbase) - 2)
    if args.nbase[0] != 2:
        p.error(f"--nbase must start with 2 input channels (Cellpose's), got {args.nbase[0]}")
    if args.crop % multiple or args.crop < multiple:
        p.error(f"--crop must be a multiple of {multiple} for {len(args.nbase) - 2} poolings")
    if args.batch < 2:
        p.error("--batch must be at least 2 (BatchNorm trains on batch statistics)")
    if not all(0 <= share <= 1 for share in (args.low_resolution, args.drop_nuclei, args.image_edge,
                                             args.rescale)):
        p.error("--low-resolution, --drop-nuclei, --image-edge and --rescale are shares in [0, 1]")
    if args.minutes <= 0 or args.val_every < 1 or args.threads < 1 or args.lr <= 0:
        p.error("--minutes, --val-every, --threads and --lr must be positive")
    return args


def load_shards(folder, with_labels=False):
    """[(images (n, 2, H, W), flows (n, 3, H, W), labels (n, H, W) or None), ...] for each
    images_X.npy / flows_X.npy pair (and its labels_X.npy where `with_labels`)."""
    shards = []
    for image_path in sorted(glob.glob(os.path.join(folder, "images_*.npy"))):
        suffix = re.fullmatch(r"images_(.*)\.npy", os.path.basename(image_path)).group(1)
        flow_path = os.path.join(folder, f"flows_{suffix}.npy")
        if not os.path.exists(flow_path):
            raise FileNotFoundError(f"{image_path} has no {os.path.basename(flow_path)}")
        images = np.load(image_path).astype(np.float32, copy=False)
        flows = np.load(flow_path).astype(np.float32, copy=False)
        if images.ndim != 4 or images.shape[1] != 2:
            raise ValueError(f"{image_path}: expected (n, 2, H, W), got {images.shape}")
        expected = (images.shape[0], 3) + images.shape[2:]
        if flows.shape != expected:
            raise ValueError(f"{flow_path}: expected {expected}, got {flows.shape}")
        if not (np.isfinite(images).all() and np.isfinite(flows).all()):
            raise ValueError(f"{image_path} or its flows hold NaN or infinity")
        labels = None
        if with_labels:
            label_path = os.path.join(folder, f"labels_{suffix}.npy")
            if not os.path.exists(label_path):
                raise FileNotFoundError(f"{image_path} has no {os.path.basename(label_path)}")
            labels = np.load(label_path)
            if labels.shape != (images.shape[0],) + images.shape[2:]:
                raise ValueError(f"{label_path}: expected {(images.shape[0],) + images.shape[2:]}")
        shards.append((images, flows, labels))
    if not shards:
        raise FileNotFoundError(f"no images_*.npy in {folder}")
    return shards


def cellpose_loss(y, flows):
    """Cellpose 3 `_loss_fn_seg`: MSE of (dY, dX) against 5x the unit flows, halved, plus BCE of
    the cell-probability logit against (cellprob > 0.5), both mean-reduced."""
    veci = 5.0 * flows[:, 1:]
    loss = F.mse_loss(y[:, :2], veci) / 2.0
    return loss + F.binary_cross_entropy_with_logits(y[:, 2], (flows[:, 0] > 0.5).float())


# How far a sample is resized towards diam_mean at most: a 5 px nucleus is 3.4x at 17 px.
RESCALE_LIMITS = (0.25, 4.0)


def rescale_factors(shards, diam_mean):
    """diam_mean / each sample's median label diameter (1 where it has no labels), clipped."""
    factors = []
    for _, _, labels in shards:
        diameters = np.array([median_diameter(sample) for sample in labels])
        wanted = np.divide(diam_mean, diameters, out=np.ones_like(diameters), where=diameters > 0)
        factors.append(np.clip(wanted, *RESCALE_LIMITS))
    return factors


class Batches:
    """Augmented training batches; the sample order and augmentations depend only on the seed.
    `augmentations` are `augment`'s keyword options; `rescale_to` the per-shard factors for
    its `rescale` (from `rescale_factors`)."""

    def __init__(self, shards, batch, crop, seed, rescale_to=None, **augmentations):
        self.shards, self.batch, self.crop = shards, batch, crop
        self.rescale_to, self.augmentations = rescale_to, augmentations
        self.index = [(s, i) for s, shard in enumerate(shards) for i in range(len(shard[0]))]
        self.order_rng = np.random.default_rng([seed, 0])
        self.augment_rng = np.random.default_rng([seed, 1])
        self.queue = []

    def __next__(self):
        images, flows = [], []
        for _ in range(self.batch):
            if not self.queue:
                self.queue = list(self.order_rng.permutation(len(self.index)))
            s, i = self.index[self.queue.pop()]
            images_s, flows_s, labels_s = self.shards[s]
            image, flow = augment(
                images_s[i],
                flows_s[i],
                self.crop,
                self.augment_rng,
                labels=None if labels_s is None else labels_s[i],
                rescale_to=1.0 if self.rescale_to is None else self.rescale_to[s][i],
                **self.augmentations,
            )
            images.append(image)
            flows.append(flow)
        return torch.from_numpy(np.stack(images)), torch.from_numpy(np.stack(flows))


def validation_set(shards, multiple):
    """Each shard centre-cropped to the largest multiple of `multiple` (no augmentation)."""
    out = []
    for images, flows, _ in shards:
        h, w = (d // multiple * multiple for d in images.shape[2:])
        if h == 0 or w == 0:
            raise ValueError(f"validation images {images.shape[2:]} are under {multiple} pixels")
        crop = lambda a: torch.from_numpy(np.ascontiguousarray(center_crop(a, h, w)))  # noqa: E731
        out.append((crop(images), crop(flows)))
    return out


def validate(model, val, batch):
    """Mean per-image loss over the whole validation set, in eval mode (running BatchNorm stats)."""
    model.eval()
    total, count = 0.0, 0
    with torch.no_grad():
        for images, flows in val:
            for start in range(0, len(images), batch):
                x, f = images[start : start + batch], flows[start : start + batch]
                total += cellpose_loss(model(x)[0], f).item() * len(x)
                count += len(x)
    model.train()
    return total / count


class Schedule:
    """Linear warm-up over the first 5% of the steps the budget is expected to hold (steps/s
    measured over the first 20 steps), then cosine decay in wall-clock time to 0 at the budget,
    so the decay ends on time even when other work slows the machine down."""

    def __init__(self, lr, budget_s, warmup_fraction=0.05, rate_steps=20):
        self.lr, self.budget_s = lr, budget_s
        self.warmup_fraction, self.rate_steps = warmup_fraction, rate_steps
        self.rate = None  # steps per second, frozen after rate_steps steps
        self.warmup_end_s = None

    def expected_steps(self, step, elapsed_s):
        rate = self.rate
        if rate is None and step > 0:
            rate = step / elapsed_s
            if step >= self.rate_steps:
                self.rate = rate
        return None if rate is None else rate * self.budget_s

    def __call__(self, step, elapsed_s):
        """The learning rate for step `step` (0-based), which starts `elapsed_s` into the run."""
        if self.warmup_end_s is None:
            expected = self.expected_steps(step, elapsed_s)
            if expected is None:
                return self.lr * 0.01
            warmup = self.warmup_fraction * expected
            if step + 1 < warmup:
                return self.lr * (step + 1) / warmup
            self.warmup_end_s = elapsed_s
        progress = (elapsed_s - self.warmup_end_s) / max(1e-9, self.budget_s - self.warmup_end_s)
        return self.lr * 0.5 * (1.0 + math.cos(math.pi * min(1.0, progress)))


def main(argv=None):
    args = parse_args(argv)
    torch.set_num_threads(args.threads)
    torch.manual_seed(args.seed)
    np.random.seed(args.seed)
    random.seed(args.seed)

    os.makedirs(os.path.join(args.out, "checkpoints"), exist_ok=True)
    train_shards = load_shards(args.data, with_labels=args.image_edge > 0 or args.rescale > 0)
    val = validation_set(load_shards(args.val), 2 ** (len(args.nbase) - 2))
    n_train = sum(len(shard[0]) for shard in train_shards)
    n_val = sum(len(images) for images, _ in val)
    print(f"{n_train} training images from {args.data}, {n_val} validation images from {args.val}")

    model = CPnet(args.nbase, 3, 3, diam_mean=args.diam_mean)
    model.train()
    trainable = [p for p in model.parameters() if p.requires_grad]
    optimizer = torch.optim.AdamW(trainable, lr=args.lr, weight_decay=1e-5)
    if args.init:
        # Exported weights may be float16: load them as the network's float32.
        state = torch.load(args.init, map_location="cpu")
        model.load_state_dict({k: v.float() if v.is_floating_point() else v for k, v in state.items()})
        print(f"initialised from {args.init}")
    if args.resume:
        state = torch.load(args.resume, map_location="cpu")
        model.load_state_dict(state["model"])
        optimizer.load_state_dict(state["optimizer"])
        print(f"resumed from {args.resume} (its step {state['step']}); the schedule starts anew")
    print(f"CPnet nbase {args.nbase}: {sum(p.numel() for p in trainable)} trainable parameters")

    batches = Batches(
        train_shards,
        args.batch,
        args.crop,
        args.seed,
        rescale_to=rescale_factors(train_shards, args.diam_mean) if args.rescale > 0 else None,
        drop_channel_1=args.drop_nuclei,
        low_resolution=args.low_resolution,
        image_edge=args.image_edge,
        rescale=args.rescale,
    )
    budget_s = args.minutes * 60.0
    schedule = Schedule(args.lr, budget_s)
    log_path = os.path.join(args.out, f"{args.name}.log.csv")
    model_path = os.path.join(args.out, f"{args.name}.pth")

    best = {"val_loss": math.inf, "step": None}
    losses, step, lr, val_s = [], 0, 0.0, 0.0
    t0 = time.perf_counter()

    with open(log_path, "w", newline="") as log_file:
        log = csv.writer(log_file)
        log.writerow(["step", "seconds", "train_loss", "val_loss", "lr"])

        def checkpoint():
            nonlocal val_s
            started = time.perf_counter()
            val_loss = validate(model, val, args.batch)
            state = export_state_dict(model, args.diam_mean, args.fp16_export)
            save_state_dict(state, os.path.join(args.out, "checkpoints", f"step_{step:05d}.pth"))
            last = {"model": model.state_dict(), "optimizer": optimizer.state_dict(), "step": step}
            torch.save(last, os.path.join(args.out, "last.pt.tmp"))
            os.replace(os.path.join(args.out, "last.pt.tmp"), os.path.join(args.out, "last.pt"))
            improved = val_loss < best["val_loss"]
            if improved:
                best.update(val_loss=val_loss, step=step)
                save_state_dict(state, model_path)
            val_s = time.perf_counter() - started
            seconds = time.perf_counter() - t0
            train_loss = float(np.mean(losses)) if losses else float("nan")
            row = [step, f"{seconds:.1f}", f"{train_loss:.5f}", f"{val_loss:.5f}", f"{lr:.3e}"]
            log.writerow(row)
            log_file.flush()
            losses.clear()
            print(
                f"step {step:6d}  {seconds:7.0f} s  {step / seconds:5.2f} steps/s  "
                f"train {train_loss:.4f}  val {val_loss:.4f}{' *' if improved else '  '}  "
                f"lr {lr:.2e}",
                flush=True,
            )

        # Stop early enough that the last validation ends within the budget.
        while time.perf_counter() - t0 + val_s < budget_s:
            x, flows = next(batches)
            lr = schedule(step, time.perf_counter() - t0)
            for group in optimizer.param_groups:
                group["lr"] = lr
            loss = cellpose_loss(model(x)[0], flows)
            if not math.isfinite(loss.item()):
                raise FloatingPointError(f"training loss became {loss.item()} at step {step}")
            optimizer.zero_grad(set_to_none=True)
            loss.backward()
            optimizer.step()
            losses.append(loss.item())
            step += 1
            if step % args.val_every == 0:
                checkpoint()
        if step == 0:
            raise RuntimeError("the time budget ended before the first training step")
        if step % args.val_every:
            checkpoint()

    seconds = time.perf_counter() - t0
    summary = {
        "name": args.name,
        "model": os.path.abspath(model_path),
        "best_step": best["step"],
        "best_val_loss": best["val_loss"],
        "steps": step,
        "seconds": round(seconds, 1),
        "steps_per_second": round(step / seconds, 3),
        "train_images": n_train,
        "val_images": n_val,
        "torch": torch.__version__,
        "args": {k: v for k, v in vars(args).items()},
    }
    with open(os.path.join(args.out, f"{args.name}.json"), "w") as f:
        json.dump(summary, f, indent=2)
    print(
        f"done: {step} steps in {seconds:.0f} s ({step / seconds:.2f} steps/s); "
        f"best val {best['val_loss']:.4f} at step {best['step']} -> {model_path}"
    )


if __name__ == "__main__":
    main()
