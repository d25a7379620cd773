#!/usr/bin/env bash
# compare.sh: JCCL next to Open MPI and Gloo, fp32 SUM allreduce over 127.0.0.1, plus JCCL's reduce
# kernel next to a C loop. One script: installs the peers (apt), builds the peer benchmarks and JCCL,
# runs every variant R times interleaved, and writes a markdown report with the medians.
#
#   bench/compare/compare.sh                      # full run: ranks 2 4, 8 B .. 64 MiB, 3 runs
#   bench/compare/compare.sh --quick --ranks 2    # smoke test: 8 B and 1 MiB, 1 run
#
# See bench/compare/README.md for what each variant is and how the numbers are defined.
set -euo pipefail

here="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd -P)"
bench_dir="$(dirname "$here")"
repo_dir="$(dirname "$bench_dir")"
build="$here/build"

runs=""
ranks_list="2 4"
sizes_arg=""
quick=0
out="$here/out"
install=1
peer_timeout=600
# Seconds each JCCL invocation first spends letting the JIT compile its hot paths (a JVM's steady
# state; the C and C++ peers are compiled ahead of time). Not part of any timed figure.
jit_warmup=10
# Milliseconds each size and mode then keeps warming up after its warm-up calls: the first call of a
# size the JIT has not seen can throw compiled code away (a branch it never saw taken, e.g. the
# communicator's plan-cache miss), and recompiling it on a busy 2-core machine takes longer than 100
# calls of a small size. Not part of any timed figure either.
warmup_ms=300
all_variants="jccl-tcp openmpi-tcp openmpi-shm gloo-ring gloo-hd kernel"
variants_arg="$all_variants"

usage() {
    cat <<'EOF'
usage: bench/compare/compare.sh [options]
  --runs R        repetitions of everything; the report shows medians (default 3; 1 with --quick)
  --ranks "N ..." rank counts (default "2 4")
  --sizes "S ..." message sizes, bytes with optional K/M/G (powers of 1024), multiples of 4
                  (default 8 B to 32 MiB times 4 each step, plus 64M; "8 1M" with --quick)
  --quick         few sizes, 1 run, short JMH settings: a smoke test, not a measurement
  --out DIR       results directory (default bench/compare/out)
  --timeout S     kill a peer run after S seconds and fail (default 600)
  --variants "V ..." what to run, any of: jccl-tcp openmpi-tcp openmpi-shm gloo-ring gloo-hd kernel
                  (default all; 'kernel' is the JMH kernel next to the C loop)
  --no-install    do not apt-get install missing packages
  -h, --help      this help
EOF
}

die() {
    echo "compare.sh: ERROR: $*" >&2
    exit 1
}

log() {
    echo "[compare $(date +%H:%M:%S)] $*" >&2
}

while [[ $# -gt 0 ]]; do
    case "$1" in
        --runs) runs="${2:?--runs needs a value}"; shift 2 ;;
        --ranks) ranks_list="${2:?--ranks needs a value}"; shift 2 ;;
        --sizes) sizes_arg="${2:?--sizes needs a value}"; shift 2 ;;
        --quick) quick=1; shift ;;
        --out) out="${2:?--out needs a value}"; shift 2 ;;
        --timeout) peer_timeout="${2:?--timeout needs a value}"; shift 2 ;;
        --variants) variants_arg="${2:?--variants needs a value}"; shift 2 ;;
        --no-install) install=0; shift ;;
        -h|--help) usage; exit 0 ;;
        *) usage >&2; die "unknown option '$1'" ;;
    esac
done

[[ -z "$runs" ]] && { [[ $quick == 1 ]] && runs=1 || runs=3; }
[[ "$runs" =~ ^[1-9][0-9]*$ ]] || die "--runs must be a positive integer, not '$runs'"
[[ "$peer_timeout" =~ ^[1-9][0-9]*$ ]] || die "--timeout must be a positive integer, not '$peer_timeout'"
for n in $ranks_list; do
    [[ "$n" =~ ^[0-9]+$ && "$n" -ge 2 ]] || die "--ranks: '$n' is not a rank count of 2 or more"
done

to_bytes() {
    local s="$1" mult=1
    case "$s" in
        *[kK]) mult=1024; s="${s%?}" ;;
        *[mM]) mult=$((1024 * 1024)); s="${s%?}" ;;
        *[gG]) mult=$((1024 * 1024 * 1024)); s="${s%?}" ;;
    esac
    [[ "$s" =~ ^[0-9]+$ ]] || die "bad size '$1'"
    echo $((s * mult))
}

