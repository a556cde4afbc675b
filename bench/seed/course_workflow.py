"""The Python side of cellscope's seed benchmark (bench/seed.bench.ts): what the course notebook
(../shared/reference/000_12b94c3fe9410566.txt, "Block 4") does, as one whole process.

  workflow IMAGE OUT NUCLEI.pth CELLS.pth   nuclei at diameter 170 on channel 1, cells at 200 with
                                            channels [2, 1], regionprops tables, max-overlap
                                            matching, derived features, questions A-F plots, the
                                            2x2 overlay; tables to CSV and figures to PNG in OUT
  cellpose IMAGE OUT CELLS.pth              one Cellpose run: diameter 170, channels [2, 1]
  measure LABELS OUT                        regionprops_table: area, perimeter, centroid,
                                            feret_diameter_max, to CSV

Cellpose 3.1.1.3 comes from its source at $CELLPOSE_SRC. The last stdout line is a JSON summary
(object counts, versions, which pip-only modules came from bench/seed/shims).
"""

import json
import os
import sys

HERE = os.path.dirname(os.path.abspath(__file__))
# Cellpose's source first; our shims last, so installed packages win over them.
sys.path.insert(0, os.environ["CELLPOSE_SRC"])
sys.path.append(os.path.join(HERE, "shims"))

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
import tifffile  # noqa: E402


def shims_used():
    names = ["fastremap", "fill_voids", "roifile"]
    return [n for n in names if n in sys.modules and sys.modules[n].__file__.startswith(HERE)]


def cellpose_model(path):
    """A CellposeModel for a .pth of any CPnet width: Cellpose 3.1 builds nbase [2,32,64,128,256]
    unconditionally, so the widths are read off the weights (cellscope's models are narrower)."""
    import torch
    from cellpose import models, resnet_torch

    state = torch.load(path, map_location="cpu")
    widths = [state["downsample.down.res_down_0.conv.conv_0.2.weight"].shape[1]]
    level = 0
    while f"downsample.down.res_down_{level}.conv.conv_0.2.weight" in state:
        widths.append(state[f"downsample.down.res_down_{level}.conv.conv_0.2.weight"].shape[0])
        level += 1

    class Net(resnet_torch.CPnet):
        # core.run_net holds styles in 256 columns; narrower styles are zero-padded (unused here).
        def forward(self, x):
            y, style, *rest = super().forward(x)
            pad = 256 - style.shape[1]
            return (y, torch.nn.functional.pad(style, (0, pad)) if pad > 0 else style, *rest)

    def cpnet(nbase, *args, **kwargs):
        return Net(widths, *args, **kwargs)

    models.CPnet = cpnet
    torch_compat()
    return models.CellposeModel(gpu=False, pretrained_model=path)


def torch_compat():
    """Debian's torch 1.13 refuses int32 index tensors, which Cellpose 3.1 (written for torch 2)
    hands get_masks_torch; the same positions as int64 give the same masks."""
    from cellpose import dynamics

    get_masks = dynamics.get_masks_torch
    if getattr(get_masks, "int64_indices", False):
        return

    def int64_indices(pt, *args, **kwargs):
        return get_masks(pt.long(), *args, **kwargs)

    int64_indices.int64_indices = True
    dynamics.get_masks_torch = int64_indices


def count(labels):
    return int(len(np.unique(labels)) - (1 if (labels == 0).any() else 0))


def run_cellpose(image, out, cells_model):
    model = cellpose_model(cells_model)
    masks, _, _ = model.eval(image, diameter=170, channels=[2, 1])
    tifffile.imwrite(os.path.join(out, "masks.tif"), masks.astype(np.uint32))
    return {"cells": count(masks)}


def run_measure(labels_path, out):
    from skimage.measure import regionprops_table

    labels = tifffile.imread(labels_path)
    props = regionprops_table(
        labels, properties=["area", "perimeter", "centroid", "feret_diameter_max"]
    )
    table = pd.DataFrame(props)
    table.to_csv(os.path.join(out, "table.csv"), index=False)
    return {"objects": len(table)}


