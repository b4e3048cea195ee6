"""Train the small CTC line recogniser on generated card lines and export it to ONNX.

    nice -n 0 /usr/bin/python3 packages/idcard/training/train_ctc.py --minutes 80 --out /tmp/ctc

Built to leave the CTC blank plateau quickly on one shared CPU thread (Debian's python3-torch):
- a small conv-only model (about 0.35 M parameters, ~190 k multiply-adds per input column);
- a pool of pre-rendered lines held in memory (`--pool`, rendered once at start), of which a
  slice is re-rendered every step so the model keeps seeing new lines;
- batches of lines of similar width (little padding), short pieces of lines early on (a
  curriculum: one to three words, MRZ substrings) and whole lines later;
- Adam 1e-3 with a linear warm-up, constant, then a cosine decay over the last 40 % of the
  budget; gradient clipping at 5;
- a held-out set (different seed, whole field values at degradation level 0.5) scored every
  `--eval-every` steps: loss, character error rate and exact-line rate per field type, written
  to `<out>/curve.tsv`; the best checkpoint by CER is exported to ONNX (opset 13).

Input `[B,1,H,W]` grey scaled to 0–1 with ink high (1 − v/255), H = 32 (`--height`; 48 tried in
session 15), output `[W/4,B,207]` log-probabilities over the CTC blank (0) and the 206 symbols of
charset.py."""
import argparse
import json
import math
import os
import random
import time

import numpy as np
import torch
import torch.nn as nn
import torch.nn.functional as F

from charset import charset
import lines
from lines import STACKED_SET, Texts, check_text, font_paths, render

CHARS = charset()
INDEX = {c: i + 1 for i, c in enumerate(CHARS)}
FIELD_MIX = [("id", 0.10), ("date", 0.10), ("name", 0.25), ("address", 0.27), ("mrz", 0.14), ("misc", 0.06), ("random", 0.08), ("stack", 0.0)]
EVAL_FIELDS = ["id", "date", "name", "address", "mrz"]


class LineNet(nn.Module):
    """Convolutions only (Debian's torch runs convolutions through oneDNN but small matrix
    products slowly, so a BiLSTM head trains ~3× slower here): two stride-2 convolutions bring
    32×W to 8×W/4, three 3×3 blocks collapse the height, two residual 1-D convolutions over time
    give each step a context of about ±4 characters, and a 1×1 convolution scores the classes.
    A taller input keeps the time axis at W/4 in one of two ways: `stem="plain"` (height 48: 12×W/4
    after the strides, only the last block's kernel grows to height/16 rows, ~3× the CPU of a
    training step) or `stem="s3"` (height 48 only: the first convolution is 5×5 striding 3, 48×W
    to 16×W/3, and the rest is the 32-px net: output W/6, one step per 4 columns of the line
    scaled to 32 px as before, and about the 32-px model's CPU)."""

    def __init__(self, classes, width=128, height=32, stem="plain"):
        super().__init__()
        assert height % 16 == 0 and (stem == "plain" or height == 48), (height, stem)
        self.height = height

        def block(i, o, k=(3, 3), s=(1, 1), p=(1, 1)):
            return nn.Sequential(nn.Conv2d(i, o, k, stride=s, padding=p, bias=False), nn.BatchNorm2d(o), nn.ReLU(inplace=True))

        first = block(1, 16, k=(5, 5), s=(3, 3), p=(2, 2)) if stem == "s3" else block(1, 16, s=(2, 2))
        self.stride = 6 if stem == "s3" else 4
        last = 2 if stem == "s3" else height // 16

        self.body = nn.Sequential(
            first,  # 16 x W/2 (24 at height 48, plain stem)
            block(16, 48, s=(2, 2)),  # 8 x W/4 (12 at height 48)
            block(48, 64), nn.MaxPool2d((2, 1), (2, 1)),  # 4 x W/4
            block(64, 96), nn.MaxPool2d((2, 1), (2, 1)),  # 2 x W/4
            block(96, width, k=(last, 3), p=(0, 1)),  # 1 x W/4
        )
        self.ctx1 = block(width, width, k=(1, 5), p=(0, 2))
        self.ctx2 = block(width, width, k=(1, 5), p=(0, 2))
        self.head = nn.Conv2d(width, classes, 1)

    def forward(self, x):
        f = self.body(x)
        f = f + self.ctx1(f)
        f = f + self.ctx2(f)
        f = self.head(f)  # B,K,1,T
        f = f.squeeze(2).permute(2, 0, 1)  # T,B,K
        return F.log_softmax(f, dim=2)


