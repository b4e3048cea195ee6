"""Render the held-out line set the tests and the `idcard-ocr` bench read (test/fixtures/lines):
field values the training never drew (a different seed), in the same card fonts, at one fixed
light degradation level. Run from the repository root:

    /usr/bin/python3 packages/idcard/training/make_eval_set.py
"""
import argparse
import json
import os
import random

import numpy as np
from PIL import Image

from lines import PKG, Texts, check_text, font_paths, render

FIELDS = {"id": "id", "date": "date", "name": "name", "address": "address", "mrz": "mrz"}


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--per-field", type=int, default=50)
    ap.add_argument("--seed", type=int, default=20261206)
    ap.add_argument("--level", type=float, default=0.5)
    ap.add_argument("--out", default=os.path.join(PKG, "test/fixtures/lines"))
    args = ap.parse_args()
    os.makedirs(args.out, exist_ok=True)
    rng = random.Random(args.seed)
    np.random.seed(args.seed)
    texts = Texts(rng)
    fonts = font_paths()
    labels = []
    for field in FIELDS:
        for i in range(args.per_field):
            text = check_text(texts.sample(field))
            if field == "address" and len(text) > 40:
                # as printed: a long address wraps; keep the first line of it
                cut = text.rfind(", ", 0, 40)
                text = text[:cut] if cut > 8 else text[:40].rstrip()
            a = render(text, rng, fonts, level=args.level)
            name = f"{field}-{i:03d}.png"
            Image.fromarray(a).save(os.path.join(args.out, name), optimize=True)
            labels.append({"file": name, "field": field, "text": text})
    with open(os.path.join(args.out, "labels.json"), "w", encoding="utf-8") as f:
        json.dump({"seed": args.seed, "level": args.level, "lines": labels}, f, ensure_ascii=False, indent=1)
    print(len(labels), "lines in", args.out)


if __name__ == "__main__":
    main()
