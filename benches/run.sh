#!/usr/bin/env bash
# Reproduces every figure of benches/README.md, end to end:
#   bash benches/run.sh            # everything (about 15 minutes on 2 cores)
#   QUICK=1 bash benches/run.sh    # a fast smoke run (fewer samples; figures are rough)
#   STEPS="whole rss tmux" BIN=/path/to/other/tokdbg bash benches/run.sh   # some steps, another binary
# Steps: criterion (micro, scale, render), crypto (the two jsonwebtoken backends), inprocess
# (call, tui), whole (hyperfine), startup (tokdbg decode vs jwt decode, interleaved), rss, tmux.
# Results go to target/bench-results/ (one log per step, summary.txt collects the headlines).
# hyperfine, jwt-cli, GNU time and tmux are installed if missing and possible; a step whose
# tool is unavailable prints a note and is skipped, the rest still runs.
set -uo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
OUT=${OUT:-$ROOT/target/bench-results}
mkdir -p "$OUT"
SUMMARY=$OUT/summary.txt
: >"$SUMMARY"
QUICK=${QUICK:-0}
if [ "$QUICK" = 1 ]; then
  CRITERION=(--warm-up-time 1 --measurement-time 2)
  RUNS=30 ROUNDS=8 TMUX_SAMPLES=5 RSS_RUNS=5 IDLE_SECS=5 STARTUP_ROUNDS=30
else
  CRITERION=(--warm-up-time 3 --measurement-time 5)
  RUNS=300 ROUNDS=40 TMUX_SAMPLES=20 RSS_RUNS=20 IDLE_SECS=10 STARTUP_ROUNDS=200
fi
BIN=${BIN:-$ROOT/target/release/tokdbg}

STEPS=" ${STEPS:-all} "
step() { [[ $STEPS == *" all "* || $STEPS == *" $1 "* ]]; }
say() { printf '%s\n' "$*" | tee -a "$SUMMARY"; }
note() { say "NOTE: $*"; }
have() { command -v "$1" >/dev/null 2>&1; }

# ---------------------------------------------------------------------------------------
# Machine and tools

say "== machine"
say "date       $(date -u '+%Y-%m-%d %H:%M:%S UTC')"
say "nproc      $(nproc)"
say "cpu        $(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ //')"
say "memory     $(free -h | awk '/^Mem:/ {print $2}')"
say "kernel     $(uname -r)"
say "rustc      $(rustc --version)"
say "load       $(cut -d' ' -f1-3 /proc/loadavg) (1/5/15 min, at start)"
if pgrep -f libfuzzer >/dev/null 2>&1 || pgrep -f 'cargo-fuzz' >/dev/null 2>&1; then
  note "a fuzzing job is running: figures will be noisy"
fi

apt_install() { # apt_install PACKAGE: quietly, only as root, only once per run
  [ "$(id -u)" = 0 ] && have apt-get || return 1
  if [ -z "${APT_UPDATED:-}" ]; then apt-get update -qq >/dev/null 2>&1 || true; APT_UPDATED=1; fi
  apt-get install -y -qq "$1" >/dev/null 2>&1
}
have hyperfine || apt_install hyperfine || note "hyperfine unavailable: whole-process timings skipped"
[ -x /usr/bin/time ] || apt_install time || note "GNU time unavailable: peak memory skipped"
have tmux || apt_install tmux || note "tmux unavailable: real-terminal TUI figures skipped"
have curl || apt_install curl || note "curl unavailable: the curl comparison is skipped"
if ! have jwt; then
  if have cargo && cargo install jwt-cli --locked >"$OUT/jwt-cli-install.log" 2>&1; then :; else
    note "jwt-cli could not be installed (see $OUT/jwt-cli-install.log): its rows are skipped"
  fi
fi
export PATH="$HOME/.cargo/bin:$PATH"
have jwt && say "jwt-cli    $(jwt --version 2>/dev/null)"
have hyperfine && say "hyperfine  $(hyperfine --version)"

# ---------------------------------------------------------------------------------------
# Build

say "== build"
# Only what the chosen steps run: BIN= names a binary built elsewhere, and the whole-process
# steps need no bench build.
if [ "$BIN" = "$ROOT/target/release/tokdbg" ]; then
  cargo build --release --locked >"$OUT/build.log" 2>&1 || { note "cargo build --release failed: see $OUT/build.log"; exit 1; }
