"""xlens tiny models: tokenizer, pre-training (base), post-training (instruct), evaluation,
export to HF folders, engine fixture and app examples.

Run from the repo root with Debian's python (torch 1.13 from apt):
  OPENBLAS_NUM_THREADS=1 /usr/bin/python3 tools/tiny-model/train.py <stage> [options]
Stages: tokenizer | pretrain | posttrain | heldout | evaluate | export | fixture | examples
train.sh runs them all in order with fixed seeds."""
import argparse
import json
import math
import os
import random
import sys
import time

import numpy as np
import torch
import torch.nn.functional as F

HERE = os.path.dirname(os.path.abspath(__file__))
sys.path.insert(0, HERE)
import bpe  # noqa: E402
import gen  # noqa: E402
import langdata as L  # noqa: E402
from model import Cfg, TinyLlama, hf_state, load_hf_state, read_safetensors, write_safetensors  # noqa: E402

ROOT = os.path.abspath(os.path.join(HERE, "..", ".."))
WORK = os.environ.get("XLENS_TINY_WORK", os.path.join(HERE, "work"))
HELDOUT = os.path.join(HERE, "heldout.jsonl")
MODELS = os.path.join(ROOT, "public", "models")
ARCH = dict(d=128, layers=4, heads=4, ffn=384)
# supervised heads: (layer, head)
H_PREV, H_PREV2, H_BIND = (0, 0), (0, 1), (1, 0)
# answer retrieval: heads 0 and 1 of the last layer get the same target (two heads give the
# copy a 64-dim path instead of 32; one head's OV is a tight bottleneck for ~3900 tokens)
H_RETR = [(3, 0), (3, 1)]
MAX_NEW = 24


def log(*a):
    print(time.strftime("%H:%M:%S"), *a, flush=True)


def seed_all(s):
    random.seed(s)
    np.random.seed(s)
    torch.manual_seed(s)


def load_tok():
    return bpe.Tokenizer.load_merges(os.path.join(WORK, "merges.json"))


def new_model(tok):
    return TinyLlama(Cfg(tok.size, **ARCH))


# ---------------------------------------------------------------- encoding
def tok_span(offs, a, b):
    return [i for i, (s, e) in enumerate(offs) if s < b and e > a]


def encode_doc(tok, text, spans):
    ids, offs = tok.encode_with_offsets(text)
    ids = ids + [tok.eos_id]
    bind = []
    for s in spans:
        nt, vt = tok_span(offs, *s["name"]), tok_span(offs, *s["value"])
        rows = vt + [vt[-1] + 1]
        bind += [(r, nt) for r in rows if r < len(ids)]
    return {"ids": ids, "lm_from": 0, "bind": bind, "retr": []}


def encode_item(tok, it):
    """Prompt + target + eos, with supervision rows. Returns None if the answer's tokens
    in the context differ from the target's own tokens (never seen with our regex)."""
    ids, offs = tok.encode_with_offsets(it["prompt"])
    tids = tok.encode(it["target"])
    a = it["asked"]
    vt = tok_span(offs, *it["values"][a])
    if [ids[i] for i in vt] != tids:
        return None
    P = len(ids) - 1
    n = len(tids)
    full = ids + tids + [tok.eos_id]
    bind = []
    for ns, vs in zip(it["names"], it["values"]):
        nt, v = tok_span(offs, *ns), tok_span(offs, *vs)
        bind += [(r, nt) for r in v + [v[-1] + 1]]
    qn = tok_span(offs, *it["qname"])
    bind += [(P + j, qn) for j in range(n + 1)]
    retr = [(P + j, vt[j]) for j in range(n)] + [(P + n, vt[-1] + 1)]
    # person identity (language-independent) at each fact's value tokens and at the answer positions
    ident = []
    for pid, vs in zip(it["pids"], it["values"]):
        v = tok_span(offs, *vs)
        ident += [(r, pid) for r in v + [v[-1] + 1]]
    ident += [(P + j, it["pids"][a]) for j in range(n + 1)]
    return {"ids": full, "lm_from": P, "bind": bind, "retr": retr, "ident": ident, "prompt_len": len(ids)}


