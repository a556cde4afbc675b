"""Checks that the augmentations move flow vectors with the pixels.

A disc with the analytic radial field (unit vectors towards its centre, as Cellpose's normalised
flows of a round object) must come out of every flip, rotation, crop and mirror-pad as the radial
field of the disc's new centre. Run: /usr/bin/python3 training/test_augment.py
"""

import itertools
import os
import sys

import numpy as np

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
from augment import (  # noqa: E402
    augment,
    augment_intensity,
    dihedral,
    lower_resolution,
    random_crop,
    reflect_pad,
)
from image_edge import heat_flows, image_edge_sides  # noqa: E402
from resampling import (  # noqa: E402
    area_matrix,
    linear_matrix,
    median_diameter,
    nearest_indices,
    rescale_sample,
)


def radial(height, width, centers, radius):
    """(image, flows [inside, dY, dX]) for discs at (cy, cx), dY/dX pointing at the centre."""
    y, x = np.mgrid[0:height, 0:width].astype(np.float64)
    flows = np.zeros((3, height, width))
    for cy, cx in centers:
        dy, dx = cy - y, cx - x
        dist = np.hypot(dy, dx)
        inside = (dist < radius) & (dist > 0)
        flows[0][dist < radius] = 1
        flows[1][inside] = dy[inside] / dist[inside]
        flows[2][inside] = dx[inside] / dist[inside]
    image = np.stack([flows[0] * 0.8 + 0.1, np.zeros((height, width))])
    return image.astype(np.float32), flows.astype(np.float32)


def test_dihedral_moves_radial_field():
    h, w, cy, cx, r = 40, 56, 13, 31, 9.5
    image, flows = radial(h, w, [(cy, cx)], r)
    marker = np.zeros((1, h, w), np.float32)
    marker[0, cy, cx] = 1
    expected_centres = {}
    for k, mirror in itertools.product(range(4), (False, True)):
        moved_image, moved_flows = dihedral(image, flows, k, mirror)
        moved_marker, _ = dihedral(marker, np.zeros((3, h, w), np.float32), k, mirror)
        ny, nx = np.unravel_index(np.argmax(moved_marker[0]), moved_marker[0].shape)
        expected_image, expected_flows = radial(*moved_flows.shape[1:], [(ny, nx)], r)
        assert np.array_equal(moved_image, expected_image), (k, mirror)
        assert np.abs(moved_flows - expected_flows).max() < 1e-6, (k, mirror)
        expected_centres[(k, mirror)] = (int(ny), int(nx))
    # The centre itself goes where the closed form says: rot90 maps (y, x) -> (W-1-x, y).
    assert expected_centres[(0, True)] == (cy, w - 1 - cx)
    assert expected_centres[(1, False)] == (w - 1 - cx, cy)
    assert expected_centres[(2, False)] == (h - 1 - cy, w - 1 - cx)
    assert expected_centres[(3, False)] == (cx, h - 1 - cy)


def test_reflect_pad_mirrors_radial_field():
    # A disc cut by the top-left corner: each mirrored copy is the field of the mirrored centre.
    h, w, cy, cx, r = 20, 24, 3.0, 4.0, 6.5
    image, flows = radial(h, w, [(cy, cx)], r)
    rng = np.random.default_rng(1)
    padded_image, padded_flows = reflect_pad(image, flows, 32, rng)
    ph, pw = padded_image.shape[1:]
    assert (ph, pw) == (32, 32)
    # Find where the original sits (the pad split is random).
    oy, ox = next(
        (oy, ox)
        for oy in range(ph - h + 1)
        for ox in range(pw - w + 1)
        if np.array_equal(padded_image[:, oy : oy + h, ox : ox + w], image)
    )
    ys = [oy + cy, oy - cy, oy + 2 * (h - 1) - cy]  # the centre and its mirrors about row 0 and h-1
    xs = [ox + cx, ox - cx, ox + 2 * (w - 1) - cx]
    y, x = np.mgrid[0:ph, 0:pw]
    region_y = np.where(y < oy, 1, np.where(y > oy + h - 1, 2, 0))
    region_x = np.where(x < ox, 1, np.where(x > ox + w - 1, 2, 0))
    for ry, rx in itertools.product(range(3), range(3)):
        _, expected = radial(ph, pw, [(ys[ry], xs[rx])], r)
        region = (region_y == ry) & (region_x == rx)
        if region.any():
            assert np.abs(padded_flows[:, region] - expected[:, region]).max() < 1e-6, (ry, rx)