if [[ -n "$sizes_arg" ]]; then
    size_words="${sizes_arg//,/ }"
elif [[ $quick == 1 ]]; then
    size_words="8 1M"
else
    size_words=""
    for ((s = 8; s <= 32 * 1024 * 1024; s *= 4)); do size_words+="$s "; done
    size_words+="64M"
fi
sizes=()
for w in $size_words; do
    b="$(to_bytes "$w")"
    (( b >= 4 && b % 4 == 0 )) || die "size $w is not a positive multiple of 4 bytes (fp32 elements)"
    sizes+=("$b")
done
mapfile -t sizes < <(printf '%s\n' "${sizes[@]}" | sort -n -u)
kernel_sizes=(65536 1048576 16777216)
variants=()
run_kernel=0
for v in $variants_arg; do
    case " $all_variants " in *" $v "*) ;; *) die "--variants: unknown variant '$v' (known: $all_variants)" ;; esac
    if [[ "$v" == kernel ]]; then run_kernel=1; else variants+=("$v"); fi
done

# Iterations by size (timed, warm-up), the same for every library: more calls where a call is short,
# few at large sizes so the whole default run stays within about 20 minutes on 2 cores. Up to 1 KiB
# 10 000 calls as OSU's benchmarks time: 1000 calls of ~25 us last 25 ms, where one scheduler stall of
# a few milliseconds moved a row's mean by a fifth.
tiny_max=1024; tiny_iters="10000 1000"
small_max=$((64 * 1024)); small_iters="200 20"
medium_max=$((4 * 1024 * 1024)); medium_iters="100 10"
large_iters="10 2"
iters_for() {
    local b="$1"
    if (( b <= tiny_max )); then echo "$tiny_iters"
    elif (( b <= small_max )); then echo "$small_iters"
    elif (( b <= medium_max )); then echo "$medium_iters"
    else echo "$large_iters"
    fi
}
iters_note="iterations (timed/warm-up) by size: ≤ 1 KiB ${tiny_iters/ //}, ≤ 64 KiB ${small_iters/ //}, ≤ 4 MiB ${medium_iters/ //}, larger ${large_iters/ //}"

