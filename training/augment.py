"""Training augmentations for CPnet on (image, flows) pairs, with the flow vectors kept consistent.

Layouts: image (C, H, W) float32, flows (3, H, W) float32 = [cell probability, dY, dX] with
(dY, dX) in (row, col) = (y, x) coordinates, origin top-left. Every geometric operation moves the
pixels AND turns the vectors the same way, so the flows still point where Cellpose's would.
"""

import numpy as np

from image_edge import image_edge_sides
from resampling import DX, DY, area_matrix, linear_matrix, rescale_sample


def reflect_pad(image, flows, size, rng):
    """Mirror-pads H and W up to at least `size` (the padding split at random between the sides).

    A mirror about a row reverses dY there, about a column reverses dX. Images smaller than half
    of `size` are padded in rounds, each mirroring what is there already, so signs stay right.
    """
    for axis, component in ((1, DY), (2, DX)):
        while image.shape[axis] < size:
            n = image.shape[axis]
            if n < 2:
                raise ValueError(f"cannot mirror-pad an image {n} pixel wide")
            total = min(size - n, 2 * (n - 1))  # np.pad's reflect takes at most n - 1 per side
            before = int(rng.integers(max(0, total - (n - 1)), min(total, n - 1) + 1))
            after = total - before
            widths = [(0, 0)] * 3
            widths[axis] = (before, after)
            image = np.pad(image, widths, mode="reflect")
            flows = np.pad(flows, widths, mode="reflect")
            moved = [slice(None)] * 3
            moved[0] = component
            moved[axis] = slice(0, before)
            flows[tuple(moved)] *= -1
            moved[axis] = slice(before + n, None)
            flows[tuple(moved)] *= -1
    return image, flows


def crop_origin(height, width, size, rng):
    """The top-left corner of a random size x size window inside height x width."""
    return int(rng.integers(0, height - size + 1)), int(rng.integers(0, width - size + 1))


def random_crop(image, flows, size, rng):
    """A size x size window at a random place (mirror-padding first where the image is smaller)."""
    image, flows = reflect_pad(image, flows, size, rng)
    y0, x0 = crop_origin(image.shape[1], image.shape[2], size, rng)
    window = (slice(None), slice(y0, y0 + size), slice(x0, x0 + size))
    return image[window], flows[window]


def flip_x(image, flows):
    """Mirror left-right: x -> W-1-x, so dX changes sign."""
    image = image[:, :, ::-1]
    flows = flows[:, :, ::-1].copy()
    flows[DX] *= -1
    return image, flows


def rot90(image, flows):
    """np.rot90(axes=(1, 2)): (y, x) -> (W-1-x, y), so (dY, dX) -> (-dX, dY)."""
    image = np.rot90(image, 1, axes=(1, 2))
    rotated = np.rot90(flows, 1, axes=(1, 2))
    flows = rotated.copy()
    flows[DY] = -rotated[DX]
    flows[DX] = rotated[DY]
    return image, flows


def dihedral(image, flows, k, mirror):
    """One of the 8 flips/rotations of the square: optional left-right mirror, then k x 90 degrees.

    (An up-down flip is the mirror plus two quarter turns, so it is among the eight.)
    """
    if mirror:
        image, flows = flip_x(image, flows)
    for _ in range(k % 4):
        image, flows = rot90(image, flows)
    return image, flows


def augment_intensity(image, rng, keep_channel_1=0.5):
    """Random gamma, scale, offset and Gaussian noise, drawn for each channel independently.

    All-zero channels stay zero: Cellpose feeds a zero second channel to one-channel models, so
    the nuclei model must only ever see zeros there. For two-channel data channel 1 is left as it
    is with probability `keep_channel_1`. Gamma acts on the 0-1 part of the normalised image; what
    lies outside 0-1 (normalize99 leaves 1% above 1) is added back unchanged, so no intensity
    information is clipped away.
    """
    out = np.array(image, dtype=np.float32, copy=True)
    for c in range(out.shape[0]):
        channel = out[c]
        if not channel.any():
            continue
        if c == 1 and rng.random() < keep_channel_1:
            continue
        gamma = rng.uniform(0.7, 1.4)
        scale = rng.uniform(0.6, 1.4)
        offset = rng.uniform(-0.1, 0.1)
        sigma = rng.uniform(0.0, 0.05)
        clipped = np.clip(channel, 0.0, 1.0)
        channel = clipped**gamma + (channel - clipped)
        channel = channel * scale + offset
        channel += sigma * rng.standard_normal(channel.shape, dtype=np.float32)
        out[c] = channel
    return out