def collate(exs):
    B, T = len(exs), max(len(e["ids"]) for e in exs)
    ids = torch.full((B, T), exs[0]["ids"][-1], dtype=torch.long)
    tgt = torch.full((B, T), -100, dtype=torch.long)
    lens = torch.zeros(B, dtype=torch.long)
    bind = torch.zeros(B, T, T)
    retr = torch.zeros(B, T, T)
    ident = torch.full((B, T), -100, dtype=torch.long)
    for b, e in enumerate(exs):
        for r, pid in e.get("ident", []):
            ident[b, r] = pid
        x = e["ids"]
        ids[b, :len(x)] = torch.tensor(x)
        tgt[b, e["lm_from"]:len(x) - 1] = torch.tensor(x[e["lm_from"] + 1:])
        lens[b] = len(x)
        for r, keys in e["bind"]:
            bind[b, r] = 0
            bind[b, r, keys] = 1.0 / len(keys)
        for r, k in e["retr"]:
            retr[b, r, k] = 1.0
    return ids, tgt, lens, bind, retr, ident


def aux_losses(probs, lens, bind, retr):
    T = probs[0].shape[-1]
    valid = torch.arange(T)[None, :] < lens[:, None]  # [B,T]
    out = {}
    for name, (l, h), off in [("prev", H_PREV, 1), ("prev2", H_PREV2, 2)]:
        p = probs[l][:, h]
        d = torch.diagonal(p, offset=-off, dim1=1, dim2=2)  # [B, T-off]: p[t, t-off]
        m = valid[:, off:]
        out[name] = -(torch.log(d + 1e-9) * m).sum() / m.sum()
    for name, heads, tg in [("bind", [H_BIND], bind), ("retr", H_RETR, retr)]:
        rows = tg.sum(-1) > 0
        if rows.any():
            out[name] = sum(-(tg * torch.log(probs[l][:, h] + 1e-9)).sum() / rows.sum() for l, h in heads) / len(heads)
    return out


IDENT_LAYER = 2  # residual after layer index 2 (hidden[3]), read by the layer-3 retrieval heads


def ident_loss(probe, hidden, ident):
    """A linear classifier (training only, not exported) must read the person's identity,
    the same class in every language, from the residual stream after layer 2 at the fact's
    value tokens and at the answer positions: imposes a language-independent code for the
    names that the retrieval heads can match across scripts."""
    rows = ident != -100
    h = hidden[IDENT_LAYER + 1][rows]
    h = h * torch.rsqrt(h.pow(2).mean(-1, keepdim=True) + 1e-5)
    return F.cross_entropy(probe(h), ident[rows])


def copy_loss(model, sel, tgt):
    """Direct-logit loss of the retrieval heads alone: their summed output, through the final
    norm and the (tied) unembedding, must predict the answer token. Imposes that these heads
    copy what they attend to (their OV circuit), which plain training learns only slowly."""
    lay = model.layers[H_RETR[0][0]]
    hd = model.c.hd
    cols = torch.cat([torch.arange(h * hd, (h + 1) * hd) for _, h in H_RETR])
    contrib = lay.heads_out[sel][:, cols] @ lay.o_proj.weight[:, cols].t()
    logits = model.norm(contrib) @ model.embed_tokens.weight.t()
    return F.cross_entropy(logits, tgt[sel])


