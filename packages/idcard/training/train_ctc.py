"""Train the small CTC line recogniser and export it to ONNX.

    python3 packages/idcard/training/train_ctc.py --minutes 35 --out packages/idcard/models

Lines are rendered on the fly by lines.py (several renderer processes feed the trainer).
The model: 5 conv blocks (height 32 → 1, width /4) + one bidirectional LSTM + a linear layer
over the 206 symbols of charset.py plus the CTC blank. Input `[1,1,32,W]` grey scaled to 0–1
(ink dark), output `[T,1,207]` log-probabilities, T = W/4."""
import argparse
import json
import math
import os
import random
import time

import numpy as np
import torch
import torch.multiprocessing as mp
import torch.nn as nn
import torch.nn.functional as F

from charset import charset
from lines import HEIGHT, Texts, check_text, font_paths, render

CHARS = charset()
INDEX = {c: i + 1 for i, c in enumerate(CHARS)}
FIELD_MIX = [("id", 0.14), ("date", 0.12), ("name", 0.22), ("address", 0.24), ("mrz", 0.1), ("misc", 0.06), ("random", 0.12)]


class LineNet(nn.Module):
    """Convolutions only: Debian's torch runs convolutions through oneDNN but matrix products
    through a generic BLAS, so an LSTM head trained 3× slower here; a few wide 1-D convolutions
    over the time axis give the context instead (and run everywhere onnxruntime does)."""

    def __init__(self, classes, width=96):
        super().__init__()

        def block(i, o, k=(3, 3), p=(1, 1)):
            return nn.Sequential(nn.Conv2d(i, o, k, padding=p, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True))

        # sized for CPU training on a shared 2-core machine: about 115k multiply-adds per input column
        self.body = nn.Sequential(
            # stride 2 at once: the full-resolution layer's batch-norm and ReLU cost more than its conv
            nn.Conv2d(1, 16, 3, stride=2, padding=1), nn.ReLU(inplace=True),  # 16 x W/2
            block(16, 24), nn.MaxPool2d(2, 2),  # 8 x W/4
            block(24, 48), nn.MaxPool2d((2, 1), (2, 1)),  # 4 x W/4
            block(48, 64), nn.MaxPool2d((2, 1), (2, 1)),  # 2 x W/4
            block(64, width, k=(2, 3), p=(0, 1)),  # 1 x W/4
            block(width, width, k=(1, 5), p=(0, 2)),
            block(width, width, k=(1, 5), p=(0, 2)),
        )
        self.head = nn.Conv2d(width, classes, 1)

    def forward(self, x):
        f = self.head(self.body(x))  # B,K,1,T
        f = f.squeeze(2).permute(2, 0, 1)  # T,B,K
        return F.log_softmax(f, dim=2)


def pick_field(rng):
    x = rng.random()
    for name, w in FIELD_MIX:
        x -= w
        if x <= 0:
            return name
    return FIELD_MIX[-1][0]


def shorten(text, rng, limit=34):
    """Long address values wrap onto two lines on the card: train on pieces cut at a comma or space."""
    if len(text) <= limit:
        return text
    cut = [i for i, c in enumerate(text) if c in ", " and 8 <= i <= limit]
    i = rng.choice(cut) if cut else limit
    return text[:i].rstrip(", ") if rng.random() < 0.5 else text[i:].lstrip(", ")


def producer(seed, queue, batch):
    torch.set_num_threads(1)
    rng = random.Random(seed)
    np.random.seed(seed)
    texts = Texts(rng)
    fonts = font_paths()
    while True:
        items = []
        for _ in range(batch):
            s = check_text(shorten(texts.sample(pick_field(rng)), rng))
            items.append((render(s, rng, fonts, level=rng.uniform(0.3, 1.0), max_width=640), s))
        queue.put(items)


