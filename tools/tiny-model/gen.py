"""Synthetic multilingual text: fact documents for pre-training and xMRC items for
post-training and evaluation. Everything is driven by a random.Random passed in, so a
fixed seed gives the same data."""
import random

import langdata as L

PROMPT_PREFIX = "Context: "
PROMPT_MID = "\nQuestion: "
PROMPT_END = "\nAnswer:"

# Language pairs (context, question) never seen in post-training: both directions of six
# pairs across scripts, so held-out pairs are as hard as any.
HELDOUT_PAIRS = {("ar", "zh"), ("zh", "ar"), ("hi", "ru"), ("ru", "hi"), ("th", "de"), ("de", "th"),
                 ("el", "vi"), ("vi", "el"), ("tr", "es"), ("es", "tr"), ("ro", "en"), ("en", "ro")}

# Evaluation values: the held-out set and the app's examples ask only about these. With
# posttrain --value-holdout 1 they never occur in post-training (the model then never produces
# them); the shipped run uses --value-holdout 0 (they occur, in other combinations).
HELDOUT_VALUES = {
    "city": {"Cairo", "Prague", "Seoul", "Hanoi", "Lisbon", "Toronto"},
    "job": {"lawyer", "singer", "architect"},
    "colour": {"green", "purple"},
    "year": {str(y) for y in (1953, 1961, 1968, 1974, 1979, 1983, 1988, 1992, 1997, 2003)},
}


def is_heldout_value(kind, value):
    return L.value_id(kind, value) in HELDOUT_VALUES[kind]


def sample_value(rng, kind, heldout):
    """heldout: None = any value, True = only held-out values, False = only training values."""
    pool = L.pools(kind)
    while True:
        v = rng.choice(pool)
        if heldout is None or is_heldout_value(kind, v) == heldout:
            return v


def sample_facts(rng, n, heldout=False, asked_heldout=None):
    """n facts about n distinct people; distinct values per kind. Returns (facts, asked index).
    heldout=False excludes held-out values everywhere (post-training); None allows all.
    asked_heldout=True forces the asked fact's value to be held out (evaluation)."""
    people = rng.sample(L.PEOPLE, n)
    kinds = [rng.choice(L.KINDS) for _ in range(n)]
    asked = rng.randrange(n)
    facts, used = [], set()
    for i, (p, k) in enumerate(zip(people, kinds)):
        want = asked_heldout if (i == asked and asked_heldout is not None) else heldout
        if want is None and heldout is False:
            want = False
        while True:
            v = sample_value(rng, k, want)
            key = (k, L.value_id(k, v))
            if key not in used:
                used.add(key)
                break
        facts.append({"person": p, "kind": k, "value": v, "variant": rng.randrange(2)})
    return facts, asked


def render_context(lang, facts):
    """-> (text, spans) with spans[i] = {"name": (a, b), "value": (a, b)} char offsets."""
    joiner = "" if lang == "zh" else " "
    text, spans = "", []
    for i, f in enumerate(facts):
        s, v = L.fact_sentence(lang, f["kind"], f["person"], f["value"], f["variant"])
        vpos = s.index(L.V)
        s = s.replace(L.V, v)
        name = f["person"]["name"][lang]
        npos = s.index(name)
        assert not (npos < vpos < npos + len(name))
        off = len(text) + (len(joiner) if i else 0)
        text += (joiner if i else "") + s
        spans.append({"name": (off + npos, off + npos + len(name)), "value": (off + vpos, off + vpos + len(v))})
    return text, spans


def render_question(lang, fact, qvariant):
    q = L.question(lang, fact["kind"], fact["person"], qvariant)
    name = fact["person"]["name"][lang]
    npos = q.index(name)
    return q, (npos, npos + len(name))


def make_item(facts, asked, clang, qlang, qvariant):
    ctx, spans = render_context(clang, facts)
    q, qspan = render_question(qlang, facts[asked], qvariant)
    va, vb = spans[asked]["value"]
    answer = ctx[va:vb]
    target = (" " + answer) if va > 0 and ctx[va - 1] == " " else answer
    prompt = PROMPT_PREFIX + ctx + PROMPT_MID + q + PROMPT_END
    c0 = len(PROMPT_PREFIX)
    q0 = c0 + len(ctx) + len(PROMPT_MID)
    return {
        "context_lang": clang, "question_lang": qlang, "context": ctx, "question": q,
        "answer": answer, "target": target, "prompt": prompt,
        # char spans inside the prompt, for attention supervision
        "names": [(c0 + s["name"][0], c0 + s["name"][1]) for s in spans],
        "values": [(c0 + s["value"][0], c0 + s["value"][1]) for s in spans],
        "asked": asked, "qname": (q0 + qspan[0], q0 + qspan[1]),
        "pids": [L.PEOPLE.index(f["person"]) for f in facts],
        "kind": facts[asked]["kind"],
    }


def xmrc_item(rng, pairs, heldout_values=False, asked_heldout=None):
    clang, qlang = rng.choice(pairs)
    facts, asked = sample_facts(rng, rng.randint(2, 4), heldout_values, asked_heldout)
    return make_item(facts, asked, clang, qlang, rng.randrange(2))


def pretrain_doc(rng):
    """Plain text: facts as prose in one language, the same facts in two languages
    (parallel text), or prose followed by a question and its answer as a sentence."""
    r = rng.random()
    n = rng.randint(2, 5)
    facts, asked = sample_facts(rng, n, heldout=None)
    la = rng.choice(L.LANGS)
    if r < 0.45:
        text, spans = render_context(la, facts)
        return text, spans
    if r < 0.85:
        lb = rng.choice([x for x in L.LANGS if x != la])
        ta, sa = render_context(la, facts)
        tb, sb = render_context(lb, facts)
        off = len(ta) + 1
        sb = [{"name": (s["name"][0] + off, s["name"][1] + off), "value": (s["value"][0] + off, s["value"][1] + off)}
              for s in sb]
        return ta + "\n" + tb, sa + sb
    text, spans = render_context(la, facts)
    q, _ = render_question(la, facts[asked], rng.randrange(2))
    s, _ = render_context(la, [facts[asked]])
    joiner = "" if la == "zh" else " "
    return text + joiner + q + joiner + s, spans


def all_pairs():
    return [(a, b) for a in L.LANGS for b in L.LANGS]


def train_pairs():
    return [p for p in all_pairs() if p not in HELDOUT_PAIRS]
