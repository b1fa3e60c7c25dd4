#!/usr/bin/env bash
# SPDX-License-Identifier: GPL-3.0-or-later
# Builds the libFuzzer targets (fuzz/CMakeLists.txt, clang-14) and runs each for a bounded time:
# first every saved crash input in fuzz/regressions/<target>/ once, then fuzzing from the seeds in
# fuzz/corpus/<target>/ for SECONDS seconds. Exits non-zero if any target crashes.
# Usage: fuzz/run-fuzzers.sh SECONDS [BUILD_DIR] [TARGET...]
#   SECONDS 0: build and run the regression inputs and seeds once, without fuzzing.
#   BUILD_DIR defaults to build-fuzz/ beside fuzz/; TARGET defaults to every target: fuzz_csv
#   fuzz_modelfile fuzz_sentences fuzz_modelspec fuzz_session.
#   Environment: CC / CXX (default clang-14 / clang++-14), FUZZ_JOBS (build jobs, default 1).
set -euo pipefail

seconds=${1:?usage: $0 SECONDS [BUILD_DIR] [TARGET...]}
[[ $seconds =~ ^[0-9]+$ ]] || { echo "SECONDS must be a whole number, not '$seconds'" >&2; exit 2; }
here=$(cd "$(dirname "$0")" && pwd)
build=${2:-$here/../build-fuzz}
shift $(( $# >= 2 ? 2 : 1 ))
targets=("$@")
[ ${#targets[@]} -gt 0 ] || targets=(fuzz_csv fuzz_modelfile fuzz_sentences fuzz_modelspec fuzz_session)
mkdir -p "$build"
build=$(cd "$build" && pwd)

if [ ! -f "$build/CMakeCache.txt" ]; then
  CC=${CC:-clang-14} CXX=${CXX:-clang++-14} cmake -S "$here" -B "$build" -G Ninja \
    -DCMAKE_BUILD_TYPE= >"$build/configure.log" 2>&1 || { cat "$build/configure.log"; exit 1; }
fi
cmake --build "$build" -j "${FUZZ_JOBS:-1}" --target "${targets[@]}"

status=0
for t in "${targets[@]}"; do
  corpus=$build/corpus/$t         # new inputs land here, outside the source tree
  artifacts=$build/artifacts/$t/  # crash-*, timeout-*, oom-* inputs
  mkdir -p "$corpus" "$artifacts"
  regressions=()
  if [ -d "$here/regressions/$t" ]; then
    while IFS= read -r -d '' f; do regressions+=("$f"); done \
      < <(find "$here/regressions/$t" -type f ! -name README.md -print0 | sort -z)
  fi
  if [ ${#regressions[@]} -gt 0 ]; then
    echo "== $t: replaying ${#regressions[@]} regression input(s)"
    if ! "$build/$t" -rss_limit_mb=2048 -timeout=25 "${regressions[@]}" >"$build/$t.regressions.log" 2>&1; then
      tail -n 40 "$build/$t.regressions.log"
      echo "FAIL: $t crashes on a regression input (log: $build/$t.regressions.log)"
      status=1
      continue
    fi
  fi
  dirs=("$corpus" "$here/corpus/$t")
  [ -d "$here/regressions/$t" ] && dirs+=("$here/regressions/$t")
  if [ "$seconds" -eq 0 ]; then
    echo "== $t: running the corpus once"
    limit=(-runs=0) # libFuzzer's -max_total_time=0 would mean "no limit"
  else
    echo "== $t: fuzzing for $seconds s"
    limit=(-max_total_time="$seconds")
  fi
  if "$build/$t" "${limit[@]}" -max_len=8192 -timeout=25 -rss_limit_mb=2048 -print_final_stats=1 \
      -dict="$here/$t.dict" -artifact_prefix="$artifacts" "${dirs[@]}" >"$build/$t.log" 2>&1; then
    grep -E '^(#[0-9]+.*DONE|stat::number_of_executed_units|stat::peak_rss_mb|stat::new_units_added)' \
      "$build/$t.log" || true
    echo "ok: $t"
  else
    tail -n 60 "$build/$t.log"
    echo "FAIL: $t crashed; the input is in $artifacts (keep it in fuzz/regressions/$t/ once fixed)"
    status=1
  fi
done
exit $status