# ---------------------------------------------------------------- stages
def stage_tokenizer(args):
    rng = random.Random(args.seed)
    texts = [gen.pretrain_doc(rng)[0] for _ in range(30000)]
    texts += [gen.xmrc_item(rng, gen.all_pairs(), None)["prompt"] for _ in range(5000)]
    t = time.time()
    merges = bpe.train(texts, args.vocab)
    os.makedirs(WORK, exist_ok=True)
    with open(os.path.join(WORK, "merges.json"), "w", encoding="utf-8") as f:
        json.dump(merges, f, ensure_ascii=False)
    tok = bpe.Tokenizer(merges)
    log(f"tokenizer: {len(merges)} merges, vocab {tok.size}, {time.time() - t:.1f}s")
    # samples for the transformers.js check (check_tokenizer.mjs)
    smp = []
    for i in range(300):
        s = gen.xmrc_item(rng, gen.all_pairs(), None)
        text = s["prompt"] + s["target"] if i % 2 else gen.pretrain_doc(rng)[0]
        smp.append({"text": text, "ids": tok.encode(text)})
    with open(os.path.join(WORK, "tokenizer-samples.json"), "w", encoding="utf-8") as f:
        json.dump(smp, f, ensure_ascii=False)
    tdir = os.path.join(WORK, "tokenizer")
    os.makedirs(tdir, exist_ok=True)
    tok.save(tdir)


def lr_at(step, total, peak, warm):
    if step < warm:
        return peak * (step + 1) / warm
    q = (step - warm) / max(1, total - warm)
    return peak * (0.1 + 0.9 * 0.5 * (1 + math.cos(math.pi * q)))


def train_loop(model, batches, steps, peak, warm, weights, tag, evalfn=None, eval_every=0, sparse_lm=False,
               probe=None):
    params = list(model.parameters()) + (list(probe.parameters()) if probe is not None else [])
    opt = torch.optim.AdamW(params, lr=peak, betas=(0.9, 0.98), weight_decay=0.01)
    t0, acc = time.time(), {}
    for step in range(steps):
        for g in opt.param_groups:
            g["lr"] = lr_at(step, steps, peak, warm)
        ids, tgt, lens, bind, retr, ident = next(batches)
        sel = (tgt != -100) if sparse_lm else None
        logits, probs, hidden = model(ids, positions=sel, want_hidden=probe is not None)
        if sparse_lm:
            lm = F.cross_entropy(logits, tgt[sel])
        else:
            lm = F.cross_entropy(logits.reshape(-1, logits.shape[-1]), tgt.reshape(-1), ignore_index=-100)
        aux = aux_losses(probs, lens, bind, retr)
        if weights.get("copy") and sparse_lm:
            aux["copy"] = copy_loss(model, sel & (retr.sum(-1) > 0), tgt)  # answer rows only, not replay text
        if probe is not None:
            aux["ident"] = ident_loss(probe, hidden, ident)
        loss = lm + sum(weights[k] * v for k, v in aux.items())
        opt.zero_grad()
        loss.backward()
        torch.nn.utils.clip_grad_norm_(model.parameters(), 1.0)
        opt.step()
        for k, v in [("lm", lm)] + list(aux.items()):
            acc[k] = acc.get(k, 0.0) + float(v)
        if (step + 1) % 100 == 0:
            msg = " ".join(f"{k} {v / 100:.3f}" for k, v in acc.items())
            log(f"{tag} step {step + 1}/{steps} {msg} ({(time.time() - t0) / (step + 1):.2f}s/step)")
            acc = {}
        if evalfn and eval_every and (step + 1) % eval_every == 0:
            model.eval()
            evalfn(step + 1)
            model.train()
            torch.save(model.state_dict(), os.path.join(WORK, f"{tag}-last.pt"))
    return time.time() - t0


def pretrain_batches(tok, rng, bs):
    while True:
        yield collate([encode_doc(tok, *gen.pretrain_doc(rng)) for _ in range(bs)])


