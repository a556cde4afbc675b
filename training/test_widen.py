"""widen.py keeps the function: a random narrow CPnet and its widened copy give the same flows.

    /usr/bin/python3 training/test_widen.py
"""

import torch

from cpnet import CPnet
from widen import widened_state


def random_network(nbase, seed):
    torch.manual_seed(seed)
    net = CPnet(nbase, diam_mean=30.0)
    with torch.no_grad():
        for name, tensor in net.state_dict().items():
            if name.endswith("running_var"):
                tensor.uniform_(0.5, 2.0)
            elif name.endswith(("running_mean", "bias")) or name.endswith(".0.weight"):
                tensor.normal_(0, 0.3)
    return net.eval()


def check(narrow_nbase, wide_nbase):
    narrow = random_network(narrow_nbase, seed=1)
    wide = CPnet(wide_nbase, diam_mean=30.0).eval()
    wide.load_state_dict(widened_state(narrow.state_dict(), narrow_nbase, wide_nbase, seed=2))
    x = torch.randn(2, narrow_nbase[0], 64, 64, generator=torch.Generator().manual_seed(3))
    with torch.no_grad():
        (flows, style), (wide_flows, wide_style) = narrow(x), wide(x)
    scale = flows.abs().max().item()
    error = (wide_flows - flows).abs().max().item()
    ratio = wide_nbase[-1] // narrow_nbase[-1]
    copies = torch.arange(wide_nbase[-1]) % narrow_nbase[-1]
    style_error = (wide_style - style[:, copies] / ratio**0.5).abs().max().item()
    print(f"{narrow_nbase} -> {wide_nbase}: max flow error {error:.2e} of {scale:.2f}, style {style_error:.2e}")
    assert scale > 0.1 and error < 1e-4 * scale, (error, scale)
    assert style_error < 1e-6
    # The copies differ (random splits), so training can pull them apart.
    first = wide.state_dict()["downsample.down.res_down_1.conv.conv_1.2.weight"]
    half = first.shape[1] // 2
    assert not torch.allclose(first[:, :half], first[:, half:])


def check_refusals():
    narrow = random_network([2, 16, 32], seed=1).state_dict()
    for bad in ([2, 24, 64], [2, 32, 64, 128], [1, 32, 64]):
        try:
            widened_state(narrow, [2, 16, 32], bad)
        except ValueError as error:
            print(f"refused {bad}: {error}")
        else:
            raise AssertionError(f"{bad} was not refused")


if __name__ == "__main__":
    check([2, 16, 32, 64, 128], [2, 32, 64, 128, 256])
    check([2, 8, 16, 32], [2, 24, 48, 96])
    check_refusals()
    print("ok")
