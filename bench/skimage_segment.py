"""scikit-image's side of `npm run bench:skimage` (bench/compare-skimage.ts).

Times the segment operations on the raw files compare-skimage.ts wrote to FOLDER, each the
median of `runs` calls after a warm-up (time.perf_counter), checks that its outputs agree with
cellscope's, prints every disagreement loudly and writes FOLDER/skimage.json.

Usage: /usr/bin/python3 bench/skimage_segment.py FOLDER
"""

import contextlib
import json
import math
import os
import platform
import statistics
import sys
import time

import numpy as np
import scipy
import skimage
from scipy import ndimage as ndi
from skimage import feature, filters, measure, morphology, segmentation
from skimage.feature import peak as peak_module


def main(folder):
    with open(os.path.join(folder, "meta.json")) as f:
        meta = json.load(f)
    shape = (meta["height"], meta["width"])
    runs = meta["runs"]

    def load(name):
        entry = meta["files"][name]
        data = np.fromfile(os.path.join(folder, entry["file"]), dtype="<" + entry["dtype"])
        return data if name == "peaks" else data.reshape(shape)

    def timed(run):
        result = run()
        samples = []
        for _ in range(runs):
            start = time.perf_counter()
            run()
            samples.append((time.perf_counter() - start) * 1000)
        return statistics.median(samples), result

    # The same bytes cellscope read; label images in the dtypes measure.label and ndi.label give.
    image = load("image")
    mask = load("mask").astype(bool)
    labels = load("labels").astype(np.intp)
    components = load("components").astype(np.intp)
    distance = load("distance")
    negated = -distance
    markers = load("markers").astype(np.int32)
    diameter = meta["diameterPx"]

    ms = {}
    ms["otsu"], otsu = timed(lambda: filters.threshold_otsu(image))
    ms["opening"], opening = timed(lambda: morphology.binary_opening(mask, morphology.disk(7)))
    ms["label"], own_components = timed(lambda: measure.label(mask, connectivity=2))
    ms["edt"], own_distance = timed(lambda: ndi.distance_transform_edt(mask))
    ms["peaks"], peaks = timed(
        lambda: feature.peak_local_max(
            distance, min_distance=5, labels=components, exclude_border=False
        )
    )
    ms["watershed"], basins = timed(lambda: segmentation.watershed(negated, markers, mask=mask))
    ms["fill"], filled = timed(lambda: ndi.binary_fill_holes(mask))
    ms["small"], kept = timed(lambda: morphology.remove_small_objects(mask, 64))
    ms["expand"], expanded = timed(lambda: segmentation.expand_labels(labels, distance=5))
    ms["nuclei"], (nuclei, level) = timed(lambda: segment_nuclei(image, diameter))

    checks = []

    def check(operation, ok, detail, note=None):
        checks.append({"operation": operation, "ok": bool(ok), "detail": detail, "note": note})
        verdict = "!!! DISAGREES" if not ok else "differs only in tie order," if note else "agrees"
        print(f"{verdict} {operation}: {detail}" + (f" ({note})" if note else ""), flush=True)

    def same_value(operation, theirs, ours):
        check(operation, theirs == ours, f"skimage {theirs}, cellscope {ours}")

    def same_pixels(operation, theirs, name):
        ours = load(name)
        differ = int(np.count_nonzero(ours != theirs))
        check(operation, differ == 0, f"{differ} of {ours.size} pixels differ")

    def regions(labels):
        return int(np.count_nonzero(np.unique(labels)))

    same_value("otsu", otsu, meta["otsu"])
    same_pixels("opening", opening.astype(np.uint8), "opening")
    same_value("label count", int(own_components.max()), meta["labelCount"])
    same_pixels("label", own_components, "components")
    same_value("edt max", float(own_distance.max()), float(distance.max()))
    same_pixels("edt (bitwise)", own_distance, "distance")
    our_peaks = set(map(tuple, load("peaks").reshape(-1, 2).tolist()))

    def compare_peaks(found):
        theirs = set(map(tuple, found.tolist()))
        differ = len(our_peaks ^ theirs)
        detail = f"skimage {len(theirs)}, cellscope {len(our_peaks)}, {differ} not in both"
        return differ == 0, detail

    agree, detail = compare_peaks(peaks)
    if agree:
        check("peaks", True, detail)
    else:
        with raster_order_ties():
            found = feature.peak_local_max(
                distance, min_distance=5, labels=components, exclude_border=False
            )
        check("peaks", *tie_order(detail, *compare_peaks(found)))
    same_value("watershed regions", regions(basins), regions(load("watershed")))
    same_pixels("watershed", basins, "watershed")
    same_pixels("fill holes", filled.astype(np.uint8), "filled")
    same_pixels("remove small objects", kept.astype(np.uint8), "kept")
    same_pixels("expand labels", expanded, "expanded")
    same_value("nuclei threshold", level, meta["nucleiThreshold"])
    our_nuclei = load("nuclei")

    def compare_nuclei(found):
        sequential = segmentation.relabel_sequential(found)[0]
        differ = int(np.count_nonzero(sequential != our_nuclei))
        count, ours = int(sequential.max()), meta["nucleiCount"]
        return differ == 0, f"skimage {count}, cellscope {ours} nuclei, {differ} pixels differ"

    agree, detail = compare_nuclei(nuclei)
    if agree:
        check("nuclei labels", True, detail)
    else:
        with raster_order_ties():
            found = segment_nuclei(image, diameter)[0]
        check("nuclei labels", *tie_order(detail, *compare_nuclei(found)))

    versions = {
        "python": platform.python_version(),
        "numpy": np.__version__,
        "scipy": scipy.__version__,
        "skimage": skimage.__version__,
    }
    with open(os.path.join(folder, "skimage.json"), "w") as f:
        json.dump({"versions": versions, "ms": ms, "checks": checks}, f, indent=2)


