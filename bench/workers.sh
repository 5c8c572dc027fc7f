#!/usr/bin/env bash
# Render throughput with 1 worker vs 2 workers on one PostgreSQL job store, and claim
# latency (an upload's 202 until a worker has the job running), on this machine.
#   bench/workers.sh [JOBS [SECONDS [WxH [FPS]]]]   (default: 4 jobs of a 60 s 1080p30 clip;
#   JOBS 0: the claim latency only)
# The API node renders nothing (serve --workers 0); "1 worker" is one `presgen worker`
# with both cores, "2 workers" two of them with one core each: the same machine either way,
# so this measures the queue's overhead and the overlap of stages, not more hardware.
# Prints one JSON object; writes it to build/bench/workers.json.
set -euo pipefail
here="$(cd "$(dirname "$0")/.." && pwd)"
build="${PRESGEN_BUILD_DIR:-$here/build}"
presgen="$build/src/cli/presgen"
jobs="${1:-4}"
dur="${2:-60}"
size="${3:-1920x1080}"
fps="${4:-30}"
work="$build/bench/workers"
mkdir -p "$work"
input="$(bash "$here/bench/make_input.sh" "$build/bench" "$dur" "$size" "$fps" 8M)"
small="$build/fixtures/odd_aac_mono_8k.mp4"

pgbin="$(ls -d /usr/lib/postgresql/*/bin | sort -V | tail -1)"
cluster="$(mktemp -d /tmp/presgen-bench-pg-XXXXXX)"
as_pg=()
if [ "$(id -u)" = 0 ]; then chown postgres "$cluster"; as_pg=(runuser -u postgres --); fi
port="$(python3 -c 'import socket; s=socket.socket(); s.bind(("127.0.0.1",0)); print(s.getsockname()[1])')"
"${as_pg[@]}" "$pgbin/initdb" -D "$cluster/data" -U presgen -A trust --no-sync >/dev/null
"${as_pg[@]}" "$pgbin/pg_ctl" -D "$cluster/data" -l "$cluster/log" -w \
  -o "-p $port -k $cluster -c listen_addresses=127.0.0.1" start >/dev/null
pids=()
cleanup() {
  for p in "${pids[@]}"; do kill "$p" 2>/dev/null || true; done
  wait 2>/dev/null || true
  "${as_pg[@]}" "$pgbin/pg_ctl" -D "$cluster/data" -m fast stop >/dev/null 2>&1 || true
  rm -rf "$cluster"
}
trap cleanup EXIT

# start_node SUBCOMMAND ARGS... -> the node's first stdout line in $line, pid in pids
start_node() {
  local fifo="$work/out.$RANDOM"
  mkfifo "$fifo"
  "$presgen" "$@" --quiet > "$fifo" &
  pids+=($!)
  read -r line < "$fifo"
  rm -f "$fifo"
}

post() {  # post FILE -> job id
  curl -sf -F "file=@$1;type=video/mp4" -F 'options={}' "http://127.0.0.1:$api_port/v1/jobs" |
    python3 -c 'import json,sys; print(json.load(sys.stdin)["id"])'
}
status() { curl -sf "http://127.0.0.1:$api_port/v1/jobs/$1" | python3 -c 'import json,sys; print(json.load(sys.stdin)["status"])'; }

results=()
for workers in 1 2; do
  db="bench_w$workers"
  "${as_pg[@]}" "$pgbin/psql" -h 127.0.0.1 -p "$port" -U presgen -d postgres -qc "CREATE DATABASE $db" >/dev/null
  store="postgresql://presgen@127.0.0.1:$port/$db"
  data="$work/data_w$workers"
  rm -rf "$data"
  pids=()
  start_node serve --port 0 --data-dir "$data" --store "$store" --workers 0 --queue-limit 100
  api_port="${line##*:}"
  for ((w = 0; w < workers; w++)); do
    start_node worker --data-dir "$data" --store "$store" --threads $((2 / workers))
  done
  # Claim latency: one small job at a time on idle workers, from the upload's 202 (the job
  # stored, its upload probed) until the job says running; polled every 2 ms.
  latencies=()
  for i in 1 2 3 4 5; do
    latencies+=("$(python3 - "$api_port" "$small" <<'PY'
import http.client, json, sys, time, uuid
port, path = int(sys.argv[1]), sys.argv[2]
body_id = uuid.uuid4().hex
data = open(path, "rb").read()
parts = (b"--" + body_id.encode() + b'\r\nContent-Disposition: form-data; name="file"; filename="a.mp4"\r\n'
         b"Content-Type: video/mp4\r\n\r\n" + data + b"\r\n--" + body_id.encode() + b"--\r\n")
c = http.client.HTTPConnection("127.0.0.1", port)
c.request("POST", "/v1/jobs", parts, {"Content-Type": "multipart/form-data; boundary=" + body_id})
job = json.loads(c.getresponse().read())
t0 = time.monotonic()
while True:
    c.request("GET", "/v1/jobs/" + job["id"])
    status = json.loads(c.getresponse().read())["status"]
    if status != "queued":
        break
    time.sleep(0.002)
print(round((time.monotonic() - t0) * 1000))
while status not in ("succeeded", "failed"):
    time.sleep(0.2)
    c.request("GET", "/v1/jobs/" + job["id"])
    status = json.loads(c.getresponse().read())["status"]
PY
)")
  done
  if [ "$jobs" -eq 0 ]; then  # latency only
    results+=("{\"workers\": $workers, \"claim_latency_ms\": [$(IFS=,; echo "${latencies[*]}")]}")
    for p in "${pids[@]}"; do kill "$p"; done
    wait "${pids[@]}" 2>/dev/null || true
    pids=()
    continue
  fi
  t0=$(date +%s.%N)
  ids=()
  for ((j = 0; j < jobs; j++)); do ids+=("$(post "$input")"); done
  for id in "${ids[@]}"; do
    until s="$(status "$id")"; [ "$s" = succeeded ] || [ "$s" = failed ]; do sleep 0.5; done
    [ "$s" = succeeded ] || { echo "job $id failed" >&2; exit 1; }
  done
  t1=$(date +%s.%N)
  wall="$(python3 -c "print(round($t1 - $t0, 1))")"
  results+=("{\"workers\": $workers, \"threads_each\": $((2 / workers)), \"jobs\": $jobs, \"wall_s\": $wall, \"jobs_per_hour\": $(python3 -c "print(round($jobs * 3600 / $wall, 1))"), \"claim_latency_ms\": [$(IFS=,; echo "${latencies[*]}")]}")
  for p in "${pids[@]}"; do kill "$p"; done
  wait "${pids[@]}" 2>/dev/null || true
  pids=()
done
out="{\"input\": \"$(basename "$input")\", \"cores\": $(nproc), \"runs\": [$(IFS=,; echo "${results[*]}")]}"
echo "$out" | tee "$build/bench/workers.json"
