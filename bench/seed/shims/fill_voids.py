"""Stand-in for the pip-only `fill_voids`: Cellpose 3.1 calls `fill(mask)` on 2-D boolean masks,
which is scipy's binary_fill_holes there. Written for cellscope's seed benchmark; an installed
fill_voids wins (this folder comes last on sys.path).
"""

from scipy.ndimage import binary_fill_holes


def fill(mask, in_place=False, return_fill_count=False):
    filled = binary_fill_holes(mask)
    if return_fill_count:
        return filled, int(filled.sum() - mask.sum())
    return filled