def collate(items):
    W = max(a.shape[1] for a, _ in items)
    W = int(math.ceil(W / 4) * 4)
    x = np.zeros((len(items), 1, HEIGHT, W), dtype=np.float32)
    targets, lengths, in_lens = [], [], []
    for i, (a, s) in enumerate(items):
        # ink dark: 1 - v/255, so padding (0) reads as background
        x[i, 0, :, : a.shape[1]] = 1.0 - a.astype(np.float32) / 255.0
        targets.extend(INDEX[c] for c in s)
        lengths.append(len(s))
        in_lens.append(W // 4)
    return torch.from_numpy(x), torch.tensor(targets), torch.tensor(lengths), torch.tensor(in_lens)


def greedy(logp):
    best = logp.argmax(dim=2).transpose(0, 1).numpy()
    out = []
    for row in best:
        s, prev = [], 0
        for k in row:
            if k != prev and k != 0:
                s.append(CHARS[k - 1])
            prev = k
        out.append("".join(s))
    return out


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=35)
    ap.add_argument("--out", default=os.path.join(os.path.dirname(os.path.dirname(os.path.abspath(__file__))), "models"))
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--workers", type=int, default=1)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--resume", default="")
    args = ap.parse_args()
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    model = LineNet(len(CHARS) + 1)
    if args.resume:
        model.load_state_dict(torch.load(args.resume))
    print("parameters", sum(p.numel() for p in model.parameters()), flush=True)
    opt = torch.optim.AdamW(model.parameters(), lr=3e-3, weight_decay=1e-4)
    ctc = nn.CTCLoss(blank=0, zero_infinity=True)
    ctx = mp.get_context("fork")
    queue = ctx.Queue(maxsize=16)
    procs = [ctx.Process(target=producer, args=(args.seed * 1000 + i, queue, args.batch), daemon=True) for i in range(args.workers)]
    for p in procs:
        p.start()
    t0 = time.time()
    budget = args.minutes * 60
    step, ema, seen, wait = 0, None, 0, 0.0
    ckpt = os.path.join(args.out, "idcard-line.pt")
    while time.time() - t0 < budget:
        frac = (time.time() - t0) / budget
        lr = 3e-3 * (0.5 * (1 + math.cos(math.pi * frac))) if frac > 0.05 else 3e-3 * frac / 0.05 + 1e-4
        for g in opt.param_groups:
            g["lr"] = lr
        tq = time.time()
        items = queue.get()
        wait += time.time() - tq
        x, tg, tl, il = collate(items)
        model.train()
        logp = model(x)
        loss = ctc(logp, tg, il, tl)
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        step += 1
        seen += len(items)
        ema = loss.item() if ema is None else 0.98 * ema + 0.02 * loss.item()
        if step % 10 == 0 and step < 50:
            print(f"step {step} {time.time() - t0:.1f}s waiting for lines {wait:.1f}s loss {ema:.2f}", flush=True)
        if step % 50 == 0:
            model.eval()
            with torch.no_grad():
                pred = greedy(model(x))
            exact = sum(p == s for p, (_, s) in zip(pred, items)) / len(items)
            print(f"step {step} seen {seen} {time.time() - t0:.0f}s lr {lr:.5f} loss {ema:.3f} batch-exact {exact:.2f} | {pred[0]!r} vs {items[0][1]!r}", flush=True)
        if step % 500 == 0:
            torch.save(model.state_dict(), ckpt)
    for p in procs:
        p.terminate()
    torch.save(model.state_dict(), ckpt)
    export(model, args.out)


def export(model, out):
    model.eval()
    dummy = torch.zeros(1, 1, HEIGHT, 128)
    path = os.path.join(out, "idcard-line.onnx")
    torch.onnx.export(model, dummy, path, input_names=["image"], output_names=["logprobs"],
                      dynamic_axes={"image": {0: "batch", 3: "width"}, "logprobs": {0: "steps", 1: "batch"}},
                      opset_version=13)
    with open(os.path.join(out, "idcard-line.json"), "w", encoding="utf-8") as f:
        json.dump({"height": HEIGHT, "stride": 4, "blank": 0, "charset": "".join(CHARS)}, f, ensure_ascii=False)
    print("exported", path, os.path.getsize(path), flush=True)


if __name__ == "__main__":
    main()
