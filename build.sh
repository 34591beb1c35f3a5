#!/usr/bin/env bash
# Build, test and benchmark entry point.
#
#   ./build.sh build           restore + Release build of the solution
#   ./build.sh pack            build, then pack the NuGet packages into artifacts/packages
#   ./build.sh test            build, pack, start a throwaway PostgreSQL, run every tests/*/*.csproj
#   ./build.sh bench [args]    run the BenchmarkDotNet project (extra args are passed through); with no args, then
#                              the cold-start benchmark too
#   ./build.sh bench coldstart [--runs N] [--no-aot] [--r2r] [--variants a,b]
#                              only the whole-process cold-start benchmark (benchmarks/Atom.Salesforce.ColdStart)
#   ./build.sh bench latency [--rates 1,100,1000] [--seconds N]
#                              change → handler latency through the emulator's Pub/Sub API, p50/p90/p99 at fixed rates
#   ./build.sh bench paging-memory [--counts 100000,1000000] [--runs 3]
#                              peak working set of fresh processes paging each count (floor and SDK)
#   ./build.sh bench mirror [--scales 20] [--opportunities N] [--history 5] [--report] [--keep] [--report-schema S]
#                           [--rates 100,1000] [--seconds N] [--no-lag]
#                              the PostgreSQL mirror (ATOM_TEST_PG): initial load (rows/s, API calls, writer peak memory),
#                              the pipeline report from the mirror cold/warm/in memory, and change → mirror row lag
#                              p50/p90/p99 at fixed rates
#
# Environment:
#   ATOM_TEST_PG   Npgsql connection string of an existing database to test against; when it is
#                  set no PostgreSQL server is started.
#   ATOM_TEST_REDIS  StackExchange.Redis configuration (host:port) of an existing Redis to test the shared
#                  cache against; when it is set no redis-server is started.
#   CI=true        deterministic (ContinuousIntegrationBuild) build, build servers shut down at exit.
set -euo pipefail

REPO_ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")" && pwd)"
SOLUTION_NAME="Atom.Salesforce.Client"
BENCH_PROJECT="benchmarks/Atom.Salesforce.Client.Benchmarks"
COLDSTART_PROJECT="benchmarks/Atom.Salesforce.ColdStart"
RESULTS_DIR="$REPO_ROOT/artifacts/test-results"
PACKAGES_DIR="$REPO_ROOT/artifacts/packages"
PG_DATABASE="atom_test"

# State of the throwaway PostgreSQL cluster (empty when none was started).
PG_TMP=""
PG_BIN=""
PG_AS_USER=""
PG_PORT=""

# State of the throwaway redis-server (empty when none was started).
REDIS_TMP=""
REDIS_PID=""

section() {
  printf '\n==== %s ====\n' "$*"
}

info() {
  printf '  %s\n' "$*"
}

die() {
  printf 'ERROR: %s\n' "$*" >&2
  exit 1
}