def test_reflect_pad_in_rounds():
    # An image much smaller than the crop is mirrored several times; every pixel must still be a
    # mirror image of an original pixel, with the sign of the number of mirrors on dY/dX.
    rng = np.random.default_rng(2)
    h, w, size = 5, 7, 40
    image = rng.permutation(h * w).reshape(1, h, w).astype(np.float32)  # unique values
    flows = rng.normal(size=(3, h, w)).astype(np.float32)
    padded_image, padded_flows = reflect_pad(image, flows, size, rng)
    assert padded_image.shape[1:] == (size, size)
    for (py, px), value in np.ndenumerate(padded_image[0]):
        y, x = np.argwhere(image[0] == value)[0]
        assert padded_flows[0, py, px] == flows[0, y, x]
        assert abs(padded_flows[1, py, px]) == abs(flows[1, y, x])
        assert abs(padded_flows[2, py, px]) == abs(flows[2, y, x])
    # Walking down the padded column, the source row steps by +1 (an upright copy) or -1 (a
    # mirrored one); dY must carry that sign. Rows where the walk turns lie on a mirror line,
    # where either sign is as good (a mirror-symmetric field has dY = 0 there).
    found = [np.argwhere(image[0] == padded_image[0, py, 0])[0] for py in range(size)]
    source, column = [int(f[0]) for f in found], int(found[0][1])
    steps = np.diff(source)
    assert set(np.abs(steps)) == {1}
    for py in range(1, size - 1):
        if steps[py - 1] == steps[py]:
            ratio = padded_flows[1, py, 0] / flows[1, source[py], column]
            assert ratio == steps[py], (py, ratio, steps[py])
    assert (steps > 0).any() and (steps < 0).any()


def test_augment_keeps_flows_radial():
    rng = np.random.default_rng(3)
    image, flows = radial(80, 80, [(40, 40)], 8.5)
    for _ in range(32):
        crop_image, crop_flows = augment(image, flows, 64, rng)
        assert crop_image.shape == (2, 64, 64) and crop_flows.shape == (3, 64, 64)
        ys, xs = np.nonzero(crop_flows[0])
        centre = (ys.mean(), xs.mean())
        _, expected = radial(64, 64, [centre], 8.5)
        assert np.abs(crop_flows - expected).max() < 1e-5
        assert not crop_image[1].any(), "an all-zero nuclear channel must stay zero"


def test_random_crop_shifts_centre():
    rng = np.random.default_rng(4)
    image, flows = radial(50, 70, [(25, 35)], 10.0)
    crop_image, crop_flows = random_crop(image, flows, 32, rng)
    ys, xs = np.nonzero(crop_image[0] > 0.5)
    assert crop_image.shape == (2, 32, 32)
    # The disc (diameter 20) may be cut; the flow vectors must not have changed.
    original = flows[:, :, :]
    found = any(
        np.array_equal(original[:, y0 : y0 + 32, x0 : x0 + 32], crop_flows)
        for y0 in range(19)
        for x0 in range(39)
    )
    assert found and len(ys) > 0


def test_intensity_ranges():
    rng = np.random.default_rng(5)
    image = np.stack([np.linspace(-0.1, 1.3, 64 * 64).reshape(64, 64)] * 2).astype(np.float32)
    kept = 0
    for _ in range(200):
        out = augment_intensity(image, rng)
        assert out.dtype == np.float32 and np.isfinite(out).all()
        kept += np.array_equal(out[1], image[1])
        assert not np.array_equal(out[0], image[0])
        # scale <= 1.4, offset <= 0.1, noise sigma <= 0.05: bounded well within +-2.5
        assert np.abs(out).max() < 2.5
    assert 70 < kept < 130, kept  # channel 1 of two-channel data is kept half the time
    zeros = np.zeros((2, 8, 8), np.float32)
    zeros[0] = 0.5
    assert not augment_intensity(zeros, rng)[1].any()