def pick_field(rng):
    x = rng.random()
    for name, w in FIELD_MIX:
        x -= w
        if x <= 0:
            return name
    return FIELD_MIX[-1][0]


def shorten(text, rng, limit=40):
    """Long address values wrap onto two lines on the card: train on pieces cut at a comma or space."""
    if len(text) <= limit:
        return text
    cut = [i for i, c in enumerate(text) if c in ", " and 8 <= i <= limit]
    i = rng.choice(cut) if cut else limit
    return text[:i].rstrip(", ") if rng.random() < 0.5 else text[i:].lstrip(", ")


def piece(text, rng):
    """A short piece of a line (curriculum): 1–3 words, or 4–14 characters of an MRZ line / ID."""
    words = text.split(" ")
    if len(words) >= 2:
        n = rng.randint(1, min(3, len(words)))
        i = rng.randint(0, len(words) - n)
        return " ".join(words[i:i + n]).strip(" ,") or text
    if len(text) > 14:
        n = rng.randint(4, 14)
        i = rng.randint(0, len(text) - n)
        return text[i:i + n]
    return text


class Pool:
    """Pre-rendered lines in memory; `refresh(k)` re-renders k random entries."""

    def __init__(self, size, seed, short_p):
        self.rng = random.Random(seed)
        np.random.seed(seed)
        self.texts = Texts(self.rng)
        self.fonts = font_paths()
        # the card generator's faces (Arimo, Tinos: fontsource chains), for the stacked-tone lines
        self.card_fonts = ([p for p in self.fonts[0] if isinstance(p, tuple)] or self.fonts[0], self.fonts[1])
        self.short_p = short_p
        self.items = [self.make() for _ in range(size)]

    def make(self):
        r = self.rng
        field = pick_field(r)
        s = check_text(shorten(self.texts.sample(field), r))
        if r.random() < self.short_p:
            s = piece(s, r)
        fonts = self.card_fonts if field == "stack" and r.random() < 0.8 else self.fonts
        return render(s, r, fonts, level=r.uniform(0.2, 1.3), max_width=640), s

    def refresh(self, k):
        for _ in range(k):
            self.items[self.rng.randrange(len(self.items))] = self.make()

    def batches(self, batch, groups=8):
        """`groups` batches of lines of similar width, drawn at random from the pool."""
        idx = self.rng.sample(range(len(self.items)), batch * groups)
        idx.sort(key=lambda i: self.items[i][0].shape[1])
        out = [[self.items[i] for i in idx[g * batch:(g + 1) * batch]] for g in range(groups)]
        self.rng.shuffle(out)
        return out


# card field -> field type of the held-out scores
FIELD_TYPE = {"idNumber": "id", "dateOfBirth": "date", "issueDate": "date", "expiryDate": "date", "fullName": "name",
              "placeOfOrigin": "address", "placeOfResidence": "address", "placeOfBirthRegistration": "address", "mrz": "mrz"}


def load_crops(dirs, drop_levels=()):
    """Line crops cut from generated card photos by the reader (`dump_card_lines.ts`): `lines.HEIGHT`-px-high
    ink bytes in `lines.u8`, one JSON record per crop in `lines.jsonl`. Returned as (grey, text,
    field) with grey = 255 - ink, the form `render` gives."""
    out = []
    HEIGHT = lines.HEIGHT
    for d in [d for d in dirs.split(",") if d and os.path.exists(os.path.join(d, "lines.jsonl"))]:
        raw = np.fromfile(os.path.join(d, "lines.u8"), dtype=np.uint8)
        with open(os.path.join(d, "lines.jsonl"), encoding="utf-8") as f:
            for line in f:
                if not line.endswith("\n"):
                    break  # a record still being written
                r = json.loads(line)
                if r.get("h", 32) != HEIGHT:
                    raise ValueError(f"{d}: crops {r.get('h', 32)} px high, model {HEIGHT}")
                if r["level"] in drop_levels or r["w"] > 1200 * HEIGHT // 32:
                    continue
                text = "".join(c for c in r["text"] if c in INDEX).strip()
                if not text:
                    continue
                if r["off"] + HEIGHT * r["w"] > raw.size:
                    break  # bytes not written yet (or a dump that was cut short)
                a = 255 - raw[r["off"]:r["off"] + HEIGHT * r["w"]].reshape(HEIGHT, r["w"])
                out.append((a, text, r["field"]))
    return out