usage() {
  cat <<EOF
Usage: ./build.sh <command> [args]

Commands:
  build          restore and build ${SOLUTION_NAME} (Release)
  pack           build, then pack the NuGet packages into artifacts/packages
  test           build, pack, start a throwaway PostgreSQL and redis-server (unless ATOM_TEST_PG / ATOM_TEST_REDIS
                 are set), run all tests
  bench [args]   run ${BENCH_PROJECT} (Release); args go to BenchmarkDotNet; with no args, then the
                 cold-start benchmark as well
  bench coldstart [--runs N] [--no-aot] [--r2r] [--variants floor,sdk-di,sdk-nodi,floor-aot,sdk-di-aot,sdk-nodi-aot]
                 only the whole-process cold-start benchmark (${COLDSTART_PROJECT}): fresh processes of the
                 raw floor and of the SDK, JIT and NativeAOT, against a fake org on loopback; --r2r adds the
                 ReadyToRun variants (the SDK's assemblies alone, and the whole app published with ReadyToRun)
  bench latency [--rates 1,100,1000] [--seconds N]
                 change → handler latency through the emulator's Pub/Sub API at fixed rates (an open-loop
                 harness in ${BENCH_PROJECT}: BenchmarkDotNet cannot hold an arrival rate)
  bench paging-memory [--counts 100000,1000000] [--runs 3]
                 peak working set of fresh processes paging each count from an in-memory org (raw floor and
                 SDK): memory flat in the record count
  bench mirror [--scales 20] [--opportunities 100000] [--history 5] [--report] [--keep] [--report-schema S]
               [--rates 100,1000] [--seconds N] [--no-lag]
                 the PostgreSQL mirror (needs ATOM_TEST_PG): initial load of an emulator org (rows/s, API calls,
                 the writer's peak memory; --opportunities generates the deals as the Bulk jobs read them), the
                 pipeline report from the loaded mirror cold, warm and in memory (--report, or --report-schema of a
                 schema a --keep run left), and change → mirror row lag at fixed rates
EOF
}

# True when a working python3 is on PATH (a pyenv shim can exist without a usable interpreter).
HAVE_PYTHON=""
have_python() {
  if [[ -z "$HAVE_PYTHON" ]]; then
    HAVE_PYTHON=no
    if command -v python3 >/dev/null 2>&1 && python3 -c 'import socket, xml.etree.ElementTree' >/dev/null 2>&1; then
      HAVE_PYTHON=yes
    fi
  fi
  [[ "$HAVE_PYTHON" == yes ]]
}

is_ci() {
  [[ "${CI:-}" == "true" || "${CI:-}" == "1" ]]
}

# --------------------------------------------------------------------------------------------
# Cleanup: runs on every exit path (success, failure, set -e, Ctrl-C, SIGTERM).
# Prints nothing on stdout so that the test summary stays the last line of the output.
# --------------------------------------------------------------------------------------------
cleanup() {
  local rc=$?
  set +e
  trap - EXIT INT TERM HUP
  stop_postgres
  stop_redis
  if is_ci && command -v dotnet >/dev/null 2>&1; then
    # Do not leave MSBuild / compiler server processes holding on to the CI job.
    dotnet build-server shutdown >/dev/null 2>&1
  fi
  exit "$rc"
}

install_traps() {
  trap cleanup EXIT
  trap 'exit 130' INT
  trap 'exit 143' TERM
  trap 'exit 129' HUP
}

# --------------------------------------------------------------------------------------------
# .NET
# --------------------------------------------------------------------------------------------
find_solution() {
  local candidate
  for candidate in "${SOLUTION_NAME}.sln" "${SOLUTION_NAME}.slnx"; do
    if [[ -f "$REPO_ROOT/$candidate" ]]; then
      printf '%s\n' "$candidate"
      return 0
    fi
  done
  die "solution ${SOLUTION_NAME}.sln not found in $REPO_ROOT"
}

build_solution() {
  local solution
  solution="$(find_solution)"
  local -a props=()
  if is_ci; then
    props+=("-p:ContinuousIntegrationBuild=true")
  fi

  section "Restore ($solution)"
  dotnet restore "$solution" --verbosity minimal

  section "Build ($solution, Release)"
  dotnet build "$solution" -c Release --no-restore --verbosity minimal -nologo "${props[@]}"
}

# The packages of the build above, into a clean artifacts/packages (the packaging tests read their .nuspec files).
pack_solution() {
  local solution
  solution="$(find_solution)"
  section "Pack ($solution, Release)"
  rm -rf "$PACKAGES_DIR"
  # The web sample (IsPackable false) would warn that it cannot be packed: it is not meant to be.
  dotnet pack "$solution" -c Release --no-build --verbosity quiet -nologo -o "$PACKAGES_DIR" \
    -p:WarnOnPackingNonPackableProject=false
  info "$(find "$PACKAGES_DIR" -name '*.nupkg' | wc -l | tr -d ' ') packages in ${PACKAGES_DIR#"$REPO_ROOT"/}"
}

# --------------------------------------------------------------------------------------------
# PostgreSQL
# --------------------------------------------------------------------------------------------

# Sets PG_BIN to a directory holding initdb, pg_ctl and postgres, or returns 1.
find_pg_bin() {
  local initdb_path dir
  if initdb_path="$(command -v initdb 2>/dev/null)" && [[ -x "$initdb_path" ]]; then
    # Resolve symlinks (e.g. /usr/local/bin/initdb -> /usr/lib/postgresql/15/bin/initdb) so that
    # pg_ctl and postgres are taken from the same installation.
    dir="$(dirname "$(readlink -f "$initdb_path")")"
    if [[ -x "$dir/pg_ctl" && -x "$dir/postgres" ]]; then
      PG_BIN="$dir"
      return 0
    fi
  fi
  # Debian/Ubuntu layout: /usr/lib/postgresql/<major>/bin, highest version first.
  while IFS= read -r dir; do
    [[ -n "$dir" ]] || continue
    if [[ -x "$dir/initdb" && -x "$dir/pg_ctl" && -x "$dir/postgres" ]]; then
      PG_BIN="$dir"
      return 0
    fi
  done < <(
    shopt -s nullglob
    for d in /usr/lib/postgresql/*/bin; do printf '%s\n' "$d"; done | sort -Vr
  )
  return 1
}

# Installs Debian packages with apt-get, as root or through passwordless sudo; when it cannot, dies with "$missing, and
# ...: $instead". Quiet unless it fails (then the last 40 lines of apt-get's output).
apt_install() {
  local missing=$1 instead=$2
  shift 2
  local -a sudo_cmd=()
  if [[ "$(id -u)" -ne 0 ]]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then
      sudo_cmd=(sudo -n)
    else
      die "$missing, and this is not root: $instead"
    fi
  fi
  command -v apt-get >/dev/null 2>&1 || die "$missing, and apt-get is not available: $instead"

  info "$missing; installing $* with apt-get"
  local started=$SECONDS apt_log
  apt_log="$(mktemp "${TMPDIR:-/tmp}/atom-apt.XXXXXX")"
  if ! { "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get update -o DPkg::Lock::Timeout=300 &&
    "${sudo_cmd[@]}" env DEBIAN_FRONTEND=noninteractive \
      apt-get install -y --no-install-recommends -o DPkg::Lock::Timeout=300 -o Dpkg::Use-Pty=0 "$@"; } \
    >"$apt_log" 2>&1; then
    tail -n 40 "$apt_log" >&2
    rm -f "$apt_log"
    die "apt-get install $* failed"
  fi
  rm -f "$apt_log"
  info "apt-get install $* finished in $((SECONDS - started))s"
}

# The package also creates a default cluster (15/main, port 5432) and starts it where the machine allows services to
# start; the throwaway cluster below neither uses nor minds it.
install_postgres() {
  apt_install "PostgreSQL server binaries (initdb, pg_ctl) not found" "install PostgreSQL or set ATOM_TEST_PG" postgresql
}

# The other-language clients the integration tests run against the emulator (tests/clients/*: jsforce, the Salesforce
# CLI): installs Node.js with apt-get where it is missing, then their locked dependencies with npm ci (the Salesforce
# CLI is the big one: about 290 MB and 1.5-2 minutes from an empty npm cache).
prepare_client_checks() {
  local dir
  for dir in "$REPO_ROOT"/tests/clients/*/; do
    [[ -f "$dir/package-lock.json" ]] || continue
    if ! command -v node >/dev/null 2>&1 || ! command -v npm >/dev/null 2>&1; then
      apt_install "Node.js not found" "install Node.js 20 or later" nodejs npm
    fi
    # jsforce 3 and the Salesforce CLI need Node 20 or later; say so instead of failing inside npm or a test.
    local node_major
    node_major="$(node -p 'process.versions.node.split(".")[0]')"
    ((node_major >= 20)) || die "Node.js $(node --version) is too old for tests/clients: install Node 20 or later"
    local started=$SECONDS
    # --prefer-offline: packages already in npm's cache (a second run, a CI cache) are not fetched again; the lockfile's
    # integrity hashes still decide what is installed.
    (cd "$dir" && npm ci --no-audit --no-fund --prefer-offline --loglevel=error >/dev/null) || die "npm ci failed in $dir"
    info "npm ci in ${dir#"$REPO_ROOT"/} (node $(node --version)): $((SECONDS - started))s"
  done
}

# The NativeAOT check (tests/Atom.Salesforce.IntegrationTests/NativeAotSmokeTests.cs publishes tests/aot/* with
# PublishAot): the ILCompiler package comes from NuGet, but it links with the platform's C toolchain (clang, or gcc, which
# the .NET SDK falls back to) and zlib. Installs clang and zlib1g-dev with apt-get where either is missing (Linux only).
prepare_native_aot() {
  [[ "$(uname -s)" == "Linux" ]] || return 0
  if { command -v clang >/dev/null 2>&1 || command -v gcc >/dev/null 2>&1; } && [[ -f /usr/include/zlib.h ]]; then
    return 0
  fi
  apt_install "NativeAOT needs a C compiler (clang or gcc) and zlib1g-dev" \
    "install them (https://aka.ms/nativeaot-prerequisites)" clang zlib1g-dev
}

# The browser the pipeline report's page is tested in (tests/Atom.Salesforce.Samples.Tests opens report.html in headless
# Chromium): Debian's chromium and two font families (the page's charts are measured with them), installed with apt-get
# where chromium is missing. ATOM_TEST_CHROMIUM names another binary.
prepare_browser() {
  if [[ -n "${ATOM_TEST_CHROMIUM:-}" ]]; then
    [[ -x "$ATOM_TEST_CHROMIUM" ]] || die "ATOM_TEST_CHROMIUM=$ATOM_TEST_CHROMIUM is not an executable"
    return 0
  fi
  [[ -x /usr/bin/chromium ]] && return 0
  apt_install "Chromium (/usr/bin/chromium) not found" "install Debian's chromium or set ATOM_TEST_CHROMIUM" \
    chromium fonts-dejavu-core fonts-liberation
  [[ -x /usr/bin/chromium ]] || die "apt-get installed chromium but /usr/bin/chromium is missing"
}

# Runs a command as the cluster owner, from inside the cluster directory (the owner may not be
# allowed to read the current directory).
pg_run() {
  if [[ -n "$PG_AS_USER" ]]; then
    if command -v runuser >/dev/null 2>&1; then
      (cd "$PG_TMP" && runuser -u "$PG_AS_USER" -- "$@")
    else
      (cd "$PG_TMP" && su "$PG_AS_USER" -s /bin/bash -c "$(printf '%q ' "$@")")
    fi
  else
    (cd "$PG_TMP" && "$@")
  fi
}

# True when something already accepts connections (or cannot be bound) on 127.0.0.1:$1.
port_in_use() {
  local port=$1
  if have_python; then
    python3 - "$port" <<'PY' 2>/dev/null && return 1 || return 0
import socket, sys
s = socket.socket(socket.AF_INET, socket.SOCK_STREAM)
try:
    s.bind(("127.0.0.1", int(sys.argv[1])))
finally:
    s.close()
PY
  fi
  # Fallback: a successful connect means the port is taken.
  if (exec 3<>"/dev/tcp/127.0.0.1/$port") 2>/dev/null; then
    return 0
  fi
  return 1
}

# Prints a free loopback port, probing from a random start in 20000-39999.
pick_free_port() {
  local start=$((20000 + (RANDOM * 32768 + RANDOM) % 20000))
  local i port
  for ((i = 0; i < 200; i++)); do
    port=$((20000 + (start - 20000 + i * 7) % 20000))
    if ! port_in_use "$port"; then
      printf '%s\n' "$port"
      return 0
    fi
  done
  return 1
}

start_postgres() {
  if [[ -n "${ATOM_TEST_PG:-}" ]]; then
    section "PostgreSQL"
    info "ATOM_TEST_PG is set; using the given database, no server is started"
    return 0
  fi

  section "PostgreSQL (throwaway cluster)"
  if ! find_pg_bin; then
    install_postgres
    find_pg_bin || die "PostgreSQL was installed but initdb/pg_ctl were not found"
  fi
  info "binaries: $PG_BIN ($("$PG_BIN/postgres" --version))"

  # Who owns the cluster: the server refuses to run as root.
  if [[ "$(id -u)" -eq 0 ]]; then
    if ! id -u postgres >/dev/null 2>&1; then
      info "creating system user 'postgres'"
      useradd --system --user-group --home-dir /var/lib/postgresql --shell /bin/bash postgres
    fi
    PG_AS_USER=postgres
  else
    # Not root: we cannot switch to the postgres user, so the cluster runs as the current user.
    PG_AS_USER=""
  fi

  # The cluster lives in a private temp dir; the trap removes it whatever happens.
  install_traps
  local base="${TMPDIR:-/tmp}"
  PG_TMP="$(mktemp -d "$base/atom-pg.XXXXXX")"
  if [[ -n "$PG_AS_USER" ]]; then
    chown "$PG_AS_USER": "$PG_TMP"
    # TMPDIR may point somewhere the postgres user cannot reach (e.g. under /root).
    if ! pg_run test -w "$PG_TMP" 2>/dev/null && [[ "$base" != "/tmp" ]]; then
      rmdir "$PG_TMP"
      PG_TMP="$(mktemp -d /tmp/atom-pg.XXXXXX)"
      chown "$PG_AS_USER": "$PG_TMP"
    fi
  fi
  info "cluster dir: $PG_TMP (owner: ${PG_AS_USER:-$(id -un)})"

  local -a locale_opt=(--no-locale)
  if locale -a 2>/dev/null | grep -qiE '^c\.utf-?8$'; then
    locale_opt=(--locale=C.UTF-8)
  fi
  if ! pg_run "$PG_BIN/initdb" -D "$PG_TMP/data" -U postgres --auth=trust -E UTF8 "${locale_opt[@]}" \
    >"$PG_TMP/initdb.log" 2>&1; then
    cat "$PG_TMP/initdb.log" >&2
    die "initdb failed"
  fi

  # Create the test database in single-user mode: needs no client tools and no network.
  if ! printf 'CREATE DATABASE %s;\n' "$PG_DATABASE" |
    pg_run "$PG_BIN/postgres" --single -D "$PG_TMP/data" postgres >"$PG_TMP/createdb.log" 2>&1; then
    cat "$PG_TMP/createdb.log" >&2
    die "could not create database $PG_DATABASE"
  fi

  # Another process may grab the probed port before the server binds it: retry with a new one.
  local attempt port
  for attempt in 1 2 3 4 5; do
    port="$(pick_free_port)" || die "no free TCP port found on 127.0.0.1"
    if pg_run "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -l "$PG_TMP/server.log" -w -t 60 \
      -o "-p $port -k $PG_TMP -c listen_addresses=127.0.0.1 -c max_connections=200 -c fsync=off -c full_page_writes=off -c synchronous_commit=off" \
      start >"$PG_TMP/pg_ctl.log" 2>&1; then
      PG_PORT=$port
      break
    fi
    info "server did not start on port $port (attempt $attempt); server log:"
    tail -n 5 "$PG_TMP/server.log" 2>/dev/null | sed 's/^/    /' >&2 || true
    # A failed -w start can leave a half-started postmaster behind.
    pg_run "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate -w stop >/dev/null 2>&1 || true
  done
  [[ -n "$PG_PORT" ]] || die "PostgreSQL did not start; see messages above"

  export ATOM_TEST_PG="Host=127.0.0.1;Port=${PG_PORT};Username=postgres;Database=${PG_DATABASE};Pooling=true"
  info "server listening on 127.0.0.1:${PG_PORT}, database ${PG_DATABASE}"
  info "ATOM_TEST_PG=${ATOM_TEST_PG}"
}

stop_postgres() {
  [[ -n "$PG_TMP" && -d "$PG_TMP" ]] || return 0
  if [[ -n "$PG_BIN" && -f "$PG_TMP/data/postmaster.pid" ]]; then
    local pid i
    pid="$(head -n 1 "$PG_TMP/data/postmaster.pid" 2>/dev/null || true)"
    [[ "$pid" =~ ^[0-9]+$ ]] || pid=""
    pg_run "$PG_BIN/pg_ctl" -D "$PG_TMP/data" -m immediate -w -t 30 stop >/dev/null 2>&1 || true
    if [[ -n "$pid" ]]; then
      # pg_ctl returns once the pid file is gone; wait for the postmaster to be gone too, and as a
      # last resort kill the postmaster this script started.
      for ((i = 0; i < 50; i++)); do
        kill -0 "$pid" 2>/dev/null || break
        sleep 0.1
      done
      if kill -0 "$pid" 2>/dev/null; then
        kill -KILL "$pid" >/dev/null 2>&1 || true
      fi
    fi
  fi
  rm -rf "$PG_TMP"
  PG_TMP=""
}

# --------------------------------------------------------------------------------------------
# Redis (the shared L2 of the SDK's cache)
# --------------------------------------------------------------------------------------------

# A throwaway redis-server on a free loopback port: no persistence (no RDB snapshots, no AOF), no configuration file, its
# directory a private temp dir; stopped at exit. Debian's redis-server is installed with apt-get where it is missing.
start_redis() {
  if [[ -n "${ATOM_TEST_REDIS:-}" ]]; then
    section "Redis"
    info "ATOM_TEST_REDIS is set; using the given server, none is started"
    return 0
  fi

  section "Redis (throwaway server)"
  if ! command -v redis-server >/dev/null 2>&1; then
    apt_install "redis-server not found" "install Debian's redis-server or set ATOM_TEST_REDIS" redis-server
    command -v redis-server >/dev/null 2>&1 || die "apt-get installed redis-server but it is not on PATH"
  fi
  info "binary: $(command -v redis-server) ($(redis-server --version | awk '{print $3}'))"

  install_traps
  REDIS_TMP="$(mktemp -d "${TMPDIR:-/tmp}/atom-redis.XXXXXX")"
  local attempt port i
  for attempt in 1 2 3 4 5; do
    port="$(pick_free_port)" || die "no free TCP port found on 127.0.0.1"
    redis-server --bind 127.0.0.1 --port "$port" --save "" --appendonly no --dir "$REDIS_TMP" \
      --daemonize no --protected-mode yes --logfile "$REDIS_TMP/redis.log" >/dev/null 2>&1 &
    REDIS_PID=$!
    for ((i = 0; i < 100; i++)); do
      if ! kill -0 "$REDIS_PID" 2>/dev/null; then
        break
      fi
      if port_in_use "$port" && grep -q "Ready to accept connections" "$REDIS_TMP/redis.log" 2>/dev/null; then
        export ATOM_TEST_REDIS="127.0.0.1:${port}"
        info "server listening on ${ATOM_TEST_REDIS} (pid $REDIS_PID, no persistence)"
        info "ATOM_TEST_REDIS=${ATOM_TEST_REDIS}"
        return 0
      fi
      sleep 0.1
    done
    info "redis-server did not start on port $port (attempt $attempt); log:"
    tail -n 5 "$REDIS_TMP/redis.log" 2>/dev/null | sed 's/^/    /' >&2 || true
    kill "$REDIS_PID" >/dev/null 2>&1 || true
    wait "$REDIS_PID" 2>/dev/null || true
    REDIS_PID=""
  done
  die "redis-server did not start; see messages above"
}

stop_redis() {
  if [[ -n "$REDIS_PID" ]]; then
    local i
    kill "$REDIS_PID" >/dev/null 2>&1 || true
    for ((i = 0; i < 50; i++)); do
      kill -0 "$REDIS_PID" 2>/dev/null || break
      sleep 0.1
    done
    if kill -0 "$REDIS_PID" 2>/dev/null; then
      kill -KILL "$REDIS_PID" >/dev/null 2>&1 || true
    fi
    wait "$REDIS_PID" 2>/dev/null || true
    REDIS_PID=""
  fi
  if [[ -n "$REDIS_TMP" && -d "$REDIS_TMP" ]]; then
    rm -rf "$REDIS_TMP"
  fi
  REDIS_TMP=""
}

# --------------------------------------------------------------------------------------------
# Tests
# --------------------------------------------------------------------------------------------

# Prints "passed failed skipped" summed over the .trx files given as arguments.
# The names of the failed tests in the given .trx files, one per line with the first line of the message: the summary
# prints them last so that a CI log cut to its tail still says which test failed.
list_failed_tests() {
  have_python || return 0
  python3 - "$@" <<'PY'
import sys
import xml.etree.ElementTree as ET

for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError):
        continue
    for el in root.iter():
        if el.tag.rsplit("}", 1)[-1] != "UnitTestResult" or el.get("outcome") not in ("Failed", "Error", "Timeout", "Aborted"):
            continue
        message = ""
        for child in el.iter():
            if child.tag.rsplit("}", 1)[-1] == "Message" and child.text:
                message = child.text.strip().splitlines()[0][:300]
                break
        print(f"  failed test: {el.get('testName')}: {message}")
PY
}

sum_trx_counters() {
  if have_python; then
    python3 - "$@" <<'PY'
import sys
import xml.etree.ElementTree as ET

passed = failed = skipped = 0
for path in sys.argv[1:]:
    try:
        root = ET.parse(path).getroot()
    except (ET.ParseError, OSError) as e:
        print(f"warning: cannot parse {path}: {e}", file=sys.stderr)
        continue
    for el in root.iter():
        if el.tag.rsplit("}", 1)[-1] != "Counters":
            continue
        get = lambda name: int(el.get(name, "0") or 0)
        total, executed = get("total"), get("executed")
        passed += get("passed")
        failed += get("failed") + get("error") + get("timeout") + get("aborted")
        skipped += max(total - executed, 0)
print(passed, failed, skipped)
PY
    return
  fi
  # No python3: pull the attributes out of the <Counters .../> tag with grep/sed.
  local f tag n passed=0 failed=0 skipped=0 total executed
  for f in "$@"; do
    tag="$(tr '\n\r' '  ' <"$f" | grep -o '<Counters [^>]*>' | head -n 1 || true)"
    [[ -n "$tag" ]] || continue
    total="$(trx_attr total "$tag")"
    executed="$(trx_attr executed "$tag")"
    passed=$((passed + $(trx_attr passed "$tag")))
    for n in failed error timeout aborted; do
      failed=$((failed + $(trx_attr "$n" "$tag")))
    done
    if [[ $total -gt $executed ]]; then
      skipped=$((skipped + total - executed))
    fi
  done
  printf '%s %s %s\n' "$passed" "$failed" "$skipped"
}

# Prints the numeric value of attribute $1 in the tag text $2 (0 when absent).
trx_attr() {
  local v
  v="$(sed -n "s/.*[[:space:]]$1=\"\([0-9]*\)\".*/\1/p" <<<"$2")"
  printf '%s\n' "${v:-0}"
}