@contextlib.contextmanager
def raster_order_ties():
    """peak_local_max with equal values taken in raster order, as cellscope takes them.

    skimage 0.19.3 orders candidates by NumPy's unstable argsort(-values), whose order among equal
    values is an implementation detail; a stable sort gives raster order.
    """
    original = peak_module._get_high_intensity_peaks

    def stable(image, mask, num_peaks, min_distance, p_norm):
        coord = np.nonzero(mask)
        order = np.argsort(-image[coord], kind="stable")
        coord = np.transpose(coord)[order]
        max_out = int(num_peaks) if np.isfinite(num_peaks) else None
        coord = peak_module.ensure_spacing(
            coord, spacing=min_distance, p_norm=p_norm, max_out=max_out
        )
        return coord[:num_peaks] if len(coord) > num_peaks else coord

    peak_module._get_high_intensity_peaks = stable
    try:
        yield
    finally:
        peak_module._get_high_intensity_peaks = original


def tie_order(detail, agree_stable, detail_stable):
    """A difference that a stable argsort removes is the order of equal values, not an error."""
    if agree_stable:
        note = "only the order of equal peaks differs: with ties in raster order they agree"
        return True, detail, note
    return False, f"{detail}; with ties in raster order still {detail_stable}", None


def segment_nuclei(image, diameter):
    """The recipe segmentNucleiClassical follows, with its defaults for a given diameter."""
    level = filters.threshold_otsu(image)
    mask = ndi.binary_fill_holes(image > level)
    distance = ndi.distance_transform_edt(mask)
    components, _ = ndi.label(mask)
    peaks = feature.peak_local_max(
        distance,
        min_distance=max(1, math.floor(diameter / 2)),
        labels=components,
        exclude_border=False,
    )
    seeds = np.zeros(mask.shape, dtype=bool)
    seeds[tuple(peaks.T)] = True
    markers, _ = ndi.label(seeds)
    labels = segmentation.watershed(-distance, markers, mask=mask)
    # JavaScript's Math.round (half up), not Python's round (half to even).
    min_size = math.floor(math.pi * (diameter / 4) ** 2 + 0.5)
    return morphology.remove_small_objects(labels, min_size), level


if __name__ == "__main__":
    if len(sys.argv) != 2:
        sys.exit(__doc__)
    main(sys.argv[1])