def freeze_bn(model):
    """Fine-tuning a model loaded from its ONNX export: batch norm was folded into the
    convolutions there, so the BN layers are identities with a bias and must stay in eval mode."""
    for m in model.modules():
        if isinstance(m, nn.BatchNorm2d):
            m.eval()


def load_onnx(model, path):
    """Load the weights of an exported model (BN folded into each conv: conv weight and bias)
    into a fresh LineNet: each conv takes the folded weight, its BN becomes y = x + bias. A
    model of another height (a 32-px export into a 48-px net) gets the last block's kernel
    stretched over its rows (linear interpolation, scaled to keep the sum). Into the `s3` stem the
    32-px first kernel (3×3, stride 2) goes composed with the area filter 48 → 32 px, a 5×5
    kernel striding 3: the 48-px net then starts as the 32-px model reading an area-scaled line."""
    import onnx
    from onnx import numpy_helper
    g = onnx.load(path).graph
    inits = {i.name: numpy_helper.to_array(i) for i in g.initializer}
    convs = [n for n in g.node if n.op_type == "Conv"]
    blocks = [m for m in model.modules() if isinstance(m, nn.Sequential) and len(m) == 3 and isinstance(m[1], nn.BatchNorm2d)]
    assert len(convs) == len(blocks) + 1, (len(convs), len(blocks))
    with torch.no_grad():
        for node, blk in zip(convs[:-1], blocks):
            conv, bn = blk[0], blk[1]
            w = torch.from_numpy(inits[node.input[1]].copy())
            if conv.stride[0] == 3 and w.shape[2] == 3:
                # pixels -2..2 around 3r of the 48-px line (each axis); area 48 → 32 puts (3r-2)/2 +
                # (3r-1) into 32-px pixel 2r-1, 3r + (3r+1)/2 into 2r, (3r+1)/2 + (3r+2) into 2r+1 (over 1.5)
                m = torch.tensor([[1, 0, 0], [2, 0, 0], [0, 2, 0], [0, 1, 1], [0, 0, 2]], dtype=w.dtype) / 3
                w = m @ w @ m.T  # per output channel: 5×3 · 3×3 · 3×5
            elif w.shape[2] != conv.weight.shape[2]:
                kh = conv.weight.shape[2]
                w = F.interpolate(w.permute(0, 1, 3, 2), size=(w.shape[3], kh), mode="bilinear", align_corners=True).permute(0, 1, 3, 2)
                w = w * (inits[node.input[1]].shape[2] / kh)
            conv.weight.copy_(w)
            bn.weight.fill_(1.0)
            bn.bias.copy_(torch.from_numpy(inits[node.input[2]].copy()))
            bn.running_mean.zero_()
            bn.running_var.fill_(1.0 - bn.eps)
        model.head.weight.copy_(torch.from_numpy(inits[convs[-1].input[1]].copy()))
        model.head.bias.copy_(torch.from_numpy(inits[convs[-1].input[2]].copy()))


STRIDE = 4  # the model's time stride (6 for the s3 stem)


