"""Reference attention-knockout sweeps (Geva et al. 2023) on the random-weight fixtures.

For every fixture model and every source set S (fixed key positions, below) and every
layer l = 1..L: block the edges from the last position to S in the window of w layers
centred on l (lo = l - floor((w-1)/2), hi = lo + w - 1, clipped to 1..L), and record the
probability p' of the target token at the last position; effect = 100 (p' - p) / p.

Run with Debian's python: /usr/bin/python3 tools/reference/make_knockout_fixtures.py
Writes fixtures/knockout/<name>.json.
"""
import json
import math
import os
import sys

import torch

sys.path.insert(0, os.path.dirname(__file__))
from reference import forward, load_model  # noqa: E402

ROOT = os.path.join(os.path.dirname(__file__), "..", "..")


def sweep(model_dir, ids, target, sets, w):
    cfg, W = load_model(model_dir)
    L = cfg["num_hidden_layers"]
    T = len(ids)
    with torch.no_grad():
        base = torch.softmax(forward(cfg, W, ids)["logits"][-1], -1)[target].item()
        out = {}
        for name, keys in sets.items():
            probs = []
            for l in range(1, L + 1):
                lo = max(1, l - (w - 1) // 2)
                hi = min(L, l - (w - 1) // 2 + w - 1)
                ko = [torch.zeros(T, T, dtype=torch.bool) for _ in range(L)]
                for layer in range(lo, hi + 1):
                    for k in keys:
                        ko[layer - 1][T - 1, k] = True
                p = torch.softmax(forward(cfg, W, ids, knockout=ko)["logits"][-1], -1)[target].item()
                probs.append(p)
            out[name] = probs
    return base, out


def main():
    os.makedirs(os.path.join(ROOT, "fixtures", "knockout"), exist_ok=True)
    for name in sorted(os.listdir(os.path.join(ROOT, "fixtures", "models"))):
        ref = json.load(open(os.path.join(ROOT, "fixtures", "reference", name + ".json")))
        ids = ref["ids"]
        T = len(ids)
        # the target: the model's own top-1 at the last position, so p is not tiny
        logits = torch.tensor(ref["logits"][-1])
        target = int(logits.argmax())
        sets = {"early": [0, 1, 2], "middle": [3, 4, 5], "all_but_last": list(range(T - 1))}
        w = 2
        base, probs = sweep(os.path.join(ROOT, "fixtures", "models", name), ids, target, sets, w)
        effect = {k: [100 * (p - base) / base for p in v] for k, v in probs.items()}
        json.dump(
            {"model": name, "ids": ids, "target": target, "window": w, "sets": sets, "base_prob": base, "prob": probs, "effect": effect},
            open(os.path.join(ROOT, "fixtures", "knockout", name + ".json"), "w"),
            indent=1,
        )
        print(name, "base p", round(base, 4), {k: [round(e, 2) for e in v] for k, v in effect.items()})


if __name__ == "__main__":
    main()