def post_batches(tok, rng, bs, value_holdout=True, replay=0.0):
    """xMRC prompts from the post-training pairs; value_holdout keeps the held-out values out of
    them; replay = fraction of each batch that is pre-training text (full next-token loss)."""
    pairs = gen.train_pairs()
    n_replay = int(round(bs * replay))
    while True:
        exs = [encode_doc(tok, *gen.pretrain_doc(rng)) for _ in range(n_replay)]
        while len(exs) < bs:
            e = encode_item(tok, gen.xmrc_item(rng, pairs, heldout_values=False if value_holdout else None))
            if e:
                exs.append(e)
        yield collate(exs)


def stage_pretrain(args):
    seed_all(args.seed)
    tok = load_tok()
    model = new_model(tok)
    log(f"pretrain: {sum(p.numel() for p in model.parameters())} params, {args.steps} steps, batch {args.batch}")
    rng = random.Random(args.seed + 1)
    w = {"prev": args.aux, "prev2": args.aux, "bind": args.aux}
    secs = train_loop(model, pretrain_batches(tok, rng, args.batch), args.steps, args.lr, 200, w, "pre")
    torch.save(model.state_dict(), os.path.join(WORK, "base.pt"))
    json.dump({"steps": args.steps, "batch": args.batch, "seconds": secs, "lr": args.lr, "aux": args.aux,
               "seed": args.seed}, open(os.path.join(WORK, "base.meta.json"), "w"))
    log(f"pretrain done in {secs / 60:.1f} min")


def stage_posttrain(args):
    seed_all(args.seed)
    tok = load_tok()
    model = new_model(tok)
    if args.init != "none":
        model.load_state_dict(torch.load(os.path.join(WORK, "base.pt")))
    rng = random.Random(args.seed + 2)
    vrng = random.Random(args.seed + 3)  # validation: held-out values, all pairs (not the test set)
    val = [gen.xmrc_item(vrng, [p], None, asked_heldout=True) for p in gen.all_pairs() for _ in range(2)]

    def evalfn(step):
        em = evaluate(model, tok, val)
        held = [r for r in em if (r["context_lang"], r["question_lang"]) in gen.HELDOUT_PAIRS]
        log(f"  val EM {np.mean([r['em'] for r in em]):.3f} (held-out pairs {np.mean([r['em'] for r in held]):.3f})")

    w = {"prev": args.aux, "prev2": args.aux, "bind": args.aux, "retr": args.aux, "copy": args.copy,
         "ident": args.ident}
    probe = torch.nn.Linear(model.c.d, len(L.PEOPLE)) if args.ident else None
    log(f"posttrain: {args.steps} steps, batch {args.batch}, weights {w}")
    secs = train_loop(model, post_batches(tok, rng, args.batch, bool(args.value_holdout), args.replay), args.steps, args.lr, 100, w, "post",
                      evalfn, args.eval_every, sparse_lm=True, probe=probe)
    torch.save(model.state_dict(), os.path.join(WORK, "instruct.pt"))
    json.dump({"steps": args.steps, "batch": args.batch, "seconds": secs, "lr": args.lr, "aux": args.aux,
               "copy": args.copy, "ident": args.ident, "value_holdout": args.value_holdout,
               "replay": args.replay, "seed": args.seed}, open(os.path.join(WORK, "instruct.meta.json"), "w"))
    log(f"posttrain done in {secs / 60:.1f} min")


@torch.no_grad()
def greedy(model, tok, prompt):
    ids = tok.encode(prompt)
    out = []
    for _ in range(MAX_NEW):
        logits, _, _ = model(torch.tensor([ids + out]))
        nxt = int(logits[0, -1].argmax())
        if nxt == tok.eos_id:
            break
        out.append(nxt)
    return tok.decode(out)


