#!/usr/bin/env bash
# Reproduces one of cellscope's own models, seeded: generate the data, train for a fixed time on
# 2 threads, score every checkpoint on held-out generated images, keep the best; then fit its
# size model (runs/<target>/size_cellscope-<target>.npy, about 15 min) and measure auto.
#   training/reproduce.sh nuclei   # → runs/nuclei/cellscope-nuclei.pth: v1 from scratch (recipe 1,
#                                  #   50 min), v2 fine-tuned on recipe 2 (80 min), v3 on recipe 2
#                                  #   + real BBBC038 nuclei (75 min; needs $BBBC038), v4 with
#                                  #   image edges (70 min), then v5 also rescaled (100 min)
#   training/reproduce.sh cells    # → runs/cells/cellscope-cells.pth: v1 from scratch (recipe 1,
#                                  #   45 min), v2 fine-tuned on recipe 2 (100 min), v3 with
#                                  #   coarse-pixel crops (75 min), v4 with image edges (70 min),
#                                  #   then v5 also rescaled (100 min)
# From a checkpoint instead of from scratch:
#   INIT=<cells v1 weights> training/reproduce.sh cells            # v2 from v1, then v3 to v5
#   V2=<cells v2 weights> training/reproduce.sh cells              # v3 to v5
#   V3=<v3 weights> training/reproduce.sh cells|nuclei             # v4 and v5
#   V4=<v4 weights> training/reproduce.sh cells|nuclei             # v5 alone
#   RESUME=runs/cells/last.pt training/reproduce.sh cells         # weights + optimizer state
# MINUTES overrides stage 2's budget, MINUTES3 stage 3's, MINUTES4/THREADS4 and MINUTES5/THREADS5
# stages 4 and 5's.
# Needs Debian's python3-torch and npm ci.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: training/reproduce.sh nuclei|cells}
case "$target" in
  nuclei) diam=17 ;;
  cells) diam=30 ;;
  *) echo "target must be nuclei or cells" >&2; exit 2 ;;
esac
run=runs/$target

# generate RECIPE: a recipe's 1,000 training and 64 val images, unless already there.
generate() {
  local data=data/$target-r$1
  [ -d "$data-train" ] || npx tsx training/generate.ts --target "$target" --recipe "$1" \
    --count 1000 --first-seed 0 --out "$data-train"
  [ -d "$data-val" ] || npx tsx training/generate.ts --target "$target" --recipe "$1" \
    --count 64 --first-seed 1000000 --shard 64 --out "$data-val"
}

