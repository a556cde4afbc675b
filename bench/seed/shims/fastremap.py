"""Stand-in for the pip-only `fastremap`, with the three calls Cellpose 3.1 makes on its inference
path (unique, mask, renumber), in NumPy. Written for cellscope's seed benchmark, not copied; used
only when the real package is not installed (this folder is appended to sys.path, so an installed
fastremap wins). NumPy is slower than fastremap's C++: this favours cellscope, and the bench says so.
"""

import numpy as np


def unique(labels, return_counts=False):
    return np.unique(labels, return_counts=return_counts)


def mask(labels, values, in_place=False, value=0):
    out = labels if in_place else labels.copy()
    out[np.isin(out, values)] = value
    return out


def renumber(labels, start=1, preserve_zero=True, in_place=False):
    """Consecutive labels from `start` in order of first appearance (C order); 0 stays 0."""
    flat = labels.reshape(-1)
    values, first, inverse = np.unique(flat, return_index=True, return_inverse=True)
    new = np.zeros(len(values), dtype=np.int64)
    order = np.argsort(first, kind="stable")
    if preserve_zero:
        order = order[values[order] != 0]
    new[order] = np.arange(start, start + len(order))
    out = new[inverse].reshape(labels.shape).astype(labels.dtype, copy=False)
    if in_place:
        labels[...] = out
        out = labels
    remap = {int(values[k]): int(new[k]) for k in range(len(values))}
    return out, remap