def run_workflow(img, out, nuclei_model, cells_model):
    # Imported here, not at the top: the measure figure makes no plots, so it pays no pyplot.
    import matplotlib

    matplotlib.use("Agg")
    import matplotlib.pyplot as plt
    import seaborn as sns
    from skimage.color import label2rgb
    from skimage.measure import regionprops, regionprops_table

    sns.set_theme(style="whitegrid")
    img_ch1, img_ch2 = img[0], img[1]

    model = cellpose_model(nuclei_model)
    masks_c1, _, _ = model.eval(img_ch1, diameter=170, channels=[0, 0])
    model = cellpose_model(cells_model)
    masks_c2c1, _, _ = model.eval(img, diameter=200, channels=[2, 1])

    def save(name):
        plt.savefig(os.path.join(out, name))
        plt.close("all")

    # The 2x2 overlay.
    fig, axes = plt.subplots(2, 2, figsize=(12, 10))
    axes[0, 0].imshow(img_ch1, cmap="gray")
    axes[0, 1].imshow(img_ch1, cmap="gray")
    axes[0, 1].imshow(label2rgb(label=masks_c1, image=img_ch1, bg_label=0), alpha=0.5)
    axes[1, 0].imshow(img_ch2, cmap="gray")
    axes[1, 1].imshow(img_ch2, cmap="gray")
    axes[1, 1].imshow(label2rgb(label=masks_c1, bg_label=0), alpha=0.45)
    axes[1, 1].imshow(label2rgb(label=masks_c2c1, bg_label=0), alpha=0.45)
    for ax in axes.ravel():
        ax.axis("off")
    plt.tight_layout()
    save("overlay.png")

    features = ["area", "perimeter", "centroid", "intensity_mean", "feret_diameter_max"]
    props_nuclei = regionprops_table(masks_c1, intensity_image=img_ch1, properties=features)
    pd.DataFrame(props_nuclei).rename(columns={"intensity_mean": "intensity_mean_ch1"}).round(
        2
    ).to_csv(os.path.join(out, "nuclei.csv"), index=False)
    props_cells = regionprops_table(masks_c2c1, intensity_image=img_ch2, properties=features)
    pd.DataFrame(props_cells).rename(columns={"intensity_mean": "intensity_mean_ch2"}).round(
        2
    ).to_csv(os.path.join(out, "cells.csv"), index=False)

    # Matching, as the notebook writes it.
    def means(labels, channel):
        return {p.label: p.intensity_mean for p in regionprops(labels, intensity_image=channel)}

    nuc_ch1, nuc_ch2 = means(masks_c1, img[0]), means(masks_c1, img[1])
    cell_ch1, cell_ch2 = means(masks_c2c1, img[0]), means(masks_c2c1, img[1])
    nuc_lookup = {}
    for p in regionprops(masks_c1):
        nuc_lookup[p.label] = {
            "nuclei_label": int(p.label),
            "nuclei_area": float(p.area),
            "nuclei_centroid_row": float(p.centroid[0]),
            "nuclei_centroid_col": float(p.centroid[1]),
            "nuclei_intensity_mean_ch1": nuc_ch1.get(p.label, np.nan),
            "nuclei_intensity_mean_ch2": nuc_ch2.get(p.label, np.nan),
        }
    no_nucleus = {
        k: np.nan
        for k in [
            "nuclei_label",
            "nuclei_area",
            "nuclei_centroid_row",
            "nuclei_centroid_col",
            "nuclei_intensity_mean_ch1",
            "nuclei_intensity_mean_ch2",
        ]
    }
    rows = []
    for c in regionprops(masks_c2c1):
        cell_label = int(c.label)
        overlap = masks_c1[masks_c2c1 == cell_label]
        labels, counts = np.unique(overlap, return_counts=True)
        matched_n = 0
        nz = labels != 0
        if nz.any():
            matched_n = int(labels[nz][np.argmax(counts[nz])])
        row = {
            "cell_label": cell_label,
            "cell_area": float(c.area),
            "cell_centroid_row": float(c.centroid[0]),
            "cell_centroid_col": float(c.centroid[1]),
            "cell_perimeter": float(c.perimeter),
            "cell_intensity_mean_ch1": cell_ch1.get(cell_label, np.nan),
            "cell_intensity_mean_ch2": cell_ch2.get(cell_label, np.nan),
            "cell_feret_diameter_max": float(c.feret_diameter_max),
            "matched_nucleus_label": matched_n,
        }
        row.update(nuc_lookup.get(matched_n, no_nucleus) if matched_n else no_nucleus)
        rows.append(row)
    df = pd.DataFrame(rows).round(2)

    def histogram(data, x, hue, palette, alpha, name):
        plt.figure(figsize=(10, 5))
        if len(data):
            sns.histplot(data=data, x=x, hue=hue, kde=True, bins=30, palette=palette, alpha=alpha)
        save(name)

    def regression(x, y, colour, name):
        plt.figure(figsize=(10, 6))
        if df[[x, y]].dropna().shape[0] > 1:
            sns.regplot(data=df, x=x, y=y, scatter_kws={"alpha": 0.4}, color=colour)
        save(name)
        return df[[x, y]].corr().iloc[0, 1]

    # A: areas.
    nuc_areas = [p.area for p in regionprops(masks_c1)]
    cell_areas = [p.area for p in regionprops(masks_c2c1)]
    areas = pd.DataFrame(
        {
            "Area": nuc_areas + cell_areas,
            "Type": ["Nucleus"] * len(nuc_areas) + ["Cell"] * len(cell_areas),
        }
    )
    histogram(areas, "Area", "Type", ["steelblue", "seagreen"], 0.6, "a_areas.png")

    # B: area ratios.
    df["cytoplasm_area"] = df["cell_area"] - df["nuclei_area"]
    df["cell_nuc_ratio"] = df["cell_area"] / df["nuclei_area"]
    df["cyto_nuc_ratio"] = df["cytoplasm_area"] / df["nuclei_area"]
    valid = df.dropna(subset=["cell_nuc_ratio", "cyto_nuc_ratio"])
    valid = valid[np.isfinite(valid["cell_nuc_ratio"]) & np.isfinite(valid["cyto_nuc_ratio"])]
    melted = valid.melt(
        value_vars=["cell_nuc_ratio", "cyto_nuc_ratio"], var_name="Ratio Type", value_name="Ratio"
    )
    histogram(melted, "Ratio", "Ratio Type", ["orchid", "seagreen"], 0.5, "b_ratios.png")
    ordered = valid.sort_values("cell_area").reset_index(drop=True)
    plt.figure(figsize=(12, 6))
    if len(ordered) > 1:
        sns.regplot(data=ordered, x="cell_area", y="cell_nuc_ratio", color="darkorchid")
        sns.regplot(data=ordered, x="cell_area", y="cyto_nuc_ratio", color="seagreen")
    save("b_scaling.png")

    # C: intensities.
    nuc_means = [p.intensity_mean for p in regionprops(masks_c1, intensity_image=img_ch1)]
    cell_means = [p.intensity_mean for p in regionprops(masks_c2c1, intensity_image=img_ch2)]
    intensities = pd.DataFrame(
        {
            "Intensity": nuc_means + cell_means,
            "Type": ["Nucleus (Ch1)"] * len(nuc_means) + ["Cell (Ch2)"] * len(cell_means),
        }
    )
    histogram(intensities, "Intensity", "Type", ["steelblue", "seagreen"], 0.6, "c_intensity.png")

    # D, E, F: correlations.
    ch3 = means(masks_c2c1, img[2])
    df["cell_intensity_mean_ch3"] = df["cell_label"].map(ch3)
    df["nuc_cell_area_ratio"] = df["nuclei_area"] / df["cell_area"]
    regression("nuc_cell_area_ratio", "cell_intensity_mean_ch3", "mediumpurple", "d_crowding.png")
    regression(
        "nuclei_intensity_mean_ch1", "cell_intensity_mean_ch2", "forestgreen", "e_leakage.png"
    )
    df["roundness"] = (4 * np.pi * df["cell_area"]) / (df["cell_perimeter"] ** 2)
    regression("roundness", "cell_intensity_mean_ch2", "salmon", "f_roundness.png")
    df.to_csv(os.path.join(out, "cells_matched.csv"), index=False)
    return {"nuclei": count(masks_c1), "cells": count(masks_c2c1)}


def main():
    mode, *args = sys.argv[1:]
    if mode == "measure":
        summary = run_measure(*args)
    else:
        from cellpose.io import imread

        img = imread(args[0])
        if mode == "cellpose":
            summary = run_cellpose(img, args[1], args[2])
        else:
            summary = run_workflow(img, *args[1:])
    summary["versions"] = {"numpy": np.__version__}
    # Only versions already loaded: importing torch for measure would slow that process down.
    if "torch" in sys.modules:
        summary["versions"]["torch"] = sys.modules["torch"].__version__
    if "skimage" in sys.modules:
        summary["versions"]["skimage"] = sys.modules["skimage"].__version__
    summary["shims"] = shims_used()
    print(json.dumps(summary))


if __name__ == "__main__":
    main()