@torch.no_grad()
def evaluate(model, tok, items, first_token=False):
    model.eval()
    res = []
    for it in items:
        prompt = it.get("prompt") or (gen.PROMPT_PREFIX + it["context"] + gen.PROMPT_MID + it["question"] + gen.PROMPT_END)
        pred = greedy(model, tok, prompt)
        r = {"id": it.get("id"), "context_lang": it["context_lang"], "question_lang": it["question_lang"],
             "pred": pred, "answer": it["answer"], "em": float(pred.strip() == it["answer"].strip())}
        if first_token and it.get("target"):
            # the app's target token: first token of the answer as the model would emit it
            logits, _, _ = model(torch.tensor([tok.encode(prompt)]))
            p = logits[0, -1].softmax(-1)
            t0 = tok.encode(it["target"])[0]
            r["p_target"] = float(p[t0])
            r["top1_target"] = float(int(p.argmax()) == t0)
        res.append(r)
    return res


def table(res):
    t = {a: {b: [] for b in L.LANGS} for a in L.LANGS}
    for r in res:
        t[r["context_lang"]][r["question_lang"]].append(r["em"])
    return {a: {b: float(np.mean(v)) * 100 for b, v in row.items()} for a, row in t.items()}


def stage_heldout(args):
    rng = random.Random(args.seed + 100)
    with open(HELDOUT, "w", encoding="utf-8") as f:
        for a, b in gen.all_pairs():
            for i in range(args.per_pair):
                it = gen.xmrc_item(rng, [(a, b)], None, asked_heldout=True)
                rec = {"id": f"{a}-{b}-{i}", "context_lang": a, "question_lang": b, "context": it["context"],
                       "question": it["question"], "answer": it["answer"], "target": it["target"],
                       "kind": it["kind"], "heldout_pair": (a, b) in gen.HELDOUT_PAIRS}
                f.write(json.dumps(rec, ensure_ascii=False) + "\n")
    log(f"wrote {HELDOUT}")


def load_model(tok, which):
    m = new_model(tok)
    m.load_state_dict(torch.load(os.path.join(WORK, f"{which}.pt")))
    m.eval()
    return m


def stage_evaluate(args):
    tok = load_tok()
    items = [json.loads(l) for l in open(HELDOUT, encoding="utf-8")]
    for which in args.which.split(","):
        t = time.time()
        res = evaluate(load_model(tok, which), tok, items, first_token=True)
        tb = table(res)
        cells = [v for row in tb.values() for v in row.values()]
        held = [tb[a][b] for a, b in gen.HELDOUT_PAIRS]
        summ = {"mean": float(np.mean(cells)), "min": float(np.min(cells)),
                "heldout_pairs_mean": float(np.mean(held)), "heldout_pairs_min": float(np.min(held)),
                "same_lang_mean": float(np.mean([tb[a][a] for a in L.LANGS])), "n": len(res),
                "first_token_top1": float(np.mean([r["top1_target"] for r in res])) * 100,
                "first_token_p": float(np.mean([r["p_target"] for r in res]))}
        json.dump({"summary": summ, "table": tb, "results": res},
                  open(os.path.join(WORK, f"eval-{which}.json"), "w", encoding="utf-8"), ensure_ascii=False)
        log(f"eval {which}: {summ} ({time.time() - t:.0f}s)")


# ---------------------------------------------------------------- export
def md_table(tb):
    lines = ["| ctx \\ q | " + " | ".join(L.LANGS) + " | mean |", "|---|" + "---|" * (len(L.LANGS) + 1)]
    for a in L.LANGS:
        row = [tb[a][b] for b in L.LANGS]
        lines.append(f"| **{a}** | " + " | ".join(f"{v:.0f}" for v in row) + f" | {np.mean(row):.1f} |")
    col = [np.mean([tb[a][b] for a in L.LANGS]) for b in L.LANGS]
    lines.append("| mean | " + " | ".join(f"{v:.1f}" for v in col) + f" | {np.mean(col):.1f} |")
    return "\n".join(lines)


