"""Writes fixtures/relevance/<name>.json for every model in fixtures/models/ that has a
fixtures/reference/<name>.json (whose `ids` it reuses): AttnLRP relevance from attnlrp.py.

  { "model", "ids": [T], "target": int (the reference's greedy token at the last position),
    "relevance": [L+1][T], "target_logit": float, "leak_bias": [L], "leak_softmax": [L] }

Numbers are float64 printed with 9 significant digits. Deterministic (no randomness).
Run from the repo root: OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/reference/make_relevance_fixtures.py
"""
import json
import os
import sys

sys.path.insert(0, os.path.dirname(os.path.abspath(__file__)))
import attnlrp  # noqa: E402

ROOT = os.path.normpath(os.path.join(os.path.dirname(os.path.abspath(__file__)), "..", ".."))


def g9(x):
    return float(f"{float(x):.9g}")


def main():
    out_dir = os.path.join(ROOT, "fixtures", "relevance")
    os.makedirs(out_dir, exist_ok=True)
    for name in sorted(os.listdir(os.path.join(ROOT, "fixtures", "models"))):
        ref_path = os.path.join(ROOT, "fixtures", "reference", name + ".json")
        if not os.path.exists(ref_path):
            continue
        with open(ref_path) as f:
            ref = json.load(f)
        ids = ref["ids"]
        last = ref["logits"][-1]
        target = max(range(len(last)), key=lambda i: last[i])
        out = attnlrp.relevance(os.path.join(ROOT, "fixtures", "models", name), ids, target)
        rel = out["relevance"]
        # self-checks: same forward as reference.py; per-layer balance closes with the two leak terms
        assert abs(out["target_logit"] - last[target]) <= 1e-7 * max(1.0, abs(last[target])), "forward differs from reference.py"
        assert abs(float(rel[-1].sum()) - out["target_logit"]) <= 1e-9 * max(1.0, abs(out["target_logit"]))
        for l in range(rel.shape[0] - 1):
            gap = float(rel[l + 1].sum() - rel[l].sum()) - out["leak_bias"][l] - out["leak_softmax"][l]
            assert abs(gap) <= 1e-9 * max(1.0, abs(out["target_logit"])), (name, l, gap)
        doc = {
            "model": name,
            "ids": ids,
            "target": target,
            "relevance": [[g9(v) for v in row] for row in rel.tolist()],
            "target_logit": g9(out["target_logit"]),
            "leak_bias": [g9(v) for v in out["leak_bias"]],
            "leak_softmax": [g9(v) for v in out["leak_softmax"]],
        }
        with open(os.path.join(out_dir, name + ".json"), "w") as f:
            json.dump(doc, f, separators=(",", ":"))
            f.write("\n")
        sums = [float(r.sum()) for r in rel]
        print(f"{name}: target {target} logit {out['target_logit']:.6f} sum_t R_l = "
              + " ".join(f"{s:.6f}" for s in sums)
              + f" | leak_bias {[round(v, 6) for v in out['leak_bias']]}"
              + f" leak_softmax {[round(v, 6) for v in out['leak_softmax']]}")


if __name__ == "__main__":
    main()