# ---------------------------------------------------------------------------------------------
# Install and build
# ---------------------------------------------------------------------------------------------
install_packages() {
    local missing=()
    command -v mpicc >/dev/null 2>&1 && command -v mpirun >/dev/null 2>&1 || missing+=(openmpi-bin libopenmpi-dev)
    [[ -f /usr/include/gloo/allreduce.h ]] || missing+=(libgloo-dev)
    command -v gcc >/dev/null 2>&1 || missing+=(gcc)
    command -v g++ >/dev/null 2>&1 || missing+=(g++)
    (( ${#missing[@]} == 0 )) && return 0
    [[ $install == 1 ]] || die "missing packages ${missing[*]} and --no-install was given"
    log "installing ${missing[*]}"
    if ! DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" \
            >"$out/logs/apt.log" 2>&1; then
        log "apt-get install failed; running apt-get update first"
        DEBIAN_FRONTEND=noninteractive apt-get update >>"$out/logs/apt.log" 2>&1 \
            || die "apt-get update failed, see $out/logs/apt.log"
        DEBIAN_FRONTEND=noninteractive apt-get install -y --no-install-recommends "${missing[@]}" \
            >>"$out/logs/apt.log" 2>&1 || die "apt-get install ${missing[*]} failed, see $out/logs/apt.log"
    fi
}

build_peers() {
    mkdir -p "$build"
    log "building peer benchmarks into $build"
    mpicc -O3 -Wall -Wextra -o "$build/mpi_allreduce" "$here/mpi_allreduce.c" \
        || die "mpicc failed on mpi_allreduce.c"
    g++ -std=c++17 -O3 -Wall -Wextra -o "$build/gloo_allreduce" "$here/gloo_allreduce.cc" -lgloo -pthread \
        || die "g++ failed on gloo_allreduce.cc"
    gcc -O3 -march=native -Wall -Wextra -o "$build/kernel_loop" "$here/kernel_loop.c" \
        || die "gcc failed on kernel_loop.c"
}

find_java() {
    if [[ -n "${JAVA_HOME:-}" && -x "$JAVA_HOME/bin/java" ]]; then
        echo "$JAVA_HOME/bin/java"
    else
        command -v java || die "no Java found; set JAVA_HOME or put java (17 or newer) on PATH"
    fi
}

build_jccl() {
    # Packages the bench module (and what it needs) and writes its classpath; bin/jccl-perf uses the
    # same jars. Never 'mvn install': it would replace shared snapshot jars in ~/.m2.
    log "building JCCL (mvn -pl bench -am package)"
    (cd "$repo_dir" && mvn -q -B -pl bench -am package dependency:build-classpath -DskipTests \
        -Dmdep.outputFile="$build/classpath.txt") >"$out/logs/mvn.log" 2>&1 \
        || { tail -30 "$out/logs/mvn.log" >&2; die "the JCCL build failed, see $out/logs/mvn.log"; }
    classpath="$bench_dir/target/classes:$(cat "$build/classpath.txt")"
}

# ---------------------------------------------------------------------------------------------
# Runs. Each appends rows to $raw: run,library,variant,ranks,bytes,time_us,busbw_gbps,p50_us
# ---------------------------------------------------------------------------------------------
spec_args() {
    local b it wu
    for b in "${sizes[@]}"; do
        read -r it wu < <(iters_for "$b")
        printf '%s:%s:%s\n' "$b" "$it" "$wu"
    done
}

# Peer output (rank 0): '#' comments, then bytes,count,iters,warmup,time_us,algbw,busbw,p50_us.
append_peer_rows() {
    local file="$1" run="$2" library="$3" variant="$4" ranks="$5"
    local got
    got="$(grep -v '^#' "$file" | awk -F, 'NF == 8 { print $1 }' | tr '\n' ' ')"
    [[ "$got" == "$(printf '%s ' "${sizes[@]}")" ]] \
        || die "$library-$variant n=$ranks: expected results for sizes '${sizes[*]}', got '$got' (see $file)"
    grep -v '^#' "$file" | awk -F, -v run="$run" -v lib="$library" -v var="$variant" -v n="$ranks" \
        'NF == 8 { print run "," lib "," var "," n "," $1 "," $5 "," $7 "," $8 }' >>"$raw"
}

run_mpi() {
    local run="$1" variant="$2" ranks="$3"
    local name="r$run-openmpi-$variant-n$ranks" btl
    if [[ "$variant" == tcp ]]; then
        btl=(--mca btl tcp,self --mca btl_tcp_if_include lo)
    else
        btl=(--mca btl vader,self)
    fi
    log "run $run: Open MPI $variant, $ranks ranks"
    local rc=0
    timeout -k 10 "$peer_timeout" mpirun --allow-run-as-root --oversubscribe --bind-to none -np "$ranks" \
        --mca pml ob1 "${btl[@]}" --mca oob_tcp_if_include lo \
        "$build/mpi_allreduce" $(spec_args) >"$out/logs/$name.out" 2>"$out/logs/$name.err" || rc=$?
    if (( rc != 0 )); then
        tail -20 "$out/logs/$name.err" >&2
        (( rc == 124 )) && die "Open MPI $variant n=$ranks timed out after ${peer_timeout}s"
        die "Open MPI $variant n=$ranks failed with exit code $rc (logs: $out/logs/$name.*)"
    fi
    append_peer_rows "$out/logs/$name.out" "$run" openmpi "$variant" "$ranks"
}

gloo_pids=()
kill_gloo() {
    local p
    for p in "${gloo_pids[@]}"; do kill "$p" 2>/dev/null || true; done
    gloo_pids=()
}
trap kill_gloo EXIT

run_gloo() {
    local run="$1" algo="$2" ranks="$3"
    local name="r$run-gloo-$algo-n$ranks" store r
    store="$(mktemp -d "$build/gloo-store.XXXXXX")"
    log "run $run: Gloo $algo, $ranks ranks"
    local specs
    mapfile -t specs < <(spec_args)
    gloo_pids=()
    for ((r = 0; r < ranks; r++)); do
        local dest="$out/logs/$name.rank$r.out"
        [[ $r == 0 ]] && dest="$out/logs/$name.out"
        timeout -k 10 "$peer_timeout" "$build/gloo_allreduce" --rank "$r" --size "$ranks" --store "$store" \
            --algo "$algo" --timeout-ms $((peer_timeout * 1000)) "${specs[@]}" \
            >"$dest" 2>"$out/logs/$name.rank$r.err" &
        gloo_pids+=($!)
    done
    local failed=0 codes="" pids=("${gloo_pids[@]}")
    for ((r = 0; r < ranks; r++)); do
        local rc=0
        wait "${pids[$r]}" || rc=$?
        codes+=" rank$r=$rc"
        if (( rc != 0 && failed == 0 )); then
            failed=1
            # A rank that died leaves the others waiting for it: stop them now rather than at their timeout.
            kill_gloo
        fi
    done
    gloo_pids=()
    rm -rf "$store"
    if (( failed )); then
        cat "$out/logs/$name".rank*.err >&2 || true
        die "Gloo $algo n=$ranks failed, exit codes:$codes (124: timed out after ${peer_timeout}s;" \
            "143: stopped after another rank failed) (logs: $out/logs/$name.*)"
    fi
    append_peer_rows "$out/logs/$name.out" "$run" gloo "$algo" "$ranks"
}

# jccl-perf sweeps geometric size ranges: group consecutive sizes that share an iteration count and a
# step factor into one invocation (-b first -e last -f factor); anything else runs on its own.
jccl_groups() {
    local i=0 n=${#sizes[@]}
    while (( i < n )); do
        local first=${sizes[$i]} its factor=1 j=$((i + 1))
        its="$(iters_for "$first")"
        if (( j < n )) && [[ "$(iters_for "${sizes[$j]}")" == "$its" ]] && (( sizes[j] % first == 0 )); then
            factor=$((sizes[j] / first))
            while (( j < n )) && [[ "$(iters_for "${sizes[$j]}")" == "$its" ]] \
                    && (( sizes[j] == sizes[j - 1] * factor )); do
                j=$((j + 1))
            done
        else
            j=$((i + 1))
        fi
        echo "$first ${sizes[$((j - 1))]} $factor $its"
        i=$j
    done
}

run_jccl() {
    local run="$1" ranks="$2"
    local name="r$run-jccl-tcp-n$ranks" g=0 first last factor it wu
    log "run $run: JCCL tcp, $ranks ranks"
    : >"$out/logs/$name.csvrows"
    while read -r first last factor it wu; do
        g=$((g + 1))
        local csv="$out/logs/$name.g$g.csv" rc=0
        timeout -k 10 "$peer_timeout" "$bench_dir/bin/jccl-perf" allreduce --ranks "$ranks" -b "$first" \
            -e "$last" -f "$factor" -n "$it" -w "$wu" -c 0 -d float32 -o sum --size-budget-ms 0 \
            --jit-warmup "$jit_warmup" --warmup-ms "$warmup_ms" \
            --job-timeout "$peer_timeout" --csv "$csv" >"$out/logs/$name.g$g.out" 2>"$out/logs/$name.g$g.err" \
            || rc=$?
        if (( rc != 0 )); then
            tail -20 "$out/logs/$name.g$g.err" >&2
            (( rc == 124 )) && die "JCCL n=$ranks ($first..$last) timed out after ${peer_timeout}s"
            die "JCCL n=$ranks ($first..$last) failed with exit code $rc (logs: $out/logs/$name.g$g.*)"
        fi
        # Out-of-place columns, found by name in jccl-perf's CSV header.
        awk -F, -v run="$run" -v n="$ranks" '
            NR == 1 { for (i = 1; i <= NF; i++) col[$i] = i; next }
            { print $col["size_bytes"] "," run ",jccl,tcp," n "," $col["size_bytes"] "," \
                $col["oop_time_us"] "," $col["oop_busbw_gbps"] "," $col["oop_p50_us"] }' "$csv" \
            >>"$out/logs/$name.csvrows"
    done < <(jccl_groups)
    local got
    got="$(cut -d, -f1 "$out/logs/$name.csvrows" | tr '\n' ' ')"
    [[ "$got" == "$(printf '%s ' "${sizes[@]}")" ]] \
        || die "JCCL n=$ranks: expected results for sizes '${sizes[*]}', got '$got' (see $out/logs/$name.*)"
    cut -d, -f2- "$out/logs/$name.csvrows" >>"$raw"
}

run_kernel_c() {
    local run="$1" name="r$1-kernel-c" rc=0
    log "run $run: C kernel loop"
    timeout -k 10 "$peer_timeout" "$build/kernel_loop" "${kernel_sizes[@]}" >"$out/logs/$name.out" \
        2>"$out/logs/$name.err" || rc=$?
    (( rc == 0 )) || { cat "$out/logs/$name.err" >&2; die "kernel_loop failed with exit code $rc"; }
    local got
    got="$(grep -v '^#' "$out/logs/$name.out" | cut -d, -f1 | tr '\n' ' ')"
    [[ "$got" == "$(printf '%s ' "${kernel_sizes[@]}")" ]] || die "kernel_loop printed sizes '$got'"
    grep -v '^#' "$out/logs/$name.out" | awk -F, -v run="$run" \
        '{ print run ",c,kernel,1," $1 "," $4 "," $5 "," }' >>"$raw"
}

run_kernel_jccl() {
    local run="$1" name="r$1-kernel-jccl" rc=0
    local jmh_opts=()
    [[ $quick == 1 ]] && jmh_opts=(-wi 1 -i 2 -w 500ms -r 500ms)
    log "run $run: JCCL reduce kernel (JMH)"
    local csv="$out/logs/$name.jmh.csv" bytes_list
    bytes_list="$(IFS=,; echo "${kernel_sizes[*]}")"
    local waited_s=0
    while :; do
        rc=0
        timeout -k 10 "$peer_timeout" "$java" -cp "$classpath" org.openjdk.jmh.Main \
            'ReduceKernelBenchmark\.reduce$' -p dtype=float32 -p op=sum -p bytes="$bytes_list" -p inPlace=false \
            "${jmh_opts[@]}" -rf csv -rff "$csv" >"$out/logs/$name.out" 2>&1 || rc=$?
        # JMH refuses to run while another JMH holds /tmp/jmh.lock; wait for it rather than measure
        # next to it (a bounded wait: at most the peer timeout).
        if (( rc != 0 )) && grep -q 'Unable to acquire the JMH lock' "$out/logs/$name.out" \
                && (( waited_s < peer_timeout )); then
            (( waited_s == 0 )) && log "another JMH run holds /tmp/jmh.lock; waiting for it"
            sleep 10
            waited_s=$((waited_s + 10))
            continue
        fi
        break
    done
    (( rc == 0 )) || { tail -30 "$out/logs/$name.out" >&2; die "JMH failed with exit code $rc"; }
    "$java" -cp "$classpath" io.jccl.bench.compare.CompareReport --import-jmh "$csv" --run "$run" --raw "$raw" \
        || die "could not import $csv"
}

run_allreduce_variant() {
    local run="$1" variant="$2" ranks="$3"
    case "$variant" in
        jccl-tcp) run_jccl "$run" "$ranks" ;;
        openmpi-tcp) run_mpi "$run" tcp "$ranks" ;;
        openmpi-shm) run_mpi "$run" shm "$ranks" ;;
        gloo-ring) run_gloo "$run" ring "$ranks" ;;
        gloo-hd) run_gloo "$run" hd "$ranks" ;;
    esac
}