def stage_export(args):
    tok = load_tok()
    for which, folder in [("base", "xlens-tiny-base"), ("instruct", "xlens-tiny-instruct")]:
        out = os.path.join(MODELS, folder)
        os.makedirs(out, exist_ok=True)
        m = load_model(tok, which)
        write_safetensors(os.path.join(out, "model.safetensors"), hf_state(m))
        # round trip: what we wrote is what we trained
        m2 = new_model(tok)
        load_hf_state(m2, read_safetensors(os.path.join(out, "model.safetensors")))
        x = torch.tensor([tok.encode("Context: Maria lives in Paris.\nQuestion: Where does Maria live?\nAnswer:")])
        assert torch.allclose(m(x)[0], m2(x)[0])
        with open(os.path.join(out, "config.json"), "w") as f:
            json.dump(m.c.hf_config(tok.eos_id), f, indent=2)
        with open(os.path.join(out, "generation_config.json"), "w") as f:
            json.dump({"bos_token_id": tok.eos_id, "eos_token_id": tok.eos_id, "pad_token_id": tok.eos_id,
                       "do_sample": False, "max_new_tokens": MAX_NEW, "transformers_version": "4.51.0"}, f, indent=2)
        tok.save(out)
        write_card(which, out, tok, m)
        log(f"exported {out}")


def write_card(which, out, tok, model):
    import card
    ev = {w: json.load(open(os.path.join(WORK, f"eval-{w}.json"), encoding="utf-8"))
          for w in ("base", "instruct") if os.path.exists(os.path.join(WORK, f"eval-{w}.json"))}
    meta = {w: json.load(open(os.path.join(WORK, f"{w}.meta.json")))
            for w in ("base", "instruct") if os.path.exists(os.path.join(WORK, f"{w}.meta.json"))}
    n_params = sum(p.numel() for p in model.parameters())
    text = card.render(which, tok=tok, n_params=n_params, arch=ARCH, ev=ev, meta=meta, md_table=md_table,
                       gen=gen, L=L)
    with open(os.path.join(out, "README.md"), "w", encoding="utf-8") as f:
        f.write(text)


@torch.no_grad()
def stage_fixture(args):
    tok = load_tok()
    m = load_model(tok, "instruct")
    items = [json.loads(l) for l in open(HELDOUT, encoding="utf-8")]
    it = next(i for i in items if i["context_lang"] == "en" and i["question_lang"] == "de"
              and 30 <= len(tok.encode(gen.PROMPT_PREFIX + i["context"] + gen.PROMPT_MID + i["question"] + gen.PROMPT_END)) <= 60)
    prompt = gen.PROMPT_PREFIX + it["context"] + gen.PROMPT_MID + it["question"] + gen.PROMPT_END
    ids = tok.encode(prompt)
    logits, _, hidden = m(torch.tensor([ids]), want_hidden=True)
    fx = {"model": "xlens-tiny-instruct", "prompt": prompt, "ids": ids,
          "logits_last": [float(v) for v in logits[0, -1]],
          "hidden_last": [[float(v) for v in h[0, -1]] for h in hidden],
          "argmax": [int(v) for v in logits[0].argmax(-1)],
          "note": "PyTorch float32 forward of tools/tiny-model/model.py on public/models/xlens-tiny-instruct; "
                  "hidden_last[0] = embeddings, hidden_last[l] = residual after layer l (before the final norm)"}
    with open(os.path.join(HERE, "forward-fixture.json"), "w", encoding="utf-8") as f:
        json.dump(fx, f, ensure_ascii=False)
    log(f"fixture: {len(ids)} ids, argmax last {fx['argmax'][-1]} = {tok.decode([fx['argmax'][-1]])!r}")


