"""scikit-image's side of bench/measure-skimage.bench.ts: a worker that times regionprops_table.

Reads one JSON request per line on stdin, answers one JSON line on stdout:
  {"op": "load", "name", "labels", "image", "height", "width"}  raw little-endian files
      (labels uint32, image uint16), kept in memory under `name`
  {"op": "run", "name", "properties"}  regionprops_table on that scene; answers each column's
      sum and sum of magnitudes (so the caller can check both sides did the same work) and the
      ms it took
intensity_std / intensity_median are extra properties, as in skimage 0.19.3 (built in later).

Usage: /usr/bin/python3 bench/skimage_measure_worker.py
"""

import json
import sys
import time

import numpy as np
import skimage
from skimage.measure import regionprops_table


def intensity_std(mask, image):
    return np.std(image[mask])


def intensity_median(mask, image):
    return np.median(image[mask])


EXTRA = {"intensity_std": intensity_std, "intensity_median": intensity_median}


def main():
    scenes = {}
    print(json.dumps({"ready": True, "skimage": skimage.__version__, "numpy": np.__version__}), flush=True)
    for line in sys.stdin:
        request = json.loads(line)
        if request["op"] == "load":
            shape = (request["height"], request["width"])
            labels = np.fromfile(request["labels"], dtype="<u4").reshape(shape)
            image = np.fromfile(request["image"], dtype="<u2").reshape(shape)
            scenes[request["name"]] = (labels, image)
            print(json.dumps({"ok": True}), flush=True)
        elif request["op"] == "run":
            labels, image = scenes[request["name"]]
            names = request["properties"]
            start = time.perf_counter()
            table = regionprops_table(
                labels,
                image,
                properties=[p for p in names if p not in EXTRA],
                extra_properties=[EXTRA[p] for p in names if p in EXTRA],
            )
            ms = (time.perf_counter() - start) * 1000
            # Σ and Σ|·| per column; JSON has no NaN (normalised moments of order < 2): null.
            sums = {}
            for name, values in table.items():
                total, size = float(np.sum(values)), float(np.sum(np.abs(values)))
                sums[name] = None if np.isnan(total) else [total, size]
            print(json.dumps({"ms": ms, "sums": sums}), flush=True)
        else:
            raise ValueError(f"unknown op {request['op']}")


if __name__ == "__main__":
    main()
