"""PyTorch reference for LMC Lab's benchmarks: the same LeNet-300-100 (batch 60, Adam 1.2e-3) and
ResNet-20 (open_lth's cifar_resnet_20: batch 128, SGD momentum 0.9, lr 0.1, weight decay 1e-4)
training steps, timed after warm-up. Batches are gathered and normalised from a preloaded uint8
set each step, as LMC Lab builds its batches. CPU with 2 threads by default; CUDA when available
(or --device). Prints one JSON object: examples/s per model and the device used."""
import argparse
import json
import time

import torch
import torch.nn as nn
import torch.nn.functional as F


class LeNet(nn.Module):
    def __init__(self):
        super().__init__()
        self.fc1, self.fc2, self.out = nn.Linear(784, 300), nn.Linear(300, 100), nn.Linear(100, 10)

    def forward(self, x):
        return self.out(F.relu(self.fc2(F.relu(self.fc1(x)))))


class Block(nn.Module):
    def __init__(self, cin, cout, stride):
        super().__init__()
        self.conv1 = nn.Conv2d(cin, cout, 3, stride, 1, bias=False)
        self.bn1 = nn.BatchNorm2d(cout)
        self.conv2 = nn.Conv2d(cout, cout, 3, 1, 1, bias=False)
        self.bn2 = nn.BatchNorm2d(cout)
        self.shortcut = nn.Sequential()
        if stride != 1 or cin != cout:
            self.shortcut = nn.Sequential(nn.Conv2d(cin, cout, 1, stride, bias=False), nn.BatchNorm2d(cout))

    def forward(self, x):
        out = F.relu(self.bn1(self.conv1(x)))
        return F.relu(self.bn2(self.conv2(out)) + self.shortcut(x))


class ResNet20(nn.Module):
    def __init__(self, width=16):
        super().__init__()
        self.conv, self.bn = nn.Conv2d(3, width, 3, 1, 1, bias=False), nn.BatchNorm2d(width)
        blocks, cin = [], width
        for stage, cout in enumerate([width, 2 * width, 4 * width]):
            for b in range(3):
                blocks.append(Block(cin, cout, 2 if stage > 0 and b == 0 else 1))
                cin = cout
        self.blocks = nn.Sequential(*blocks)
        self.fc = nn.Linear(cin, 10)

    def forward(self, x):
        out = self.blocks(F.relu(self.bn(self.conv(x))))
        return self.fc(F.adaptive_avg_pool2d(out, 1).flatten(1))


def throughput(model, opt, shape, batch, steps, warmup, device):
    data = torch.randint(0, 256, (max(batch * 8, 4096),) + shape, dtype=torch.uint8, device=device)
    labels = torch.randint(0, 10, (data.shape[0],), device=device)
    gen = torch.Generator(device="cpu").manual_seed(0)
    model.train()

    def step():
        idx = torch.randint(0, data.shape[0], (batch,), generator=gen).to(device)
        x = (data[idx].float() / 255 - 0.5) / 0.25
        loss = F.cross_entropy(model(x), labels[idx])
        opt.zero_grad(set_to_none=True)
        loss.backward()
        opt.step()
        return loss

    for _ in range(warmup):
        step()
    if device.type == "cuda":
        torch.cuda.synchronize()
    start = time.perf_counter()
    for _ in range(steps):
        loss = step()
    loss.item()
    if device.type == "cuda":
        torch.cuda.synchronize()
    return batch * steps / (time.perf_counter() - start)


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--device", default="cuda" if torch.cuda.is_available() else "cpu")
    parser.add_argument("--threads", type=int, default=2)
    parser.add_argument("--lenet-steps", type=int, default=300)
    parser.add_argument("--resnet-steps", type=int, default=10)
    args = parser.parse_args()
    torch.set_num_threads(args.threads)
    torch.manual_seed(0)
    device = torch.device(args.device)
    lenet = LeNet().to(device)
    resnet = ResNet20().to(device)
    result = {
        "torch": torch.__version__,
        "device": torch.cuda.get_device_name(0) if device.type == "cuda" else f"cpu, {args.threads} threads",
        "lenet_examples_per_s": throughput(lenet, torch.optim.Adam(lenet.parameters(), lr=1.2e-3), (784,), 60, args.lenet_steps, 20, device),
        "resnet20_examples_per_s": throughput(
            resnet, torch.optim.SGD(resnet.parameters(), lr=0.1, momentum=0.9, weight_decay=1e-4), (3, 32, 32), 128, args.resnet_steps, 2, device
        ),
    }
    print(json.dumps(result))


if __name__ == "__main__":
    main()
