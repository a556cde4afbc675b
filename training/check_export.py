"""Writes PyTorch reference outputs of CPnet for training/check-export.ts to compare with cellscope.

Cases (each: a .pth, an input, PyTorch's output and style, listed in <out>/cases.json):
  random   a randomly initialised CPnet, nbase [2,16,32,64,128], with random BatchNorm statistics,
           saved here with torch.save (zip);
  fixture  the real Cellpose state_dict ../shared/fixtures/cellpose/e2e/cpnet_small_trained.pth,
           loaded into this CPnet with strict=True;
  --pth NAME=PATH (repeatable)  any other state_dict, e.g. one train.py exported (float16 too).

Usage: /usr/bin/python3 training/check_export.py OUT_DIR [--pth NAME=PATH ...]
       npx tsx training/check-export.ts OUT_DIR
"""

import argparse
import json
import os
import sys

import numpy as np
import torch

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from cpnet import CPnet, save_state_dict  # noqa: E402

REPO = os.path.dirname(os.path.dirname(os.path.abspath(__file__)))
FIXTURE = os.path.join(
    os.path.dirname(REPO), "shared", "fixtures", "cellpose", "e2e", "cpnet_small_trained.pth"
)
INPUT_SHAPE = (1, 2, 96, 128)


def architecture_of(state_dict):
    """(nbase, nout, kernel) read off the weights, as cellscope's cellposeArchitecture does."""
    first = state_dict["downsample.down.res_down_0.conv.conv_0.2.weight"]
    nbase = [first.shape[1]]
    level = 0
    while f"downsample.down.res_down_{level}.conv.conv_0.2.weight" in state_dict:
        nbase.append(state_dict[f"downsample.down.res_down_{level}.conv.conv_0.2.weight"].shape[0])
        level += 1
    return nbase, state_dict["output.2.weight"].shape[0], first.shape[2]


def load_cpnet(path):
    state_dict = torch.load(path, map_location="cpu")
    nbase, nout, kernel = architecture_of(state_dict)
    model = CPnet(nbase, nout, kernel)
    model.load_state_dict(state_dict, strict=True)  # float16 files are widened on copy
    return model.eval()


def random_cpnet(nbase, seed):
    torch.manual_seed(seed)
    model = CPnet(nbase, 3, 3, diam_mean=17.0)
    with torch.no_grad():
        for module in model.modules():
            if isinstance(module, torch.nn.BatchNorm2d):
                module.weight.uniform_(0.5, 1.5)
                module.bias.normal_(0.0, 0.1)
                module.running_mean.normal_(0.0, 0.2)
                module.running_var.uniform_(0.5, 2.0)
                module.num_batches_tracked.fill_(int(torch.randint(1, 1000, (1,))))
        model.diam_labels.fill_(21.5)
    return model.eval()


def write_case(out, name, model, pth, x):
    with torch.no_grad():
        flows, style = model(torch.from_numpy(x))
    files = {}
    for part, array in (("input", x), ("output", flows.numpy()), ("style", style.numpy())):
        files[part] = os.path.join(out, f"{name}_{part}.npy")
        np.save(files[part], np.ascontiguousarray(array, dtype=np.float32))
    print(
        f"{name}: nbase {model.nbase}, output {tuple(flows.shape)} max |y| "
        f"{flows.abs().max().item():.4g}, style {tuple(style.shape)}"
    )
    return {"name": name, "pth": os.path.abspath(pth), **files}


def main():
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0])
    parser.add_argument("out", help="folder for the .pth, .npy files and cases.json")
    parser.add_argument("--pth", action="append", default=[], metavar="NAME=PATH")
    parser.add_argument("--seed", type=int, default=0)
    args = parser.parse_args()
    os.makedirs(args.out, exist_ok=True)
    torch.set_num_threads(2)

    x = np.random.default_rng(args.seed).normal(0.5, 0.3, INPUT_SHAPE).astype(np.float32)
    cases = []

    model = random_cpnet([2, 16, 32, 64, 128], args.seed)
    pth = os.path.join(args.out, "random.pth")
    save_state_dict(model.state_dict(), pth)
    cases.append(write_case(args.out, "random", model, pth, x))

    if os.path.exists(FIXTURE):
        cases.append(write_case(args.out, "fixture", load_cpnet(FIXTURE), FIXTURE, x))
    else:
        print(f"fixture not found, skipped: {FIXTURE}")

    for item in args.pth:
        name, _, path = item.partition("=")
        if not path:
            parser.error(f"--pth wants NAME=PATH, got {item!r}")
        cases.append(write_case(args.out, name, load_cpnet(path), path, x))

    with open(os.path.join(args.out, "cases.json"), "w") as f:
        json.dump(cases, f, indent=2)


if __name__ == "__main__":
    main()
