#!/usr/bin/env bash
# Reproduces one of cellscope's own models from scratch, seeded: generate the data, train for a
# fixed time on 2 threads, score every checkpoint on held-out generated images, keep the best.
# The training budgets are those of the shipped models (MINUTES overrides them):
#   training/reproduce.sh nuclei   # → runs/nuclei/cellscope-nuclei.pth (50 min training, ≈ 60 min in all)
#   training/reproduce.sh cells    # → runs/cells/cellscope-cells.pth (45 min training, ≈ 55 min in all)
# Needs Debian's python3-torch (apt-get install python3-torch) and this repository's npm ci.
set -euo pipefail
cd "$(dirname "$0")/.."
target=${1:?usage: training/reproduce.sh nuclei|cells}
case "$target" in
  nuclei) diam=17 budget=50 ;;
  cells) diam=30 budget=45 ;;
  *) echo "target must be nuclei or cells" >&2; exit 2 ;;
esac
minutes=${MINUTES:-$budget}
data=data/$target
run=runs/$target

npx tsx training/generate.ts --target "$target" --count 800 --first-seed 0 --out "$data-train"
npx tsx training/generate.ts --target "$target" --count 64 --first-seed 1000000 --shard 64 --out "$data-val"
/usr/bin/python3 training/train.py --data "$data-train" --val "$data-val" --out "$run" \
  --name "cellscope-$target" --nbase 2,16,32,64,128 --diam-mean "$diam" --minutes "$minutes" \
  --batch 8 --crop 128 --lr 0.002 --seed 0 --threads 2 --fp16-export --val-every 300
# Checkpoint selection on generated images only (F1 at IoU 0.5, then 0.75): never on real data.
npx tsx training/score.ts --val "$data-val" "$run"/checkpoints/*.pth | tee "$run/scores.tsv"
best=$(tail -n +2 "$run/scores.tsv" | sort -t$'\t' -k2,2gr -k3,3gr | head -1 | cut -f1)
cp "$best" "$run/cellscope-$target.pth"
echo "best checkpoint: $best → $run/cellscope-$target.pth"