fi
if step criterion || step inprocess; then
  cargo bench --no-run --locked >>"$OUT/build.log" 2>&1 || { note "cargo bench --no-run failed: see $OUT/build.log"; exit 1; }
fi
say "binary     $BIN ($(du -h "$BIN" | cut -f1))"

# ---------------------------------------------------------------------------------------
# 1, 5. criterion micro, scale and render benches

criterion_summary() { # keeps "name  time: [low median high]" on one line
  awk '/^Benchmarking/ {next} /time:/ { if (name != "") { sub(/^ +/, ""); print name "  " $0; name = "" } next }
       /^[^ ]/ && !/^(Found|Warning|Gnuplot)/ { name = $0; if ($0 ~ /time:/) { print; name = "" } }' "$1"
}
MARK=$OUT/.criterion-start
touch "$MARK"
step criterion && for bench in micro scale render; do
  say "== criterion: $bench   (time: [95% CI of the mean: low, estimate, high])"
  cargo bench --locked --bench "$bench" -- "${CRITERION[@]}" >"$OUT/$bench.log" 2>&1 || note "bench $bench failed: see $OUT/$bench.log"
  criterion_summary "$OUT/$bench.log" | tee -a "$SUMMARY"
done
if step criterion && have python3; then
  say "== criterion medians (median of the samples' per-iteration times, MAD = median absolute deviation)"
  python3 - "$ROOT/target/criterion" "$MARK" <<'PY' | tee -a "$SUMMARY"
import json, os, sys
root, mark = sys.argv[1], os.path.getmtime(sys.argv[2])
def fmt(ns):
    for unit, scale in (("s", 1e9), ("ms", 1e6), ("µs", 1e3)):
        if ns >= scale: return f"{ns / scale:.3g} {unit}"
    return f"{ns:.3g} ns"
rows = []
for dirpath, _, files in os.walk(root):
    if os.path.basename(dirpath) == "new" and "estimates.json" in files and os.path.getmtime(os.path.join(dirpath, "estimates.json")) >= mark:
        bench = json.load(open(os.path.join(dirpath, "benchmark.json")))
        est = json.load(open(os.path.join(dirpath, "estimates.json")))
        rows.append((os.path.getmtime(os.path.join(dirpath, "estimates.json")), bench["full_id"], est))
for _, name, est in sorted(rows):
    med, mad = est["median"]["point_estimate"], est["median_abs_dev"]["point_estimate"]
    print(f"  {name:<78} median {fmt(med):>10}  MAD {fmt(mad):>9} ({mad / med * 100:4.1f} %)")
PY
fi

# ---------------------------------------------------------------------------------------
# The crypto backend: the same signature checks with jsonwebtoken's aws_lc_rs and rust_crypto

if step crypto; then
  say "== crypto backends (benches/crypto-backends: jsonwebtoken::crypto::verify, prebuilt key)"
  for backend in aws rc; do
    (cd benches/crypto-backends &&
      CARGO_TARGET_DIR=$ROOT/target/crypto-backends cargo run --release --locked --quiet --features "$backend" -- "$ROOT/src/demo/keys") \
      2>"$OUT/crypto-$backend.log" | tee -a "$SUMMARY" || note "the $backend backend did not build or run: see $OUT/crypto-$backend.log"
  done
fi

# ---------------------------------------------------------------------------------------
# 3, 4. full call and TUI, in process

if step inprocess; then
  say "== full call in process (cargo bench --bench call -- $ROUNDS)"
  cargo bench --locked --bench call -- "$ROUNDS" 2>/dev/null | tee "$OUT/call.log" | tee -a "$SUMMARY"
  say "== TUI in process (cargo bench --bench tui -- $ROUNDS)"
  cargo bench --locked --bench tui -- "$ROUNDS" 2>/dev/null | tee "$OUT/tui.log" | tee -a "$SUMMARY"
fi

# ---------------------------------------------------------------------------------------
# The demo server for the whole-process steps

