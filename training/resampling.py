"""Resampling for training crops: camera binning, bilinear resizing as inference does, and
Cellpose's training rescale of a whole sample towards diam_mean."""

import numpy as np

DY, DX = 1, 2  # flow channels


def area_matrix(n_in, n_out):
    """(n_out, n_in) weights that average each output pixel's footprint, as a camera bins light."""
    edges = np.linspace(0.0, n_in, n_out + 1)
    left, right = edges[:-1, None], edges[1:, None]
    pixel = np.arange(n_in)[None, :]
    overlap = np.clip(np.minimum(right, pixel + 1) - np.maximum(left, pixel), 0.0, None)
    return overlap / overlap.sum(axis=1, keepdims=True)


def linear_matrix(n_in, n_out):
    """(n_out, n_in) bilinear weights with half-pixel centres and clamped edges (cv2 INTER_LINEAR)."""
    source = np.clip((np.arange(n_out) + 0.5) * n_in / n_out - 0.5, 0.0, n_in - 1)
    below = np.floor(source).astype(int)
    above = np.minimum(below + 1, n_in - 1)
    weights = np.zeros((n_out, n_in))
    rows = np.arange(n_out)
    np.add.at(weights, (rows, below), 1.0 - (source - below))
    np.add.at(weights, (rows, above), source - below)
    return weights


def nearest_indices(n_in, n_out):
    """For each output pixel, the input pixel whose footprint holds its centre (cv2 INTER_NEAREST)."""
    return np.minimum(((np.arange(n_out) + 0.5) * n_in / n_out).astype(int), n_in - 1)


def median_diameter(labels):
    """Median equivalent diameter of the labels, as Cellpose's `utils.diameters` (0 when empty)."""
    areas = np.bincount(np.asarray(labels).ravel())[1:]
    areas = areas[areas > 0]
    return float(np.median(np.sqrt(areas)) / np.sqrt(np.pi / 4)) if len(areas) else 0.0


def rescale_sample(image, flows, labels, scale):
    """The whole sample resized by `scale`: the image bilinear as inference resizes it, the labels
    nearest, the cell probability their foreground, and the flows bilinear, then made unit again
    inside the cells (zero outside), as the targets are unit vectors.

    Cellpose trains each image resized by diam_mean / its median diameter, times 0.75-1.25
    (`random_rotate_and_resize`, scale_range 0.5), so the network learns objects at the size that
    inference resizes them to; the generator draws them at their own sizes.
    """
    _, h, w = image.shape
    out_h, out_w = max(2, round(h * scale)), max(2, round(w * scale))
    along_y, along_x = linear_matrix(h, out_h), linear_matrix(w, out_w)
    resize = lambda plane: (along_y @ plane @ along_x.T).astype(np.float32)  # noqa: E731
    resized_image = np.stack([resize(channel) for channel in image])
    resized_labels = labels[nearest_indices(h, out_h)][:, nearest_indices(w, out_w)]
    inside = resized_labels > 0
    dy, dx = resize(flows[DY]), resize(flows[DX])
    length = np.hypot(dy, dx)
    unit = inside & (length > 1e-6)
    dy[unit] /= length[unit]
    dx[unit] /= length[unit]
    dy[~inside] = 0.0
    dx[~inside] = 0.0
    resized_flows = np.stack([inside.astype(np.float32), dy, dx])
    return resized_image, resized_flows, resized_labels