def collate(items):
    W = max(a.shape[1] for a, _ in items)
    W = max(2 * STRIDE, int(math.ceil(W / STRIDE) * STRIDE))
    x = np.zeros((len(items), 1, lines.HEIGHT, W), dtype=np.float32)
    targets, lengths, in_lens = [], [], []
    for i, (a, s) in enumerate(items):
        # ink dark: 1 - v/255, so padding (0) reads as background
        x[i, 0, :, : a.shape[1]] = 1.0 - a.astype(np.float32) / 255.0
        targets.extend(INDEX[c] for c in s)
        lengths.append(len(s))
        in_lens.append(W // STRIDE)
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


def edit_distance(a, b):
    prev = list(range(len(b) + 1))
    for i, ca in enumerate(a, 1):
        cur = [i]
        for j, cb in enumerate(b, 1):
            cur.append(min(prev[j] + 1, cur[j - 1] + 1, prev[j - 1] + (ca != cb)))
        prev = cur
    return prev[-1]


def held_out(n_per_field, seed):
    rng = random.Random(seed)
    texts, fonts = Texts(rng), font_paths()
    out = []
    for field in EVAL_FIELDS:
        for _ in range(n_per_field):
            text = check_text(texts.sample(field))
            if field == "address" and len(text) > 40:
                cut = text.rfind(", ", 0, 40)
                text = text[:cut] if cut > 8 else text[:40].rstrip()
            out.append((field, render(text, rng, fonts, level=0.5), text))
    return out


def evaluate(model, ctc, val, frozen_bn=False):
    model.eval()
    per = {f: [0, 0, 0, 0] for f in EVAL_FIELDS}  # lines, exact, edits, chars
    per.update({f: [0, 0, 0, 0] for f, _, _ in val if f not in per})
    loss_sum = 0.0
    with torch.no_grad():
        order = sorted(range(len(val)), key=lambda i: val[i][1].shape[1])
        for k in range(0, len(order), 32):
            chunk = [val[i] for i in order[k:k + 32]]
            x, tg, tl, il = collate([(a, s) for _, a, s in chunk])
            logp = model(x)
            loss_sum += ctc(logp, tg, il, tl).item() * len(chunk)
            for (field, _, s), p in zip(chunk, greedy(logp)):
                e = per[field]
                e[0] += 1
                e[1] += p == s
                e[2] += edit_distance(p, s)
                e[3] += len(s)
    model.train()
    if frozen_bn:
        freeze_bn(model)
    per = {f: v for f, v in per.items() if v[0]}
    tot = [sum(v[i] for v in per.values()) for i in range(4)]
    return loss_sum / len(val), tot[2] / tot[3], tot[1] / tot[0], {f: (v[1] / v[0], v[2] / v[3]) for f, v in per.items()}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--minutes", type=float, default=80)
    ap.add_argument("--height", type=int, default=32, help="input height in px (a multiple of 16; the crops must be dumped at it)")
    ap.add_argument("--stem", default="plain", choices=["plain", "s3"], help="how a taller input is brought down (LineNet)")
    ap.add_argument("--out", default="/tmp/idcard-ctc")
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--pool", type=int, default=6000)
    ap.add_argument("--refresh", type=int, default=4, help="lines re-rendered per step")
    ap.add_argument("--lr", type=float, default=1e-3)
    ap.add_argument("--warmup", type=int, default=200)
    ap.add_argument("--eval-every", type=int, default=200)
    ap.add_argument("--val-per-field", type=int, default=40)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--seed", type=int, default=7)
    ap.add_argument("--resume", default="")
    ap.add_argument("--resume-onnx", default="", help="start from an exported model (BN folded: trained with BN frozen)")
    ap.add_argument("--mix", default="", help="text mix of the rendered lines, e.g. name=0.35,address=0.35,mrz=0.08")
    ap.add_argument("--crops", default="", help="folders of reader line crops (dump_card_lines.ts), comma-separated")
    ap.add_argument("--crop-share", type=float, default=0.5, help="share of each batch taken from the crops")
    ap.add_argument("--heldout-crops", default="", help="reader crops of another seed: scored, and the checkpoint chosen on them")
    ap.add_argument("--stack-crop-weight", type=float, default=1.0,
                    help="card crops with an upper-case letter whose tone is stacked on a circumflex/breve/horn are drawn this many times as often")
    ap.add_argument("--keep-checkpoints", action="store_true", help="keep every evaluation's weights (ckpt-STEP.pt) to choose from later")
    ap.add_argument("--short-start", type=float, default=0.6, help="share of short pieces at the start (curriculum)")
    ap.add_argument("--export", default="", help="only export these weights (a kept checkpoint) to <out>/idcard-line.onnx")
    args = ap.parse_args()
    global STRIDE
    lines.HEIGHT = args.height
    STRIDE = 6 if args.stem == "s3" else 4
    if args.export:
        model = LineNet(len(CHARS) + 1, height=args.height, stem=args.stem)
        model.load_state_dict(torch.load(args.export))
        os.makedirs(args.out, exist_ok=True)
        export(model, args.out)
        return
    if args.mix:
        given = dict((k, float(v)) for k, v in (kv.split("=") for kv in args.mix.split(",")))
        FIELD_MIX[:] = [(k, given.get(k, w)) for k, w in FIELD_MIX]
        total = sum(w for _, w in FIELD_MIX)
        FIELD_MIX[:] = [(k, w / total) for k, w in FIELD_MIX]
        if dict(FIELD_MIX)["stack"] > 0:
            EVAL_FIELDS.append("stack")  # held-out stacked-tone lines in the curve too
    torch.manual_seed(args.seed)
    torch.set_num_threads(args.threads)
    os.makedirs(args.out, exist_ok=True)
    t0 = time.time()
    model = LineNet(len(CHARS) + 1, height=args.height, stem=args.stem)
    frozen = bool(args.resume_onnx)
    if args.resume:
        model.load_state_dict(torch.load(args.resume))
    if args.resume_onnx:
        load_onnx(model, args.resume_onnx)
    if frozen:
        freeze_bn(model)
    print("parameters", sum(p.numel() for p in model.parameters()), "mix", FIELD_MIX, flush=True)
    val = held_out(args.val_per_field, seed=args.seed * 7919 + 13)
    pool = Pool(args.pool, args.seed, short_p=args.short_start)
    crops = load_crops(args.crops)
    hold = [(FIELD_TYPE.get(f, "misc"), a, t) for a, t, f in load_crops(args.heldout_crops)]
    print(f"{len(crops)} training crops, {len(hold)} held-out crops", flush=True)
    print(f"pool of {args.pool} lines and {len(val)} held-out lines rendered in {time.time() - t0:.0f}s", flush=True)
    opt = torch.optim.Adam(model.parameters(), lr=args.lr)
    ctc = nn.CTCLoss(blank=0, zero_infinity=True)
    curve = open(os.path.join(args.out, "curve.tsv"), "a", encoding="utf-8")
    curve.write("step\tseen\tminutes\tcpu_minutes\tlr\ttrain_loss\tval_loss\tval_cer\tval_exact\t" + "\t".join(f"{f}_exact\t{f}_cer" for f in EVAL_FIELDS) + "\n")
    hcurve = open(os.path.join(args.out, "curve-crops.tsv"), "a", encoding="utf-8") if hold else None
    t0, c0 = time.time(), time.process_time()
    budget = args.minutes * 60
    crng = random.Random(args.seed + 1)

    def mixed_batches():
        """Pool batches of similar width, each with a share of card crops of similar width."""
        out = pool.batches(args.batch - round(args.batch * args.crop_share) if crops else args.batch)
        if not crops:
            return out
        k = round(args.batch * args.crop_share)
        if args.stack_crop_weight == 1.0:
            picked = crng.sample(range(len(crops)), k * len(out))
        else:
            # upper-case stacked letters (names, "CA TỈNH …"): lower-case ones are common in every address line
            weights = [args.stack_crop_weight if any(ch in STACKED_SET and ch.isupper() for ch in t) else 1.0 for _, t, _ in crops]
            picked = crng.choices(range(len(crops)), weights=weights, k=k * len(out))
        picked.sort(key=lambda i: crops[i][0].shape[1])
        groups = [[crops[i][:2] for i in picked[g * k:(g + 1) * k]] for g in range(len(out))]
        out.sort(key=lambda b: max(a.shape[1] for a, _ in b))
        return [b + c for b, c in zip(out, groups)]

    if hold:
        vl, cer, ex, per = evaluate(model, ctc, hold, frozen)
        print(f"CROPS step 0 loss {vl:.3f} CER {cer:.4f} exact {ex:.3f} " + " ".join(f"{f}:{e:.3f}/{c:.4f}" for f, (e, c) in per.items()), flush=True)
        hcurve.write("step\tseen\tminutes\tcpu_minutes\tloss\tcer\texact\t" + "\t".join(f"{f}_exact\t{f}_cer" for f in per) + "\n")
        hcurve.write(f"0\t0\t0\t0\t{vl:.3f}\t{cer:.4f}\t{ex:.3f}\t" + "\t".join(f"{e:.3f}\t{c:.4f}" for e, c in per.values()) + "\n")
        hcurve.flush()
    step, ema, seen, best = 0, None, 0, 9.0
    queue = []
    while time.time() - t0 < budget:
        frac = (time.time() - t0) / budget
        lr = args.lr * min(1.0, (step + 1) / args.warmup)
        if frac > 0.6:
            lr *= 0.05 + 0.95 * 0.5 * (1 + math.cos(math.pi * (frac - 0.6) / 0.4))
        for g in opt.param_groups:
            g["lr"] = lr
        # curriculum: short pieces early, whole lines later
        pool.short_p = max(0.15, args.short_start - args.short_start * frac)
        if not queue:
            queue = mixed_batches()
        items = queue.pop()
        x, tg, tl, il = collate(items)
        logp = model(x)
        loss = ctc(logp, tg, il, tl)
        opt.zero_grad()
        loss.backward()
        nn.utils.clip_grad_norm_(model.parameters(), 5.0)
        opt.step()
        pool.refresh(args.refresh)
        step += 1
        seen += len(items)
        ema = loss.item() if ema is None else 0.97 * ema + 0.03 * loss.item()
        if step % 25 == 0:
            print(f"step {step} seen {seen} {(time.time() - t0) / 60:.1f}min cpu {(time.process_time() - c0) / 60:.1f}min lr {lr:.5f} loss {ema:.3f}", flush=True)
        if step % args.eval_every == 0:
            vl, cer, ex, per = evaluate(model, ctc, val, frozen)
            curve.write(f"{step}\t{seen}\t{(time.time() - t0) / 60:.1f}\t{(time.process_time() - c0) / 60:.1f}\t{lr:.5f}\t{ema:.3f}\t{vl:.3f}\t{cer:.4f}\t{ex:.3f}\t"
                        + "\t".join(f"{e:.3f}\t{c:.4f}" for e, c in per.values()) + "\n")
            curve.flush()
            print(f"EVAL step {step} val loss {vl:.3f} CER {cer:.4f} exact {ex:.3f} " + " ".join(f"{f}:{e:.2f}/{c:.3f}" for f, (e, c) in per.items()), flush=True)
            torch.save(model.state_dict(), os.path.join(args.out, "idcard-line.last.pt"))
            if args.keep_checkpoints:
                torch.save(model.state_dict(), os.path.join(args.out, f"ckpt-{step}.pt"))
            if args.crops:
                # the crop folders may still be growing (dump_card_lines.ts running beside the training)
                crops = load_crops(args.crops)
                print(f"{len(crops)} training crops", flush=True)
            if hold:
                # the checkpoint is chosen on the reader's own crops of held-out cards
                vl, cer, ex, per = evaluate(model, ctc, hold, frozen)
                hcurve.write(f"{step}\t{seen}\t{(time.time() - t0) / 60:.1f}\t{(time.process_time() - c0) / 60:.1f}\t{vl:.3f}\t{cer:.4f}\t{ex:.3f}\t"
                             + "\t".join(f"{e:.3f}\t{c:.4f}" for e, c in per.values()) + "\n")
                hcurve.flush()
                print(f"CROPS step {step} loss {vl:.3f} CER {cer:.4f} exact {ex:.3f} " + " ".join(f"{f}:{e:.3f}/{c:.4f}" for f, (e, c) in per.items()), flush=True)
            if cer < best:
                best = cer
                torch.save(model.state_dict(), os.path.join(args.out, "idcard-line.pt"))
                export(model, args.out)
                model.train()
                if frozen:
                    freeze_bn(model)
    curve.close()
    torch.save(model.state_dict(), os.path.join(args.out, "idcard-line.last.pt"))


def export(model, out):
    model.eval()
    dummy = torch.zeros(1, 1, lines.HEIGHT, 32 * model.stride)
    path = os.path.join(out, "idcard-line.onnx")
    torch.onnx.export(model, dummy, path, input_names=["image"], output_names=["logprobs"],
                      dynamic_axes={"image": {0: "batch", 3: "width"}, "logprobs": {0: "steps", 1: "batch"}},
                      opset_version=13)
    with open(os.path.join(out, "idcard-line.json"), "w", encoding="utf-8") as f:
        json.dump({"height": lines.HEIGHT, "stride": model.stride, "blank": 0, "charset": "".join(CHARS)}, f, ensure_ascii=False)
    print("exported", path, os.path.getsize(path), flush=True)


if __name__ == "__main__":
    main()
