"""Image edges as inference shows them, for training crops.

At inference Cellpose pads the normalised image with zeros to a multiple of 16 plus 8 px
(`pad_image_ND`; cellscope's `padSizes`), so a tile at the image border shows 8-15 px of exact
zeros beyond the cells that the field of view cut. Their labels are the visible parts, and the
flow-error QC keeps a mask only where the network's flows match the visible part's own flows.

A random crop of a generated image never shows that: cells cut by the crop keep the flows of the
whole cell, pointing at a centre outside the crop, and the generator seldom cuts cells at its own
borders. Networks trained on that learn no cut cells at image edges, and in real images the cells
at the border go missing (at 176 px, `cellscope-cells` v3 found 51 % of the cells the crop cut
half away, against 90 % of the whole-image ones). `image_edge_sides` makes crop sides image
edges: beyond a band line, image and targets become background, and the cells the line cuts get
the flows of their visible part, computed as Cellpose's `masks_to_flows_cpu` does.
"""

import numpy as np

# `pad_image_ND`: 8 px (div 16 // 2) plus half of the 0-15 px that round up to a multiple of 16.
BAND = (8, 15)


def heat_flows(mask):
    """Unit flows (dY, dX) at a mask's pixels (np.nonzero order), as Cellpose 3.1's
    `masks_to_flows_cpu` computes them for one label: a unit heat source at the mask pixel nearest
    the mean of its coordinates (first in raster order on ties) diffuses over the mask only (3 x 3
    mean, 2 (h + w) iterations of its padded h x w box); the flow is the central-difference
    gradient over 1e-60 + its length (cellscope's `masksToFlows`)."""
    ys, xs = np.nonzero(mask)
    y, x = ys - ys.min() + 1, xs - xs.min() + 1  # in the box padded by one pixel
    ly, lx = y.max() + 2, x.max() + 2
    inside = np.zeros((ly, lx), bool)
    inside[y, x] = True
    nearest = int(np.argmin((y - y.mean()) ** 2 + (x - x.mean()) ** 2))
    heat = np.zeros((ly, lx))
    for _ in range(2 * (ly + lx)):
        heat[y[nearest], x[nearest]] += 1
        total = np.zeros((ly, lx))
        for dy in (-1, 0, 1):
            for dx in (-1, 0, 1):
                total[1:-1, 1:-1] += heat[1 + dy : ly - 1 + dy, 1 + dx : lx - 1 + dx]
        heat = np.where(inside, total / 9.0, 0.0)
    grad_y = heat[y + 1, x] - heat[y - 1, x]
    grad_x = heat[y, x + 1] - heat[y, x - 1]
    length = 1e-60 + np.sqrt(grad_y**2 + grad_x**2)
    return grad_y / length, grad_x / length


def image_edge_sides(flows, labels, y0, x0, size, rng, band=BAND):
    """Makes one to four sides of the crop window at (y0, x0) image edges.

    Each side becomes one with probability 1/2 (at least one does), the image ending `band` px
    inside it. Returns the flows with everything beyond the edges set to background and the cells
    they cut given their visible part's flows (whole-image arrays, so a cut cell reaching past
    another side keeps all of its visible pixels), and `outside`, (H, W) True beyond the edges,
    where the image must be zeroed once all intensity augmentation is done.
    """
    h, w = labels.shape
    sides = rng.random(4) < 0.5
    if not sides.any():
        sides[rng.integers(4)] = True
    widths = rng.integers(band[0], band[1] + 1, size=4)
    outside = np.zeros((h, w), bool)
    if sides[0]:
        outside[: y0 + widths[0]] = True
    if sides[1]:
        outside[y0 + size - widths[1] :] = True
    if sides[2]:
        outside[:, : x0 + widths[2]] = True
    if sides[3]:
        outside[:, x0 + size - widths[3] :] = True
    window = (slice(y0, y0 + size), slice(x0, x0 + size))
    seen, gone = labels[window], outside[window]
    cut = np.intersect1d(seen[gone], seen[~gone])
    flows = np.array(flows, dtype=np.float32, copy=True)
    for label in cut[cut > 0]:
        visible = (labels == label) & ~outside
        ys, xs = np.nonzero(visible)
        flows[1, ys, xs], flows[2, ys, xs] = heat_flows(visible)
    flows[:, outside] = 0.0
    return flows, outside
