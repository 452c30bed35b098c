#!/usr/bin/python3
"""LeNet-5 training throughput in PyTorch, the counterpart of `rramlab bench learning`.

Same network (conv 5x5x6 pad 2, max-pool, conv 5x5x16, max-pool, FC 120, 84, 10, ReLU), same
initialization bounds, same loop (one-hot cross-entropy, Adam, cosine learning rate, batches from
a seeded permutation of normalized MNIST). Prints one JSON line with the images per second.
Usage: lenet_train_bench.py MNIST_DIR THREADS BATCH WARMUP_BATCHES MEASURED_BATCHES
"""
import gzip
import json
import math
import os
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F


def read_idx(path):
    opener = gzip.open if open(path, "rb").read(2) == b"\x1f\x8b" else open
    with opener(path, "rb") as f:
        data = f.read()
    dims = data[3]
    shape = [int.from_bytes(data[4 + 4 * i:8 + 4 * i], "big") for i in range(dims)]
    return np.frombuffer(data, dtype=np.uint8, offset=4 + 4 * dims).reshape(shape)


def find(folder, name):
    plain = os.path.join(folder, name)
    return plain if os.path.exists(plain) else plain + ".gz"


class LeNet5(torch.nn.Module):
    def __init__(self):
        super().__init__()
        self.conv1 = torch.nn.Conv2d(1, 6, 5, padding=2)
        self.conv2 = torch.nn.Conv2d(6, 16, 5)
        self.fc1 = torch.nn.Linear(400, 120)
        self.fc2 = torch.nn.Linear(120, 84)
        self.fc3 = torch.nn.Linear(84, 10)

    def forward(self, x):
        x = F.max_pool2d(F.relu(self.conv1(x)), 2)
        x = F.max_pool2d(F.relu(self.conv2(x)), 2)
        x = x.reshape(x.shape[0], -1)
        x = F.relu(self.fc1(x))
        x = F.relu(self.fc2(x))
        return self.fc3(x)


def main():
    folder, threads, batch, warmup, measured = sys.argv[1], int(sys.argv[2]), int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5])
    torch.set_num_threads(threads)
    torch.set_num_interop_threads(1)
    torch.manual_seed(1)
    images = read_idx(find(folder, "train-images-idx3-ubyte")).astype(np.float32) / 255.0
    labels = read_idx(find(folder, "train-labels-idx1-ubyte")).astype(np.int64)
    images = ((images - 0.1307) / 0.3081).reshape(-1, 1, 28, 28)
    net = LeNet5()
    opt = torch.optim.Adam(net.parameters(), lr=1e-3)
    total = warmup + measured
    sched = torch.optim.lr_scheduler.LambdaLR(opt, lambda s: 0.5 * (1 + math.cos(math.pi * s / total)))
    order = np.random.default_rng(1).permutation(len(labels))
    n = len(labels)
    start = None
    for step in range(total):
        if step == warmup:
            start = time.perf_counter()
        idx = order[(step * batch) % n:(step * batch) % n + batch]
        if len(idx) < batch:
            idx = order[:batch]
        x = torch.from_numpy(images[idx])
        y = F.one_hot(torch.from_numpy(labels[idx]), 10).float()
        logits = net(x)
        loss = -(F.log_softmax(logits, 1) * y).sum(1).mean()
        opt.zero_grad(set_to_none=False)
        loss.backward()
        opt.step()
        sched.step()
        float(loss)
        (logits.argmax(1) == torch.from_numpy(labels[idx])).sum().item()
    seconds = time.perf_counter() - start
    print(json.dumps({"framework": "pytorch", "version": torch.__version__, "threads": torch.get_num_threads(),
                      "batch": batch, "batches": measured, "seconds": seconds,
                      "images_per_second": measured * batch / seconds}))


if __name__ == "__main__":
    main()