def lower_resolution(image, rng, factors=(1.5, 3.5), noise=0.03):
    """The crop as if imaged with pixels `f` times larger, then resized back up as inference does.

    Cellpose runs small cells at diam_mean / diameter, so a 10 px cell is upsampled 3x, bilinear:
    soft edges and blocky noise the generator never draws. The image is binned by a random f,
    given fresh read noise at the coarse scale, and resized back bilinearly; the cells keep their
    size, so the flows stay exact.
    """
    _, h, w = image.shape
    f = rng.uniform(*factors)
    small_h, small_w = max(2, round(h / f)), max(2, round(w / f))
    down_y, down_x = area_matrix(h, small_h), area_matrix(w, small_w)
    up_y, up_x = linear_matrix(small_h, h), linear_matrix(small_w, w)
    out = np.array(image, dtype=np.float32, copy=True)
    sigma = rng.uniform(0.0, noise)
    for c in range(out.shape[0]):
        if not out[c].any():
            continue  # a zero nuclear channel must stay exactly zero
        coarse = down_y @ out[c] @ down_x.T
        coarse += sigma * rng.standard_normal(coarse.shape)
        out[c] = up_y @ coarse @ up_x.T
    return out


RESCALE_RANGE = (0.75, 1.25)  # Cellpose's scale_range 0.5 around diam_mean / diameter


def augment(
    image,
    flows,
    size,
    rng,
    drop_channel_1=0.0,
    low_resolution=0.0,
    labels=None,
    image_edge=0.0,
    rescale=0.0,
    rescale_to=1.0,
):
    """Random crop, random flip/rotation and intensity augmentation of one training sample.

    With probability `rescale` (and the sample's `labels`) the whole sample is first resized by
    `rescale_to` (diam_mean / its median diameter) times 0.75-1.25, as Cellpose trains. With
    probability `drop_channel_1` a nonzero nuclear channel is zeroed, as when a user gives
    no nuclear channel (Cellpose then feeds zeros), so the model also works on one channel. With
    probability `low_resolution` the crop is imaged at a coarser pixel size (`lower_resolution`).
    With probability `image_edge` (and the sample's `labels`), sides of the crop become image
    edges as inference pads them (`image_edge_sides`).
    """
    if rescale > 0 and labels is not None and rng.random() < rescale:
        scale = rescale_to * rng.uniform(*RESCALE_RANGE)
        image, flows, labels = rescale_sample(image, flows, labels, scale)
    outside = None
    _, h, w = image.shape
    if image_edge > 0 and labels is not None and min(h, w) >= size and rng.random() < image_edge:
        y0, x0 = crop_origin(h, w, size, rng)
        flows, outside = image_edge_sides(flows, labels, y0, x0, size, rng)
        # The edges travel with the pixels as one more channel, zeroed in after the intensities.
        image = np.concatenate([image, outside[None].astype(image.dtype)])
        window = (slice(None), slice(y0, y0 + size), slice(x0, x0 + size))
        image, flows = image[window], flows[window]
    else:
        image, flows = random_crop(image, flows, size, rng)
    image, flows = dihedral(image, flows, int(rng.integers(4)), bool(rng.random() < 0.5))
    if outside is not None:
        image, outside = image[:-1], image[-1] > 0.5
    if low_resolution > 0 and rng.random() < low_resolution:
        image = lower_resolution(image, rng)
    image = augment_intensity(image, rng)
    if drop_channel_1 > 0 and image.shape[0] > 1 and rng.random() < drop_channel_1:
        image[1] = 0.0
    if outside is not None:
        image[:, outside] = 0.0
    as_array = lambda a: np.ascontiguousarray(a, dtype=np.float32)  # noqa: E731
    return as_array(image), as_array(flows)


def center_crop(array, height, width):
    """The central height x width window of a (..., H, W) array."""
    h, w = array.shape[-2:]
    y0, x0 = (h - height) // 2, (w - width) // 2
    return array[..., y0 : y0 + height, x0 : x0 + width]