def test_resampling_matrices():
    # Binning 6 pixels into 2 averages each triple; into 4, each output covers 1.5 inputs.
    assert np.allclose(area_matrix(6, 2), [[1 / 3] * 3 + [0] * 3, [0] * 3 + [1 / 3] * 3])
    assert np.allclose(area_matrix(6, 4)[0], [2 / 3, 1 / 3, 0, 0, 0, 0])
    # Doubling 2 -> 4 with half-pixel centres: sources -0.25 (clamped), 0.25, 0.75, 1.25 (clamped).
    assert np.allclose(linear_matrix(2, 4), [[1, 0], [0.75, 0.25], [0.25, 0.75], [0, 1]])
    for n_in, n_out in ((128, 37), (37, 128)):
        assert np.allclose(area_matrix(n_in, n_out).sum(axis=1), 1)
        assert np.allclose(linear_matrix(n_in, n_out).sum(axis=1), 1)


def test_lower_resolution_blurs_but_keeps_level():
    rng = np.random.default_rng(3)
    image, _ = radial(64, 64, [(32, 32)], 14)
    image[1] = 0
    edges = lambda a: np.abs(np.diff(a, axis=1)).max()  # noqa: E731
    for _ in range(20):
        out = lower_resolution(image, rng, noise=0.0)
        assert out.shape == image.shape and out.dtype == np.float32
        assert not out[1].any()  # a zero nuclear channel stays zero
        assert abs(out[0].mean() - image[0].mean()) < 0.01  # binning and resizing keep the level
        assert edges(out[0]) < 0.6 * edges(image[0])  # the disc's 0.8 step is softened
        assert abs(out[0, 32, 32] - 0.9) < 1e-5 and abs(out[0, 2, 2] - 0.1) < 1e-5


def disc_labels(height, width, discs):
    """A label image of discs [(label, cy, cx, radius)], later ones drawn over earlier ones."""
    y, x = np.mgrid[0:height, 0:width]
    labels = np.zeros((height, width), np.int32)
    for label, cy, cx, r in discs:
        labels[(y - cy) ** 2 + (x - cx) ** 2 < r * r] = label
    return labels


def test_median_diameter_is_cellposes():
    labels = np.zeros((40, 40), np.int32)
    labels[0:10, 0:10] = 1  # area 100: sqrt(100) / sqrt(pi / 4)
    labels[20:24, 20:24] = 2  # area 16
    labels[30:39, 30:39] = 3  # area 81
    assert np.isclose(median_diameter(labels), 9 / np.sqrt(np.pi / 4))
    assert median_diameter(np.zeros((5, 5), np.int32)) == 0.0


def test_rescale_sample_keeps_a_radial_disc_radial():
    image, flows = radial(48, 40, [(20.0, 18.0)], 7)
    labels = (flows[0] > 0).astype(np.int32)
    out_image, out_flows, out_labels = rescale_sample(image, flows, labels, 2.0)
    assert out_image.shape == (2, 96, 80) and out_flows.shape == (3, 96, 80)
    assert out_labels.shape == (96, 80) and not out_image[1].any()  # a zero channel stays zero
    assert np.array_equal(out_flows[0], (out_labels > 0).astype(np.float32))
    assert abs(median_diameter(out_labels) - 2 * median_diameter(labels)) < 1.0
    # The disc centre (20, 18) in half-pixel-centred coordinates lands at (40.5, 36.5).
    y, x = np.mgrid[0:96, 0:80].astype(np.float64)
    dy, dx = 40.5 - y, 36.5 - x
    dist = np.hypot(dy, dx)
    core = (out_labels > 0) & (dist > 3) & (dist < 12)
    cosine = (out_flows[1] * dy + out_flows[2] * dx)[core] / dist[core]
    assert core.sum() > 300 and cosine.min() > 0.98
    inside = out_labels > 0
    assert np.allclose(np.hypot(out_flows[1], out_flows[2])[inside & (dist > 1)], 1.0, atol=1e-5)
    assert not out_flows[1:, ~inside].any()
    assert np.array_equal(nearest_indices(4, 8), [0, 0, 1, 1, 2, 2, 3, 3])


def test_augment_rescale_brings_objects_to_the_wanted_size():
    image, flows = radial(24, 24, [(11.5, 11.5)], 5)
    labels = (flows[0] > 0).astype(np.int32)
    base = median_diameter(labels)
    rng = np.random.default_rng(3)
    diameters = []
    for _ in range(8):
        out, out_flows = augment(image, flows, 64, rng, labels=labels, rescale=1.0, rescale_to=2.5)
        assert out.shape == (2, 64, 64)
        # The disc stays whole: the resized image is 45-75 px, mirror-padded at its blank edges.
        diameters.append(2 * np.sqrt((out_flows[0] > 0).sum() / np.pi))
    assert 0.75 * 2.5 * base - 1 <= min(diameters) and max(diameters) <= 1.25 * 2.5 * base + 1
    assert max(diameters) - min(diameters) > 0.2 * 2.5 * base  # the 0.75-1.25 spread is drawn


