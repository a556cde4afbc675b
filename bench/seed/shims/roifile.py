"""Stand-in for the pip-only `roifile`: cellpose.io imports it at start-up for ImageJ ROI export,
which inference never calls. Written for cellscope's seed benchmark; an installed roifile wins.
"""


class ImagejRoi:
    def __init__(self, *args, **kwargs):
        raise RuntimeError("roifile is not installed (cellscope bench shim)")


def roiwrite(*args, **kwargs):
    raise RuntimeError("roifile is not installed (cellscope bench shim)")