# train NAME RECIPE MINUTES LR [train.py options...]: one stage, its data generated first.
train() {
  local stage=$1 recipe=$2 minutes=$3 lr=$4
  shift 4
  local data=data/$target-r$recipe
  generate "$recipe"
  /usr/bin/python3 training/train.py --data "$data-train" --val "$data-val" --out "$run/$stage" \
    --name "cellscope-$target" --nbase 2,16,32,64,128 --diam-mean "$diam" --minutes "$minutes" \
    --batch 8 --crop 128 --lr "$lr" --seed 0 --threads 2 --fp16-export "$@"
  # Checkpoint selection on generated images only (F1 at IoU 0.5, then 0.75): never on real data.
  npx tsx training/score.ts --val "$data-val" "$run/$stage"/checkpoints/*.pth | tee "$run/$stage/scores.tsv"
  best=$(tail -n +2 "$run/$stage/scores.tsv" | sort -t$'\t' -k2,2gr -k3,3gr | head -1 | cut -f1)
  cp "$best" "$run/cellscope-$target.pth"
  echo "best checkpoint of $stage: $best → $run/cellscope-$target.pth"
}

# real_mix FOLDER COPY...: recipe 2's 1,000 generated nuclei images plus the BBBC038 train shards
# once per COPY name, as symbolic links (imported first; needs $BBBC038, see training/README.md).
real_mix() {
  local mix=$1 src=${BBBC038:?set BBBC038 to BBBC038 stage1_test (see training/README.md)}
  local copy file name
  shift
  generate 2
  [ -d data/bbbc038-train ] || npx tsx training/import-bbbc038.ts --src "$src" \
    --train data/bbbc038-train --val data/bbbc038-val --test data/bbbc038-test
  mkdir -p "$mix"
  for file in data/nuclei-r2-train/*.npy; do ln -sf "$(realpath "$file")" "$mix/"; done
  for copy in "$@"; do
    for file in data/bbbc038-train/*.npy; do
      name=$(basename "$file")
      ln -sf "$(realpath "$file")" "$mix/${name%%_*}_real${copy}_${name#*_}"
    done
  done
}

# Nuclei v3: the fluorescence images of BBBC038's stage1_test (the 2018 Data Science Bowl, CC0;
# $BBBC038 = a folder of <id>/images/<id>.png + <id>/masks/*.png, see training/README.md) are
# split by id into train / val / test. The train images (3 scales each, 3 copies) join recipe 2's
# 1,000 generated ones; the checkpoint is chosen by F1 on the real val images (ids 4…).
real_nuclei_stage() {
  local init=$1
  local mix=data/nuclei-r2-real-train
  real_mix "$mix" a b c
  /usr/bin/python3 training/train.py --data "$mix" --val data/nuclei-r2-val --out "$run/stage3" \
    --name cellscope-nuclei --nbase 2,16,32,64,128 --diam-mean 17 --minutes "${MINUTES3:-75}" \
    --batch 8 --crop 128 --lr 0.001 --seed 3 --threads 2 --fp16-export --val-every 400 \
    --init "$init"
  pick_real_nuclei stage3
}

# cells_mix FOLDER: recipe 2's 1,000 cell images and 1,500 more (seeds 10,000,000+), as links.
cells_mix() {
  local mix=$1 file
  generate 2
  [ -d data/cells-r2-extra ] || npx tsx training/generate.ts --target cells --recipe 2 \
    --count 1500 --first-seed 10000000 --previews 0 --out data/cells-r2-extra
  mkdir -p "$mix"
  for file in data/cells-r2-train/*.npy; do ln -sf "$(realpath "$file")" "$mix/"; done
  for file in data/cells-r2-extra/*.npy; do
    ln -sf "$(realpath "$file")" "$mix/$(basename "${file%_*}")_extra_${file##*_}"
  done
}

# checkpoint_candidates STAGE: the stage's checkpoints at steps 1,000, 2,000, … and its last.
checkpoint_candidates() {
  (ls "$run/$1"/checkpoints/step_*000.pth; ls "$run/$1"/checkpoints/step_*.pth | tail -1) | sort -u
}

# Cells v3: v2 fine-tuned on recipe 2 with 1,500 more images (seeds 10,000,000+) and 30 % of crops
# imaged at 1.5-3.5x coarser pixels (--low-resolution), as small cells look once upsampled to
# diam_mean. The checkpoint: the best F1 on the generated val images among steps 1,000, 2,000, …
# and the last.
low_resolution_cells_stage() {
  local init=$1 mix=data/cells-r2-mix-train
  cells_mix "$mix"
  /usr/bin/python3 training/train.py --data "$mix" --val data/cells-r2-val --out "$run/stage3" \
    --name cellscope-cells --nbase 2,16,32,64,128 --diam-mean 30 --minutes "${MINUTES3:-75}" \
    --batch 8 --crop 128 --lr 0.0003 --seed 0 --threads 2 --fp16-export --val-every 100 \
    --drop-nuclei 0.3 --low-resolution 0.3 --init "$init"
  # shellcheck disable=SC2046 # one path per word
  npx tsx training/score.ts --val data/cells-r2-val $(checkpoint_candidates stage3) | tee "$run/stage3/scores.tsv"
  best=$(tail -n +2 "$run/stage3/scores.tsv" | sort -t$'\t' -k2,2gr -k3,3gr | head -1 | cut -f1)
  cp "$best" "$run/cellscope-cells.pth"
  echo "best checkpoint of stage3: $best → $run/cellscope-cells.pth"
}

# Version 4 of both: version 3 fine-tuned with half of the crops given image edges as inference
# pads them (--image-edge 0.5, training/image_edge.py: zeros beyond, the cut cells' visible-part
# flows) and coarse-pixel crops. The two ran side by side for 70 min, one thread each
# (THREADS4, MINUTES4 override). Nuclei: recipe 2 plus the BBBC038 train shards 6 times (37 % of
# samples real), checkpoint by F1 on the real val images as v3. Cells: v3's 2,500 images, the
# checkpoint with the best mean F1 at IoU 0.5 over the val images whole and their central 176 px
# windows (whose border cuts cells), among steps 1,000, 2,000, … and the last.
# Version 5 of both: version 4 fine-tuned 100 min the same way (THREADS5, MINUTES5), with half of
# the samples first resized towards diam_mean as Cellpose trains (--rescale 0.5).
edge_stage() {
  local stage=$1 init=$2 mix=$3 val=$4 minutes=$5 threads=$6
  shift 6
  /usr/bin/python3 training/train.py --data "$mix" --val "$val" --out "$run/$stage" \
    --name "cellscope-$target" --nbase 2,16,32,64,128 --diam-mean "$diam" --minutes "$minutes" \
    --batch 8 --crop 128 --threads "$threads" --fp16-export --low-resolution 0.3 \
    --image-edge 0.5 --init "$init" "$@"
}

# pick_real_nuclei STAGE: the checkpoint with the best F1 on the real BBBC038 val images.
pick_real_nuclei() {
  npx tsx training/score.ts --val data/bbbc038-val "$run/$1"/checkpoints/*.pth | tee "$run/$1/scores.tsv"
  best=$(tail -n +2 "$run/$1/scores.tsv" | sort -t$'\t' -k2,2gr -k3,3gr | head -1 | cut -f1)
  cp "$best" "$run/cellscope-nuclei.pth"
  echo "best checkpoint of $1 (real val): $best → $run/cellscope-nuclei.pth"
}

# pick_cells STAGE: among steps 1,000, 2,000, … and the last, the best mean F1 at IoU 0.5 over
# the val images whole and their central 176 px windows.
pick_cells() {
  local candidates
  candidates=$(checkpoint_candidates "$1")
  # shellcheck disable=SC2086 # one path per word
  npx tsx training/score.ts --val data/cells-r2-val $candidates | tee "$run/$1/scores.tsv"
  # shellcheck disable=SC2086
  npx tsx training/score.ts --val data/cells-r2-val --crop 176 $candidates | tee "$run/$1/scores-crop176.tsv"
  best=$(paste <(tail -n +2 "$run/$1/scores.tsv" | cut -f1,2) \
    <(tail -n +2 "$run/$1/scores-crop176.tsv" | cut -f2) |
    awk -F'\t' '{ printf "%s\t%.5f\n", $1, ($2 + $3) / 2 }' | sort -t$'\t' -k2,2gr | head -1 | cut -f1)
  cp "$best" "$run/cellscope-cells.pth"
  echo "best checkpoint of $1: $best → $run/cellscope-cells.pth"
}

# edge_nuclei_stages V3: version 4 from V3 (skipped when $V4 is given), then version 5.
edge_nuclei_stages() {
  local mix=data/nuclei-r2-real6-train
  real_mix "$mix" a b c d e f
  if [ -z "${V4:-}" ]; then
    edge_stage stage4 "$1" "$mix" data/nuclei-r2-val "${MINUTES4:-70}" "${THREADS4:-1}" \
      --lr 0.0005 --seed 4 --val-every 400
    pick_real_nuclei stage4
  fi
  edge_stage stage5 "${V4:-$run/cellscope-nuclei.pth}" "$mix" data/nuclei-r2-val \
    "${MINUTES5:-100}" "${THREADS5:-1}" --lr 0.0003 --seed 5 --val-every 500 --rescale 0.5
  pick_real_nuclei stage5
}

# edge_cells_stages V3: version 4 from V3 (skipped when $V4 is given), then version 5.
edge_cells_stages() {
  local mix=data/cells-r2-mix-train
  cells_mix "$mix"
  if [ -z "${V4:-}" ]; then
    edge_stage stage4 "$1" "$mix" data/cells-r2-val "${MINUTES4:-70}" "${THREADS4:-1}" \
      --lr 0.0003 --seed 1 --val-every 500 --drop-nuclei 0.3
    pick_cells stage4
  fi
  edge_stage stage5 "${V4:-$run/cellscope-cells.pth}" "$mix" data/cells-r2-val \
    "${MINUTES5:-100}" "${THREADS5:-1}" --lr 0.0002 --seed 2 --val-every 500 --drop-nuclei 0.3 \
    --rescale 0.5
  pick_cells stage5
}

# v1 from scratch on recipe 1, unless a checkpoint is given; then v2 fine-tuned on recipe 2.
start=()
if [ -n "${RESUME:-}" ]; then
  start=(--resume "$RESUME")
elif [ -n "${INIT:-}" ]; then
  start=(--init "$INIT")
elif [ -n "${V2:-}" ] || [ -n "${V3:-}" ] || [ -n "${V4:-}" ]; then
  : # cells v3 on from the given version 2, v4 and v5 from the given v3, or v5 from the given v4
else
  case "$target" in
    nuclei) train stage1 1 50 0.002 --val-every 300 ;;
    cells) train stage1 1 45 0.002 --val-every 300 ;;
  esac
  start=(--init "$run/cellscope-$target.pth")
fi
case "$target" in
  # Nuclei v2: scene nuclei and cytoplasm bleed-through as bright as the nuclei; then v3: v2
  # fine-tuned on real nuclei (BBBC038, CC0) mixed with recipe 2; then v4 with image edges.
  nuclei)
    if [ -z "${V3:-}" ] && [ -z "${V4:-}" ]; then
      train stage2 2 "${MINUTES:-80}" 0.001 --val-every 500 "${start[@]}"
      real_nuclei_stage "$run/cellscope-nuclei.pth"
    fi
    edge_nuclei_stages "${V3:-$run/cellscope-nuclei.pth}"
    ;;
  # Cells v2: the scene kinds of recipe 2, the nuclear channel withheld from 30 % of crops.
  cells)
    if [ -n "${V2:-}" ]; then
      low_resolution_cells_stage "$V2"
    elif [ -z "${V3:-}" ] && [ -z "${V4:-}" ]; then
      train stage2 2 "${MINUTES:-100}" 0.001 --val-every 500 --drop-nuclei 0.3 "${start[@]}"
      low_resolution_cells_stage "$run/cellscope-cells.pth"
    fi
    edge_cells_stages "${V3:-$run/cellscope-cells.pth}"
    ;;
esac
# The size model for diameter 'auto', fitted on images the model never trained on (seeds
# 3,000,000+, the last stage's recipe), then auto measured on held-out images (4,000,000+); see
# training/README.md, "Size model". Ship it beside the weights: models/size_cellscope-$target.npy.
case "$target" in
  nuclei) recipe=2 sizeseed=3500000 ;;
  cells) recipe=2 sizeseed=3000000 ;;
esac
sized=data/$target-r$recipe
[ -d "$sized-sizefit" ] || npx tsx training/generate.ts --target "$target" --recipe "$recipe" \
  --count 300 --first-seed "$sizeseed" --previews 0 --out "$sized-sizefit"
npx tsx training/fit-size.ts --model "$run/cellscope-$target.pth" --data "$sized-sizefit" \
  --out "$run/size_cellscope-$target.npy" | tee "$run/size-fit.txt"
[ -d "$sized-sizetest" ] || npx tsx training/generate.ts --target "$target" --recipe "$recipe" \
  --count 64 --first-seed $((sizeseed + 1000000)) --shard 64 --previews 0 --out "$sized-sizetest"
npx tsx training/auto-diameter.ts --model "$run/cellscope-$target.pth" \
  --size "$run/size_cellscope-$target.npy" --data "$sized-sizetest" | tee "$run/auto-diameter.tsv"
