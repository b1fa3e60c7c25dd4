#!/bin/sh
# SPDX-License-Identifier: GPL-3.0-or-later
# CTest pytorch_check: trains a small model on UCR GunPoint with the app, saves it, predicts the
# test file with --load-model/--predict, and has tools/check_pytorch.py load the saved model
# into PyTorch (docs/model-format.md) and compare. Exits 77 (skipped) without /usr/bin/python3
# or torch.
# usage: pytorch_check.sh APP SOURCE_DIR WORK_DIR
set -eu
app=$1
src=$2
work=$3
python=${ATTN_PYTHON:-/usr/bin/python3}
if [ ! -x "$python" ]; then
    echo "pytorch_check: $python not found: skipped"
    exit 77
fi
data=$src/resources/data/ucr_gunpoint
rm -rf "$work"
mkdir -p "$work"
export QT_QPA_PLATFORM=offscreen
"$app" --headless --data "$data/GunPoint_TRAIN.txt" --epochs 2 --hidden 16 --units 16 \
    --save-model "$work/model" >"$work/train.log"
"$app" --headless --load-model "$work/model" --predict "$data/GunPoint_TEST.txt" \
    --export-dir "$work/out" >"$work/predict.log"
status=0
"$python" "$src/tools/check_pytorch.py" "$work/model" "$data/GunPoint_TEST.txt" \
    "$work/out/predictions.csv" "$work/out/prediction_attention.csv" || status=$?
exit $status