# ---------------------------------------------------------------------------------------------
# Main
# ---------------------------------------------------------------------------------------------
start_s=$SECONDS
mkdir -p "$out/logs" "$build"
rm -f "$out"/logs/r[0-9]*-* "$out/report.md" "$out/points.csv" "$out/raw.csv" 2>/dev/null || true
install_packages
build_peers
java="$(find_java)"
build_jccl

raw="$out/raw.csv"
echo "run,library,variant,ranks,bytes,time_us,busbw_gbps,p50_us" >"$raw"
log "sizes: ${sizes[*]}; ranks: $ranks_list; runs: $runs; kernel sizes: ${kernel_sizes[*]}"

for ((run = 1; run <= runs; run++)); do
    # Rotate the order each repetition so that no library always runs first or right after another.
    if (( ${#variants[@]} > 0 )); then
        shift_by=$(((run - 1) % ${#variants[@]}))
        order=("${variants[@]:$shift_by}" "${variants[@]:0:$shift_by}")
        for ranks in $ranks_list; do
            for v in "${order[@]}"; do
                run_allreduce_variant "$run" "$v" "$ranks"
            done
        done
    fi
    if (( run_kernel == 0 )); then
        :
    elif (( run % 2 == 1 )); then
        run_kernel_c "$run"; run_kernel_jccl "$run"
    else
        run_kernel_jccl "$run"; run_kernel_c "$run"
    fi
done

cpu="$(grep -m1 'model name' /proc/cpuinfo | cut -d: -f2- | sed 's/^ *//' || echo unknown)"
ompi="$(mpirun --version 2>/dev/null | head -1 || echo unknown)"
gloo="$(dpkg-query -W -f='${Version}' libgloo-dev 2>/dev/null || echo unknown)"
jv="$("$java" -version 2>&1 | head -1)"
commit="$(cd "$repo_dir" && git rev-parse --short HEAD 2>/dev/null || echo unknown)"
"$java" -cp "$classpath" io.jccl.bench.compare.CompareReport --raw "$raw" --markdown "$out/report.md" \
    --points "$out/points.csv" \
    --note "$(date -u +%Y-%m-%dT%H:%MZ), $(nproc) CPUs ($cpu), $(uname -sr); JCCL $commit; $ompi; Gloo $gloo; $jv" \
    --note "ranks: $ranks_list; runs: $runs; $iters_note" \
    || die "the report failed"
log "done in $((SECONDS - start_s)) s: $out/report.md, $out/points.csv, raw data $raw"