# "mtp" when global.json selects Microsoft.Testing.Platform for `dotnet test` (.NET 10+), else "vstest".
test_runner_mode() {
  if [[ -f "$REPO_ROOT/global.json" ]] &&
    tr -d ' \t\r\n' <"$REPO_ROOT/global.json" | grep -q '"runner":"Microsoft.Testing.Platform"'; then
    echo mtp
  else
    echo vstest
  fi
}

run_tests() {
  cd "$REPO_ROOT"
  local -a projects=()
  local proj
  shopt -s nullglob
  for proj in tests/*/*.csproj; do
    projects+=("$proj")
  done
  shopt -u nullglob
  [[ ${#projects[@]} -gt 0 ]] || die "no test projects found (tests/*/*.csproj)"

  rm -rf "$RESULTS_DIR"
  mkdir -p "$RESULTS_DIR"

  local mode
  mode="$(test_runner_mode)"
  info "test runner: $mode, results: $RESULTS_DIR"

  local -a failed_projects=()
  local name rc unrecorded=0 proj_counts
  for proj in "${projects[@]}"; do
    name="$(basename "$proj" .csproj)"
    section "Test $name"
    rc=0
    if [[ $mode == mtp ]]; then
      # Microsoft.Testing.Platform: the TRX report comes from xunit.v3's own reporter.
      dotnet test --project "$proj" -c Release --no-build \
        --results-directory "$RESULTS_DIR" \
        --report-xunit-trx --report-xunit-trx-filename "${name}.trx" || rc=$?
    else
      dotnet test "$proj" -c Release --no-build \
        --logger "trx;LogFileName=${name}.trx" \
        --results-directory "$RESULTS_DIR" || rc=$?
    fi
    if [[ $rc -ne 0 ]]; then
      # A test host crash or a run-level error can fail a project without any failed test in
      # its .trx; count such a project as one failure so the summary never reads "0 failed".
      proj_counts="0 0 0"
      if [[ -f "$RESULTS_DIR/${name}.trx" ]]; then
        proj_counts="$(sum_trx_counters "$RESULTS_DIR/${name}.trx" 2>/dev/null || echo "0 0 0")"
      fi
      if [[ "$(awk '{print $2}' <<<"$proj_counts")" == "0" ]]; then
        unrecorded=$((unrecorded + 1))
        failed_projects+=("$name (exit $rc, no failed test recorded: counted as 1 failed)")
      else
        failed_projects+=("$name (exit $rc)")
      fi
    fi
  done

  section "Test summary"
  local -a trx_files=()
  local f
  while IFS= read -r -d '' f; do
    trx_files+=("$f")
  done < <(find "$RESULTS_DIR" -name '*.trx' -print0 | sort -z)
  info "test projects: ${#projects[@]}, result files: ${#trx_files[@]}"

  local passed=0 failed=0 skipped=0
  if [[ ${#trx_files[@]} -gt 0 ]]; then
    read -r passed failed skipped < <(sum_trx_counters "${trx_files[@]}") || true
  fi
  passed=${passed:-0} failed=${failed:-0} skipped=${skipped:-0}
  failed=$((failed + unrecorded))

  local status=0
  if [[ ${#failed_projects[@]} -gt 0 ]]; then
    for name in "${failed_projects[@]}"; do
      printf 'FAILED: %s\n' "$name"
    done
    list_failed_tests "${trx_files[@]}"
    status=1
  fi

  if [[ $((passed + failed - unrecorded)) -eq 0 ]]; then
    printf 'ERROR: no tests were executed\n' >&2
    exit 1
  fi

  local line="Tests: ${passed} passed, ${failed} failed"
  if [[ $skipped -gt 0 ]]; then
    line+=", ${skipped} skipped"
  fi
  printf '%s\n' "$line"
  return "$status"
}

# --------------------------------------------------------------------------------------------
# Commands
# --------------------------------------------------------------------------------------------
cmd_build() {
  install_traps
  build_solution
}

cmd_pack() {
  install_traps
  build_solution
  pack_solution
}

cmd_test() {
  install_traps
  build_solution
  pack_solution
  prepare_client_checks
  prepare_browser
  prepare_native_aot
  start_postgres
  start_redis
  local rc=0
  run_tests || rc=$?
  exit "$rc"
}

cmd_bench() {
  install_traps
  if [[ "${1:-}" == "coldstart" ]]; then
    shift
    run_coldstart "$@"
    return
  fi
  if [[ "${1:-}" == "latency" ]]; then
    shift
    section "Change → handler latency ($BENCH_PROJECT latency)"
    dotnet run -c Release --project "$BENCH_PROJECT" -- latency "$@"
    return
  fi
  if [[ "${1:-}" == "paging-memory" ]]; then
    shift
    section "Paging memory: peak working set at 100,000 and 1,000,000 records ($BENCH_PROJECT paging-memory)"
    dotnet run -c Release --project "$BENCH_PROJECT" -- paging-memory "$@"
    return
  fi
  if [[ "${1:-}" == "mirror" ]]; then
    shift
    [[ -n "${ATOM_TEST_PG:-}" ]] || die "bench mirror needs ATOM_TEST_PG (an Npgsql connection string of an existing database)"
    section "PostgreSQL mirror: initial load and change → mirror row lag ($BENCH_PROJECT mirror)"
    dotnet run -c Release --project "$BENCH_PROJECT" -- mirror "$@"
    return
  fi

  local -a args=("$@")
  local a has_filter=false
  for a in "${args[@]}"; do
    case "$a" in
      --filter | --filter=* | -f) has_filter=true ;;
    esac
  done
  if [[ $has_filter == false ]]; then
    args=(--filter '*' "${args[@]}")
  fi
  section "Benchmarks ($BENCH_PROJECT)"
  dotnet run -c Release --project "$BENCH_PROJECT" -- "${args[@]}"
  if [[ $# -eq 0 ]]; then
    run_coldstart
  fi
}

# The whole-process cold-start benchmark: it builds its client programs itself (JIT, and NativeAOT unless --no-aot).
run_coldstart() {
  local a aot=true
  for a in "$@"; do
    [[ "$a" == "--no-aot" ]] && aot=false
  done
  if [[ $aot == true ]]; then
    prepare_native_aot
  fi
  section "Cold start ($COLDSTART_PROJECT)"
  dotnet run -c Release --project "$COLDSTART_PROJECT" -- "$@"
}

main() {
  cd "$REPO_ROOT"
  local cmd="${1:-}"
  [[ $# -gt 0 ]] && shift
  case "$cmd" in
    build) cmd_build "$@" ;;
    pack) cmd_pack "$@" ;;
    test) cmd_test "$@" ;;
    bench) cmd_bench "$@" ;;
    -h | --help | help)
      usage
      ;;
    *)
      usage >&2
      exit 2
      ;;
  esac
}

# Allow `source build.sh` (e.g. to reuse start_postgres) without running anything.
if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
  main "$@"
fi