def test_heat_flows_point_at_the_visible_centre():
    # A whole disc: unit flows pointing at its centre pixel.
    disc = disc_labels(41, 41, [(1, 20, 20, 12)]) == 1
    dy, dx = heat_flows(disc)
    ys, xs = np.nonzero(disc)
    assert np.allclose(np.hypot(dy, dx)[(ys != 20) | (xs != 20)], 1)
    away = np.hypot(ys - 20, xs - 20) > 2
    towards = (dy * (20 - ys) + dx * (20 - xs))[away] / np.hypot(ys - 20, xs - 20)[away]
    assert towards.min() > 0.9
    # Its right half alone (cut at column 20): the flows converge inside the half, near its
    # centroid (column 20 + 4r/3π ≈ 25), never at the cut-away centre.
    half = disc.copy()
    half[:, :20] = False
    dy, dx = heat_flows(half)
    ys, xs = np.nonzero(half)
    assert dx[(ys == 20) & (xs == 20)][0] > 0.99  # at the cut the flow points into the half
    assert dx[(ys == 20) & (xs == 31)][0] < -0.99


def test_image_edge_sides_cut_cells_and_background():
    # Discs on a 96 x 96 image; the 64 px window at (16, 16) cuts discs 1 (left) and 2 (top).
    labels = disc_labels(96, 96, [(1, 48, 20, 10), (2, 20, 48, 10), (3, 48, 48, 10)])
    flows = np.zeros((3, 96, 96), np.float32)
    for label in (1, 2, 3):
        ys, xs = np.nonzero(labels == label)
        flows[0, ys, xs] = 1
        flows[1, ys, xs], flows[2, ys, xs] = heat_flows(labels == label)
    seen = set()
    for seed in range(40):
        rng = np.random.default_rng(seed)
        out, outside = image_edge_sides(flows, labels, 16, 16, 64, rng)
        window = outside[16:80, 16:80]
        sides = (window[0].all(), window[-1].all(), window[:, 0].all(), window[:, -1].all())
        assert any(sides)
        for side, line in zip(sides, (window[:, 40], window[:, 40][::-1], window[40], window[40][::-1])):
            # Each edge band is 8-15 px deep, as pad_image_ND pads; other sides stay image.
            assert 8 <= line.argmin() <= 15 if side else not line[0]
        seen.add(sides)
        assert not out[:, outside].any()  # background beyond the edges
        assert np.array_equal(out[:, labels == 3], flows[:, labels == 3])  # uncut: unchanged
        for label in (1, 2):
            visible = (labels == label) & ~outside
            if visible.all() or not visible.any() or np.array_equal(visible, labels == label):
                continue
            ys, xs = np.nonzero(visible)
            dy, dx = heat_flows(visible)
            assert np.allclose(out[1, ys, xs], dy) and np.allclose(out[2, ys, xs], dx)
    assert len(seen) > 6  # sides drawn at random


def test_augment_image_edge_zeroes_the_band():
    labels = disc_labels(96, 96, [(1, 30, 30, 12), (2, 60, 62, 14)])
    image = np.stack([(labels > 0) * 0.8 + 0.1, np.full((96, 96), 0.5)]).astype(np.float32)
    flows = np.zeros((3, 96, 96), np.float32)
    flows[0] = labels > 0
    rng = np.random.default_rng(0)
    for _ in range(20):
        out, out_flows = augment(image, flows, 64, rng, labels=labels, image_edge=1.0)
        zero = ~out.any(axis=0)
        rows, cols = zero.all(axis=1), zero.all(axis=0)
        # Exact zeros (after the intensity changes) in whole rows or columns at the border only.
        assert rows[0] or rows[-1] or cols[0] or cols[-1]
        assert np.array_equal(zero, rows[:, None] | cols[None, :])
        assert not out_flows[:, zero].any()
    # Without labels (or with image_edge 0) nothing changes: no zero band.
    out, _ = augment(image, flows, 64, np.random.default_rng(0), image_edge=1.0)
    assert out.all()


if __name__ == "__main__":
    tests = [(name, f) for name, f in sorted(globals().items()) if name.startswith("test_")]
    for name, test in tests:
        test()
        print(f"ok {name}")
    print(f"{len(tests)} passed")