DEMO_PID=
TMUX_SOCKET=tokdbg-bench-$$
cleanup() {
  [ -n "$DEMO_PID" ] && kill "$DEMO_PID" 2>/dev/null
  have tmux && tmux -L "$TMUX_SOCKET" kill-server 2>/dev/null
  rm -rf "$OUT/profiles"
}
trap cleanup EXIT
"$BIN" demo serve --addr 127.0.0.1:0 >"$OUT/demo-serve.log" 2>&1 &
DEMO_PID=$!
for _ in $(seq 100); do grep -q 'demo issuer' "$OUT/demo-serve.log" 2>/dev/null && break; sleep 0.05; done
ISSUER=$(sed -n 's/.*demo issuer *\(http[^ ]*\).*/\1/p' "$OUT/demo-serve.log" | head -1)
BASE=${ISSUER%/oidc}
PORT=${BASE##*:}
JWKS=$ISSUER/.well-known/jwks.json
say "demo server $BASE (pid $DEMO_PID)"
mkdir -p "$OUT/profiles"
sed "s/127\.0\.0\.1:4455/127.0.0.1:$PORT/g" profiles/demo-reader.toml >"$OUT/profiles/demo-reader.toml"
TOKEN=$(curl -fsS -X POST -d grant_type=client_credentials -d client_id=demo-reader -d client_secret=demo-reader-secret \
  -d scope=order:read "$BASE/oidc/token" | sed -n 's/.*"access_token":"\([^"]*\)".*/\1/p')
[ -n "$TOKEN" ] || { note "no token from the demo server"; exit 1; }
curl -fsS "$JWKS" -o "$OUT/jwks.json"
say "token      ${#TOKEN} bytes (RS256, demo-rsa-1)"

# ---------------------------------------------------------------------------------------
# 2. whole process: wall time (hyperfine) and peak memory (GNU time)

hyper() { # hyper NAME COMMAND...: one hyperfine table, JSON kept
  local name=$1; shift
  hyperfine -N --warmup 20 --runs "$RUNS" --export-json "$OUT/hyperfine-$name.json" "$@" >"$OUT/hyperfine-$name.log" 2>&1 ||
    { note "hyperfine $name failed: see $OUT/hyperfine-$name.log"; return; }
  if have python3; then
    python3 - "$OUT/hyperfine-$name.json" <<'PY' | tee -a "$SUMMARY"
import json, sys
for r in json.load(open(sys.argv[1]))["results"]:
    t = sorted(r["times"]); n = len(t)
    q = lambda p: t[min(n - 1, round((n - 1) * p))] * 1000
    cmd = r["command"]
    cmd = cmd if len(cmd) < 70 else cmd[:45] + "…" + cmd[-20:]
    print(f"  {cmd:<70} median {q(.5):7.2f} ms  IQR [{q(.25):.2f} .. {q(.75):.2f}]  mean {r['mean']*1000:.2f} ± {r['stddev']*1000:.2f}  (n={n})")
PY
  else
    grep -E 'Benchmark|Time|Range' "$OUT/hyperfine-$name.log" | tee -a "$SUMMARY"
  fi
}
JWT_OK=0; have jwt && jwt decode "$TOKEN" >/dev/null 2>&1 && JWT_OK=1
if step whole && have hyperfine; then
  say "== whole process, wall time (hyperfine -N, $RUNS runs)"
  say "-- decode (no key):"
  if [ $JWT_OK = 1 ]; then hyper decode "$BIN decode $TOKEN" "jwt decode $TOKEN"; else hyper decode "$BIN decode $TOKEN"; fi
  say "-- verify (tokdbg fetches the JWKS over loopback HTTP; jwt-cli reads the same JWKS from a file):"
  if [ $JWT_OK = 1 ]; then
    hyper verify "$BIN verify $TOKEN --jwks $JWKS" "jwt decode -A RS256 -S @$OUT/jwks.json $TOKEN"
  else hyper verify "$BIN verify $TOKEN --jwks $JWKS"; fi
  say "-- cold start:"
  hyper help "$BIN --help" "$BIN --version"
  if have curl; then
    say "-- a full call, whole process: tokdbg call vs the same 4 steps with curl (4 processes):"
    hyper call "$BIN --profiles $OUT/profiles call demo-reader 'read orders'" "bash $ROOT/benches/curl_call.sh $BASE"
  fi
fi

if step startup && have python3 && [ $JWT_OK = 1 ]; then
  say "== start-up, interleaved (benches/interleaved.py: $STARTUP_ROUNDS rounds, each command once a round in random order)"
  python3 "$ROOT/benches/interleaved.py" "$STARTUP_ROUNDS" "jwt decode $TOKEN" "$BIN decode $TOKEN" "$BIN --help" | tee -a "$SUMMARY"
fi

if step rss && [ -x /usr/bin/time ]; then
  say "== whole process, peak RSS (GNU time %M, median of $RSS_RUNS runs)"
  rss() { # rss LABEL COMMAND...
    local label=$1; shift
    local values
    values=$(for _ in $(seq "$RSS_RUNS"); do /usr/bin/time -f '%M' "$@" 2>&1 >/dev/null | tail -1; done | sort -n)
    say "  $(printf '%-52s' "$label") $(echo "$values" | awk '{a[NR]=$1} END {printf "%6.1f MiB (min %.1f, max %.1f)", a[int((NR+1)/2)]/1024, a[1]/1024, a[NR]/1024}')"
  }
  rss "tokdbg decode TOKEN" "$BIN" decode "$TOKEN"
  [ $JWT_OK = 1 ] && rss "jwt decode TOKEN" jwt decode "$TOKEN"
  rss "tokdbg verify TOKEN --jwks URL" "$BIN" verify "$TOKEN" --jwks "$JWKS"
  [ $JWT_OK = 1 ] && rss "jwt decode -A RS256 -S @jwks.json TOKEN" jwt decode -A RS256 -S "@$OUT/jwks.json" "$TOKEN"
  rss "tokdbg --help" "$BIN" --help
  rss "tokdbg call demo-reader 'read orders'" "$BIN" --profiles "$OUT/profiles" call demo-reader "read orders"
fi

# ---------------------------------------------------------------------------------------
# 4. the real TUI in tmux: time to first frame, idle CPU

if step tmux && have tmux; then
  say "== tokdbg demo in tmux 200x60"
  tm() { tmux -L "$TMUX_SOCKET" "$@"; }
  tm new-session -d -s bench -x 200 -y 60 "sleep 100000"
  now_ns() { date +%s%N; }
  samples=()
  for i in $(seq "$TMUX_SAMPLES"); do
    start=$(now_ns)
    tm new-window -d -t bench -n "w$i" "exec $BIN demo"
    shown=
    for _ in $(seq 500); do
      if tm capture-pane -p -t "bench:w$i" 2>/dev/null | grep -q 'Profiles (16)'; then shown=$(now_ns); break; fi
      sleep 0.01
    done
    # q, not kill-window: a SIGHUP'd `tokdbg demo` leaves its /tmp/tokdbg-demo-PID behind.
    tm send-keys -t "bench:w$i" q 2>/dev/null
    sleep 0.3
    tm kill-window -t "bench:w$i" 2>/dev/null
    [ -n "$shown" ] && samples+=($(((shown - start) / 1000)))
    sleep 0.2
  done
  if [ ${#samples[@]} -gt 0 ]; then
    say "  time to first frame (start to 'Profiles (16)' on screen, polled every 10 ms): $(printf '%s\n' "${samples[@]}" | sort -n |
      awk '{a[NR]=$1} END {printf "median %.1f ms  IQR [%.1f .. %.1f]  min %.1f max %.1f  (n=%d)", a[int((NR+1)/2)]/1000, a[int(NR/4)+1]/1000, a[int(NR*3/4)]/1000, a[1]/1000, a[NR]/1000, NR}')"
  else
    note "the TUI never showed its list in tmux"
  fi

  ticks=$(getconf CLK_TCK)
  cpu_of() { awk '{print $14 + $15}' "/proc/$1/stat"; }
  idle_cpu() { # idle_cpu LABEL PID: CPU over IDLE_SECS from /proc/PID/stat utime+stime
    local before after
    before=$(cpu_of "$2"); sleep "$IDLE_SECS"; after=$(cpu_of "$2")
    say "  $(printf '%-52s' "$1") $(awk -v d=$((after - before)) -v t="$ticks" -v s="$IDLE_SECS" 'BEGIN {printf "%.2f %% of one core (%d ticks of 1/%d s in %d s)", d / t / s * 100, d, t, s}')"
  }
  tm new-window -d -t bench -n idle "exec $BIN demo"
  for _ in $(seq 500); do tm capture-pane -p -t bench:idle | grep -q 'Profiles (16)' && break; sleep 0.01; done
  PID=$(tm display -p -t bench:idle '#{pane_pid}')
  sleep 2
  idle_cpu "idle CPU, fresh start (nothing running)" "$PID"
  tm send-keys -t bench:idle t; sleep 1; tm send-keys -t bench:idle 2; sleep 1
  idle_cpu "idle CPU, token fetched, Token tab (1 s countdown)" "$PID"
  say "  peak RSS of the TUI (VmHWM)                          $(awk '/VmHWM/ {printf "%.1f MiB", $2/1024}' "/proc/$PID/status")"
  tm send-keys -t bench:idle q
fi

say "== done: $(cut -d' ' -f1-3 /proc/loadavg) (load at the end); logs in $OUT"