def stage_examples(args):
    """Parallel examples (the same facts in all 12 languages) asking only about the evaluation
    values (gen.HELDOUT_VALUES), in new random combinations. Each candidate is scored by the instruct model on all 144
    (context, question) pairs; the best are kept, balanced over the four kinds, and each
    records the pairs it gets wrong (usually none) so the app can tell."""
    tok = load_tok()
    m = load_model(tok, "instruct")
    rng = random.Random(args.seed + 200)
    cands = {k: [] for k in L.KINDS}
    per_kind = args.n // len(L.KINDS)
    for tried in range(args.tries):
        # the asked fact uses an evaluation value; the others any value (the pools of evaluation
        # colours and jobs are too small for several distinct ones in one context)
        facts, asked = gen.sample_facts(rng, rng.randint(2, 4), heldout=None, asked_heldout=True)
        kind = facts[asked]["kind"]
        if sum(1 for c in cands[kind] if c["em"] == 1.0) >= per_kind:
            continue
        qv = rng.randrange(2)
        langs = {}
        for lg in L.LANGS:
            it = gen.make_item(facts, asked, lg, lg, qv)
            langs[lg] = {"context": it["context"], "question": it["question"], "answer": it["answer"]}
        items = [gen.make_item(facts, asked, a, b, qv) for a, b in gen.all_pairs()]
        res = evaluate(m, tok, items)
        wrong = [f"{r['context_lang']}-{r['question_lang']}" for r in res if not r["em"]]
        same_ok = all(r["em"] for r in res if r["context_lang"] == r["question_lang"])
        em = 1 - len(wrong) / len(res)
        if same_ok:
            cands[kind].append({"kind": kind, "langs": langs, "em": em, "wrong": wrong})
        log(f"example candidate {tried + 1}: {kind}, {len(res) - len(wrong)}/{len(res)} pairs correct")
    out = []
    for k in L.KINDS:
        best = sorted(cands[k], key=lambda c: -c["em"])[:per_kind]
        out += best
    out = [{"id": f"tiny-{i + 1:02d}", "kind": c["kind"], "langs": c["langs"],
            "pairs_correct": round(c["em"] * 144), "wrong_pairs": c["wrong"]} for i, c in enumerate(out)]
    path = os.path.join(ROOT, "src", "data", "tiny-examples.json")
    with open(path, "w", encoding="utf-8") as f:
        json.dump(out, f, ensure_ascii=False, indent=1)
    log(f"wrote {len(out)} examples to {path}: pairs correct {[c['pairs_correct'] for c in out]}")


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("stage")
    ap.add_argument("--seed", type=int, default=1234)
    ap.add_argument("--vocab", type=int, default=4096)
    ap.add_argument("--steps", type=int, default=1000)
    ap.add_argument("--batch", type=int, default=32)
    ap.add_argument("--lr", type=float, default=2e-3)
    ap.add_argument("--aux", type=float, default=1.0)
    ap.add_argument("--eval-every", type=int, default=500)
    ap.add_argument("--per-pair", type=int, default=10)
    ap.add_argument("--which", default="base,instruct")
    ap.add_argument("--n", type=int, default=24)
    ap.add_argument("--tries", type=int, default=120)
    ap.add_argument("--threads", type=int, default=1)
    ap.add_argument("--value-holdout", type=int, default=1, help="posttrain: 1 = never use the held-out values")
    ap.add_argument("--replay", type=float, default=0.0, help="posttrain: fraction of pre-training text per batch")
    ap.add_argument("--ident", type=float, default=1.0, help="posttrain: weight of the person-identity probe loss")
    ap.add_argument("--copy", type=float, default=1.0, help="posttrain: weight of the retrieval heads' copy loss")
    ap.add_argument("--init", default="base", help="posttrain: start from base.pt, or 'none' (probe)")
    args = ap.parse_args()
    torch.set_num_threads(args.threads)
    {"tokenizer": stage_tokenizer, "pretrain": stage_pretrain, "posttrain": stage_posttrain,
     "heldout": stage_heldout, "evaluate": stage_evaluate, "export": stage_export,
     "fixture": stage_fixture, "examples": stage_examples}[args.stage](args)


if __name__ == "__main__":
    main()
