"""Cellpose 3's CPnet (cellpose/resnet_torch.py, default options), written for training here.

The module tree mirrors Cellpose's so that `state_dict()` has Cellpose's keys, shapes and order:
a file saved from this network loads into cellscope (and into Cellpose) like official weights.
Only the default configuration exists: residual blocks, style on, additive skips (no
concatenation), max-pool downsampling, no mkldnn.
"""

import os
from collections import OrderedDict

import torch
import torch.nn.functional as F
from torch import nn

BN_EPS = 1e-5
BN_MOMENTUM = 0.05  # Cellpose 3's batchconv; torch's default is 0.1


def batchconv(cin, cout, kernel):
    """Pre-activation conv: BatchNorm -> ReLU -> conv (keys .0 and .2)."""
    return nn.Sequential(
        OrderedDict(
            [
                ("0", nn.BatchNorm2d(cin, eps=BN_EPS, momentum=BN_MOMENTUM)),
                ("1", nn.ReLU(inplace=True)),
                ("2", nn.Conv2d(cin, cout, kernel, padding=kernel // 2)),
            ]
        )
    )


def batchconv0(cin, cout, kernel):
    """BatchNorm -> conv without ReLU: the 1x1 projections of the residual blocks (.0, .1)."""
    return nn.Sequential(
        OrderedDict(
            [
                ("0", nn.BatchNorm2d(cin, eps=BN_EPS, momentum=BN_MOMENTUM)),
                ("1", nn.Conv2d(cin, cout, kernel, padding=kernel // 2)),
            ]
        )
    )


class ResDown(nn.Module):
    """Encoder block: a = proj(x) + c1(c0(x)); out = a + c3(c2(a))."""

    def __init__(self, cin, cout, kernel):
        super().__init__()
        self.conv = nn.Sequential(
            OrderedDict(
                (f"conv_{k}", batchconv(cin if k == 0 else cout, cout, kernel)) for k in range(4)
            )
        )
        self.proj = batchconv0(cin, cout, 1)

    def forward(self, x):
        c = self.conv
        a = self.proj(x) + c[1](c[0](x))
        return a + c[3](c[2](a))


class StyleConv(nn.Module):
    """Adds an optional skip, then a per-channel bias from the style vector, then batchconv."""

    def __init__(self, cin, cout, style_channels, kernel):
        super().__init__()
        self.conv = batchconv(cin, cout, kernel)
        self.full = nn.Linear(style_channels, cout)

    def forward(self, style, x, skip=None):
        if skip is not None:
            x = x + skip
        return self.conv(x + self.full(style)[:, :, None, None])


class ResUp(nn.Module):
    """Decoder block: a = proj(x) + c1(style, c0(x), skip); out = a + c3(style, c2(style, a))."""

    def __init__(self, cin, cout, style_channels, kernel):
        super().__init__()
        self.conv = nn.Sequential(
            OrderedDict(
                [
                    ("conv_0", batchconv(cin, cout, kernel)),
                    ("conv_1", StyleConv(cout, cout, style_channels, kernel)),
                    ("conv_2", StyleConv(cout, cout, style_channels, kernel)),
                    ("conv_3", StyleConv(cout, cout, style_channels, kernel)),
                ]
            )
        )
        self.proj = batchconv0(cin, cout, 1)

    def forward(self, x, skip, style):
        c = self.conv
        a = self.proj(x) + c[1](style, c[0](x), skip)
        return a + c[3](style, c[2](style, a))


class Encoder(nn.Module):
    def __init__(self, nbase, kernel):
        super().__init__()
        self.down = nn.Sequential(
            OrderedDict(
                (f"res_down_{n}", ResDown(nbase[n], nbase[n + 1], kernel))
                for n in range(len(nbase) - 1)
            )
        )

    def forward(self, x):
        features = []
        for n, block in enumerate(self.down):
            x = block(x if n == 0 else F.max_pool2d(x, 2, 2))
            features.append(x)
        return features


class Decoder(nn.Module):
    def __init__(self, nbaseup, kernel):
        super().__init__()
        style_channels = nbaseup[-1]
        self.up = nn.Sequential(
            OrderedDict(
                (f"res_up_{n - 1}", ResUp(nbaseup[n], nbaseup[n - 1], style_channels, kernel))
                for n in range(1, len(nbaseup))
            )
        )

    def forward(self, style, features):
        blocks = list(self.up)
        # The deepest block takes the deepest features both as input and as skip (Cellpose).
        x = blocks[-1](features[-1], features[-1], style)
        for n in range(len(blocks) - 2, -1, -1):
            x = F.interpolate(x, scale_factor=2, mode="nearest")
            x = blocks[n](x, features[n], style)
        return x


def make_style(deepest):
    """Spatial mean of the deepest features over its L2 norm (no epsilon, as Cellpose)."""
    style = deepest.mean(dim=(2, 3))
    return style / torch.sum(style**2, dim=1, keepdim=True) ** 0.5


class CPnet(nn.Module):
    """CPnet(nbase, nout, kernel): forward(x [N, nbase[0], H, W]) -> (flows [N, nout, H, W], style).

    H and W must be multiples of 2 ** (len(nbase) - 2). Outputs are (dY, dX, cell-probability
    logit) for nout = 3; the flows are trained against 5x the unit flow field.
    """

    def __init__(self, nbase, nout=3, kernel=3, diam_mean=30.0):
        super().__init__()
        self.nbase = list(nbase)
        self.nout = nout
        self.kernel = kernel
        nbaseup = self.nbase[1:] + [self.nbase[-1]]
        self.downsample = Encoder(self.nbase, kernel)
        self.upsample = Decoder(nbaseup, kernel)
        self.output = batchconv(nbaseup[0], nout, 1)
        self.diam_mean = nn.Parameter(torch.full((1,), float(diam_mean)), requires_grad=False)
        self.diam_labels = nn.Parameter(torch.full((1,), float(diam_mean)), requires_grad=False)

    def forward(self, x):
        features = self.downsample(x)
        style = make_style(features[-1])
        return self.output(self.upsample(style, features)), style


def parse_nbase(text):
    """'2,16,32,64,128' -> [2, 16, 32, 64, 128]."""
    nbase = [int(v) for v in text.split(",")]
    if len(nbase) < 3 or any(v < 1 for v in nbase):
        raise ValueError(f"nbase needs at least 3 positive channel counts, got {text!r}")
    return nbase


def export_state_dict(model, diam_mean=None, fp16=False):
    """The state_dict as Cellpose saves it (`torch.save(net.state_dict(), path)`), detached copies.

    diam_mean sets both `diam_mean` and `diam_labels`; fp16 stores every floating tensor as
    float16 (integer buffers such as num_batches_tracked stay int64).
    """
    source = model.state_dict()
    exported = OrderedDict()
    for name, tensor in source.items():
        tensor = tensor.detach().clone()
        if diam_mean is not None and name in ("diam_mean", "diam_labels"):
            tensor.fill_(float(diam_mean))
        if fp16 and tensor.is_floating_point():
            tensor = tensor.half()
        exported[name] = tensor
    if hasattr(source, "_metadata"):
        exported._metadata = source._metadata  # torch.save(net.state_dict()) pickles it too
    return exported


def save_state_dict(state_dict, path):
    """torch.save in the zip layout, via a temporary name so readers never see half a file."""
    tmp = f"{path}.tmp"
    torch.save(state_dict, tmp, _use_new_zipfile_serialization=True)
    os.replace(tmp, path)
