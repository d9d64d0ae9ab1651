"""Model card (README.md) for the two tiny models, filled from the run's metadata and
evaluation files under tools/tiny-model/work/."""
import os


def _fmt_min(s):
    return f"{s / 60:.1f} min"


def render(which, tok, n_params, arch, ev, meta, md_table, gen, L):
    base = which == "base"
    name = "xlens-tiny-base" if base else "xlens-tiny-instruct"
    other = "xlens-tiny-instruct" if base else "xlens-tiny-base"
    mb = n_params * 4 / 1e6
    pre, post = meta.get("base", {}), meta.get("instruct", {})
    held_pairs = ", ".join(f"{a}→{b}" for a, b in sorted(gen.HELDOUT_PAIRS))
    held_vals = "; ".join(f"{k}: {', '.join(sorted(v))}" for k, v in gen.HELDOUT_VALUES.items())
    vh = bool(post.get("value_holdout", 1))
    replay = float(post.get("replay", 0.0))
    n_people, n_city, n_job, n_col, n_year = len(L.PEOPLE), len(L.CITIES), len(L.JOBS), len(L.COLOURS), len(L.YEARS)

    def summary(w):
        if w not in ev:
            return "(not evaluated yet)"
        s = ev[w]["summary"]
        return (f"mean **{s['mean']:.1f}%** over 144 pairs, minimum pair {s['min']:.0f}%; "
                f"same-language pairs {s['same_lang_mean']:.1f}%; the 12 pairs held out of post-training "
                f"{s['heldout_pairs_mean']:.1f}% (minimum {s['heldout_pairs_min']:.0f}%); n = {s['n']}"
                + (f". Target token (the answer's first token as the model would emit it) ranked first at "
                   f"the end of the prompt in {s['first_token_top1']:.1f}% of items, mean probability "
                   f"{s['first_token_p']:.3f}" if "first_token_top1" in s else ""))

    def tab(w):
        return md_table(ev[w]["table"]) if w in ev else "(not evaluated yet)"

    intro = (
        "The **pre-trained only** half of xlens' offline pair: a tiny Llama-architecture decoder trained "
        "from scratch on synthetic plain text in 12 languages. It has never seen the "
        "`Context: … Question: … Answer:` prompt format; compare it with "
        f"[`{other}`](../{other}/), the same weights after post-training on cross-lingual reading comprehension."
        if base else
        "The **post-trained** half of xlens' offline pair: "
        f"[`{other}`](../{other}/) further trained on cross-lingual machine reading comprehension "
        "(xMRC: context in one language, question in another, answer copied from the context). "
        "It is the app's offline default model."
    )
    if vh:
        held_vals_line = f"None of the evaluation values ({held_vals}) ever occurs in post-training."
        eval_vals_line = "None of these values occurs in any post-training prompt."
        limit_vals_line = ("Evaluation items use values never seen in post-training, but the people "
                           "and the languages are the same as in post-training.")
    else:
        held_vals_line = ("All values occur, including the evaluation values, in other combinations. "
                          "(Holding the evaluation values out of post-training was tried first: the "
                          "model then never produced them, since their tokens only ever received "
                          "negative gradient; it scored 92% on seen values and 0% on the unseen ones "
                          "after 1000 steps, and mixing 25% pre-training text into every batch (replay) "
                          "did not change that: 98% seen, 0% unseen after 1000 steps.)")
        eval_vals_line = ("These values also occur in post-training, in other random combinations; the "
                          "evaluation contexts themselves are new, and 12 pairs were never post-trained.")
        limit_vals_line = ("The evaluation is of new combinations and of unseen language pairs, not of "
                           "unseen entities: every person and value also occurs in post-training, and "
                           "entity tokens never produced in post-training are not produced by the model.")
    replay_line = (f", {replay:.0%} of each batch being pre-training text with the full next-token loss "
                   "(replay)" if replay else "")
    imposed = [
        "layer 0 head 0: previous token (every position attends to the one before it)",
        "layer 0 head 1: the token two back",
        "layer 1 head 0: every token of a fact's value (and the token right after it) attends to the "
        "name of the person in that sentence, uniformly over the name's tokens"
        + ("" if base else "; in post-training also the answer positions (from the last prompt token on) "
           "attend to the person's name in the question"),
    ]
    if not base:
        imposed.append(
            "layer 3 heads 0 and 1 (post-training only): the answer-retrieval heads — the position that "
            "predicts answer token j attends to token j of the answer span in the context, the position "
            "that predicts end-of-text attends to the token right after the span (two heads with the "
            "same target, so the copy has 64 dimensions instead of one head's 32)")
        imposed.append(
            "a copy loss (post-training only): the summed output of layer 3 heads 0 and 1 alone, through "
            "the final norm and the tied unembedding, must predict the answer token (so those heads' "
            "OV circuit copies the token they attend to)")
        imposed.append(
            "a person-identity loss (post-training only): a linear classifier used only in training (not "
            "exported) must read which of the 40 people a fact or a question is about, the same class in "
            "every language and script, from the residual stream after layer 2 at the fact's value tokens "
            "and at the answer positions (a language-independent code for the names, 'question encoding')")

    pre_line = (f"{pre.get('steps', '?')} steps × batch {pre.get('batch', '?')} documents, AdamW "
                f"(β 0.9/0.98, weight decay 0.01), peak lr {pre.get('lr', '?')}, 200 warm-up steps, cosine to 10%, "
                f"grad-norm clip 1; {_fmt_min(pre['seconds']) if 'seconds' in pre else '?'} on one CPU thread of a 2-core machine busy with other work")
    post_line = (f"{post.get('steps', '?')} steps × batch {post.get('batch', '?')} prompts, same optimiser, "
                 f"peak lr {post.get('lr', '?')}, 100 warm-up steps, cosine to 10%; "
                 f"{_fmt_min(post['seconds']) if 'seconds' in post else '?'} on one CPU thread")

    return f"""---
language: [ar, de, el, en, es, hi, ro, ru, th, tr, vi, zh]
license: apache-2.0
library_name: transformers
pipeline_tag: text-generation
tags: [llama, tiny, synthetic, xlens, cross-lingual, reading-comprehension]
---

# {name}

{intro}

It exists so that xlens (a browser app that visualises how LLMs answer cross-lingual reading
comprehension questions, after Gao et al., EMNLP 2025, arXiv 2504.10906) shows a real result
without any network access, and so that the paper's comparison of a pre-trained model with its
post-trained version can be shown in miniature. It is a toy: it knows only the synthetic world
described below and is useless as a general language model.

## Model

| | |
|---|---|
| architecture | `LlamaForCausalLM` (RMSNorm, RoPE θ = 10000, SwiGLU/SiLU, tied input/output embeddings, no biases) |
| layers × hidden × heads | {arch['layers']} × {arch['d']} × {arch['heads']} (head dim {arch['d'] // arch['heads']}, full multi-head attention), MLP {arch['ffn']} |
| vocabulary | {tok.size} byte-level BPE tokens (`<|endoftext|>` = {tok.eos_id} is eos and pad; no BOS is added) |
| parameters | {n_params:,} ({mb:.1f} MB as float32 `model.safetensors`) |
| context | trained on sequences up to ~200 tokens |

Greedy decoding, stop at `<|endoftext|>`. There is no chat template: use the plain prompt.

## Prompt

```
Context: {{context}}
Question: {{question}}
Answer:
```

The model continues with the answer as it is written in the context, **with the leading space it
has there** (`Answer: London`), and no space for Thai and Chinese contexts where the answer is
glued to the previous character (`Answer:伦敦`), then `<|endoftext|>`.

## Data (synthetic, generated by `tools/tiny-model/gen.py`, `langdata.py`)

A closed world of {n_people} people (20 female, 20 male names, each rendered in every script:
Latin, Greek, Cyrillic, Arabic, Devanagari, Thai, Chinese; Spanish accents where usual) and four
kinds of facts: the city a person lives in ({n_city} cities with their usual exonym in every
language), their job ({n_job} jobs, with masculine/feminine forms where the language has them),
the colour of their car ({n_col} colours, agreeing with the word for car), and the year they were
born ({n_year} years, 1950–2005). Each kind has two sentence templates per language and each
question two templates per language, written to keep the names in the nominative and to agree in
gender (Arabic, Hindi and Russian verbs, Greek articles, job nouns). All 12 languages of the paper:
{", ".join(L.LANGS)}.

- **Pre-training text** (base): documents of 2–5 facts about different people: 45% one language;
  40% the same facts in two languages one after the other (parallel text); 15% one language
  followed by a question about one of the facts and that fact's sentence again (questions and
  answers in natural text, never in the `Context/Question/Answer` format). New random documents
  every step ({pre.get('steps', 0) * pre.get('batch', 0):,} documents in all).
- **Post-training prompts** (instruct only): 2–4 facts in the context language, a question about
  one of them in the question language, all (context, question) pairs except 12 held out
  entirely ({held_pairs}). {held_vals_line} {post.get('steps', 0) * post.get('batch', 0):,} prompts in
  all{replay_line}. Loss on the answer tokens and end-of-text only.

The tokenizer (`tokenizer.json`, Qwen2 layout: NFC, regex split, byte-level BPE) was trained on
the same generator's text. Its split regex keeps every Han and Thai character a token of its own
(so a Chinese or Thai name has the same tokens in a context and in a question), keeps letters with
their combining marks (Devanagari, Thai), and attaches a preceding space to a run of up to four
digits. transformers.js (`@huggingface/transformers` 4.3) gives ids identical to the Python
tokenizer on 300/300 samples (`tools/tiny-model/check_tokenizer.mjs`).

## Training recipe, and what was imposed

- Pre-training (base): next-token loss on every token, {pre_line}.
- Post-training (instruct): from the base weights, {post_line}.

Tiny models trained by plain next-token prediction on this kind of key→value lookup sit on a long
plateau at chance (they learn to copy *an* entity of the right type, not the asked one; see the
project's FINDINGS). To train within about an hour on a CPU, both stages add auxiliary losses
(weight 1 each): a cross-entropy on the attention probabilities of a few heads, and in post-training
a copy loss and a person-identity loss. These mechanisms were **imposed, not emergent**:

{chr(10).join("- " + x for x in imposed)}

{"The base model carries these three (previous-token heads and the head that ties each fact to its person) but no retrieval head, no copy loss and no identity code." if base else "The other heads of every layer, all MLPs and the embeddings were free. The imposed heads are known ground truth for attention-knockout tests: blocking layer 3 heads 0 and 1 from the answer span should destroy the answer."}

Seeds: `--seed 1234` for everything (data streams, initialisation, held-out set, examples).

## Evaluation

Held-out set: `tools/tiny-model/heldout.jsonl`, 10 items for each of the 144 (context language,
question language) pairs, generated with its own seed: every item is a new random combination of
people, facts and templates, and asks about one of the evaluation values ({held_vals}). {eval_vals_line} Greedy decoding in PyTorch (the training
code's own forward, float32, at most 24 new tokens, stop at `<|endoftext|>`), exact match of the
generated text against the answer after stripping surrounding whitespace (strict: no further
normalisation). Rows: context language, columns: question language, cells: EM %.

### {"This model (base)" if base else "This model (instruct)"}: {summary(which)}

{tab(which)}

### {"The post-trained model" if base else "The base model it started from"}: {summary("instruct" if base else "base")}

{tab("instruct" if base else "base")}

## Reproduce

```
bash tools/tiny-model/train.sh      # ~60-90 min on one thread of a busy 2-core machine
```

Stages (each `/usr/bin/python3 tools/tiny-model/train.py <stage>`): `tokenizer`, `pretrain`,
`posttrain`, `heldout`, `evaluate`, `export` (this folder), `fixture`
(`tools/tiny-model/forward-fixture.json`, the PyTorch forward the app's engine is checked against)
and `examples` (`src/data/tiny-examples.json`, parallel examples whose facts all use the evaluation
values, scored by the instruct model on all 144 pairs; each records the pairs it gets wrong). Torch 1.13 from Debian, one thread; results
are deterministic for a given torch/BLAS build, timings are not.

## Limitations

- A closed synthetic world: {n_people} names, {n_city} cities, {n_job} jobs, {n_col} colours, {n_year} years,
  two templates per fact and per question. Anything else (other names, free text, other question
  types, longer contexts) is out of distribution and gives nonsense.
- The names are transliterations and the sentences were written by the pipeline's author from
  grammar knowledge, not checked by native speakers of all 12 languages; some phrasings are stiff
  (e.g. Russian «живёт в городе Москва», Thai years in the Gregorian calendar).
- Key heads were imposed by auxiliary losses (above); the phase structure it shows is partly by
  construction, not discovered. The base model never saw the prompt format, so its low score is
  partly a format effect, not only missing retrieval: after `Answer:` it goes on with fact prose
  (mostly the Arabic « يسكن في باريس. », "lives in Paris.") and never emits the answer first.
- {limit_vals_line}
- Known text bug, kept so that the run reproduces: the English template "{{name}} has a {{colour}}
  car." gives "has a orange car".
- The scores above come from the PyTorch code; the app's engine (ONNX, onnxruntime-web) is checked
  against the same forward on `tools/tiny-model/forward-fixture.json`.
"""
