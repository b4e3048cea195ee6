#!/bin/bash
# Development only, for speed figures on a shared machine: scripts/quiet-window.sh LOG MARK -- CMD
# runs CMD in its own session; once LOG shows the line MARK (a bench prints one where its timed
# part starts), it pauses (SIGSTOP) every other node/python/chromium/shell process of the machine,
# re-scanning every 0.1 s since new ones start, until CMD exits, then resumes them (always, also
# on Ctrl-C). Used for `pnpm bench fingerprint-speed` (packages/fingerprint/README.md).
LOG=$1; MARK=$2; shift 3
setsid bash -c "$*" > "$LOG" 2>&1 &
BPID=$!
sleep 1
BPGID=$(ps -o pgid= -p $BPID | tr -d ' ')
STOPPED=""
resume() { [ -n "$STOPPED" ] && kill -CONT $STOPPED 2>/dev/null; STOPPED=""; }
trap resume EXIT INT TERM
while kill -0 $BPID 2>/dev/null && ! grep -q "$MARK" "$LOG"; do sleep 0.2; done
MY=$(ps -o pgid= -p $$ | tr -d ' ')
while kill -0 $BPID 2>/dev/null; do
  for p in $(ps -eo pid=,pgid=,stat=,comm= | awk -v g=$BPGID -v m=$MY '$2!=g && $2!=m && $3 !~ /^T/ && ($4 ~ /^(node|python|tsx|esbuild|chrom|vitest|tesser|npm|pnpm|sh|bash|git|biome)/) {print $1}'); do
    kill -STOP $p 2>/dev/null && STOPPED="$STOPPED $p"
  done
  sleep 0.1
done
N=$(echo $STOPPED | wc -w)
resume
echo "paused $N processes; resumed at $(date +%T)" >&2
