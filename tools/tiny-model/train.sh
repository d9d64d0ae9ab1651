#!/usr/bin/env bash
# Reproduces public/models/xlens-tiny-{base,instruct}/ from scratch (fixed seeds).
# Needs Debian's python3-torch, python3-numpy, python3-regex and libopenblas0-pthread (apt).
# About 75-100 minutes on one core of a busy 2-core machine. Data and checkpoints go to
# tools/tiny-model/work/ (gitignored). Usage from anywhere: bash tools/tiny-model/train.sh
set -euo pipefail
cd "$(dirname "$0")/../.."
export OPENBLAS_NUM_THREADS=1 OMP_NUM_THREADS=1
PY=/usr/bin/python3
T=tools/tiny-model/train.py
SEED=${SEED:-1234}
mkdir -p tools/tiny-model/work
$PY $T tokenizer --seed $SEED --vocab 4096
node tools/tiny-model/check_tokenizer.mjs tools/tiny-model/work/tokenizer tools/tiny-model/work/tokenizer-samples.json
$PY $T pretrain --seed $SEED --steps ${PRE_STEPS:-2000} --batch 32 --lr 2e-3
$PY $T posttrain --seed $SEED --steps ${POST_STEPS:-3000} --batch 32 --lr 2e-3 --copy 1.0 --ident 1.0 --value-holdout 0 --eval-every 500
$PY $T heldout --seed $SEED --per-pair 10
$PY $T evaluate --which base,instruct
$PY $T export
$PY $T fixture
$PY $T examples --seed $SEED --n 24 --tries 80
# export again so the model cards carry the final numbers
$PY $T export
