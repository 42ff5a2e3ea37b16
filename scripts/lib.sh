# Shared set-up steps for scripts/run and scripts/test. Source it; do not run it.
# Every step checks first and does nothing when its work is already done.
set -euo pipefail

REPO="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$REPO/.venv"
PGPORT="${LEERSTAND_PGPORT:-55432}"
PGUSER_APP=leerstand
export PIP_DISABLE_PIP_VERSION_CHECK=1

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }

as_root() { if [ "$(id -u)" -eq 0 ]; then "$@"; else sudo "$@"; fi; }

APT_UPDATED=0
apt_install() {
  [ "$#" -eq 0 ] && return 0
  say "Installing system packages: $*"
  if [ "$APT_UPDATED" -eq 0 ]; then as_root apt-get update -qq; APT_UPDATED=1; fi
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

apt_has() {  # true when apt can install package $1 (updates the package lists once if needed)
  local candidate
  candidate="$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}')"
  if { [ -z "$candidate" ] || [ "$candidate" = "(none)" ]; } && [ "$APT_UPDATED" -eq 0 ]; then
    as_root apt-get update -qq; APT_UPDATED=1
    candidate="$(apt-cache policy "$1" 2>/dev/null | awk '/Candidate:/ {print $2}')"
  fi
  [ -n "$candidate" ] && [ "$candidate" != "(none)" ]
}

# --- Python 3.11+ for .venv/: python3 when it is new enough, else python3.11 (from apt) ---
PYTHON=""
NEW_ENOUGH='import sys; sys.exit(sys.version_info < (3, 11))'
pick_python() {
  [ -n "$PYTHON" ] && return 0
  if python3 -c "$NEW_ENOUGH" 2>/dev/null; then PYTHON=python3; return 0; fi
  if ! python3.11 -c 'import venv, ensurepip' 2>/dev/null && apt_has python3.11; then
    apt_install python3.11 python3.11-venv
  fi
  if python3.11 -c 'import venv, ensurepip' 2>/dev/null; then PYTHON=python3.11; return 0; fi
  local have="missing"
  command -v python3 >/dev/null && have="$(python3 -V 2>&1)"
  echo "Leerstand needs Python 3.11 or newer, but python3 is $have" >&2
  echo "and apt offers no python3.11. Use Debian 12 or newer, or install Python 3.11+ as" >&2
  echo "python3.11 (with its venv module) and run the script again." >&2
  exit 1
}

pg_bindir() {
  local d
  d="$(ls -d /usr/lib/postgresql/*/bin 2>/dev/null | sort -V | tail -1 || true)"
  echo "$d"
}

ensure_system_packages() {  # $1 = "browser": also Chromium and GDAL's tools (tests)
  local missing=()
  command -v python3 >/dev/null || missing+=(python3)
  python3 -c 'import venv, ensurepip' 2>/dev/null || missing+=(python3-venv)
  command -v npm >/dev/null || missing+=(nodejs npm)
  if [ -z "$(pg_bindir)" ]; then missing+=(postgresql); fi
  apt_install "${missing[@]}"
  pick_python
  local major
  major="$(basename "$(dirname "$(pg_bindir)")")"
  if [ ! -e "/usr/share/postgresql/$major/extension/postgis.control" ]; then
    apt_install "postgresql-$major-postgis-3"
  fi
  if [ "${1:-}" = browser ]; then
    ensure_chromium
    # ogrinfo/ogr2ogr: the tests read the OGC API and exports with GDAL as a real client
    command -v ogrinfo >/dev/null || apt_install gdal-bin
    # systemd-analyze: the tests verify the unit files of scripts/deploy/
    command -v systemd-analyze >/dev/null || apt_install systemd
  fi
}

ensure_chromium() {  # Debian's chromium package, or the browser named by LEERSTAND_CHROMIUM
  if [ -n "${LEERSTAND_CHROMIUM:-}" ]; then
    [ -x "$LEERSTAND_CHROMIUM" ] && return 0
    echo "LEERSTAND_CHROMIUM=$LEERSTAND_CHROMIUM is not an executable file." >&2
    exit 1
  fi
  [ -x /usr/bin/chromium ] && return 0
  if apt_has chromium; then
    apt_install chromium fonts-dejavu-core
    return 0
  fi
  echo "apt offers no 'chromium' package (Ubuntu ships Chromium only as a snap), which the" >&2
  echo "browser tests need. Install Chromium or Chrome yourself and point LEERSTAND_CHROMIUM at" >&2
  echo "its executable, e.g. LEERSTAND_CHROMIUM=/usr/bin/google-chrome scripts/test" >&2
  exit 1
}

ensure_venv() {
  local stamp="$VENV/.leerstand-deps"
  local want
  want="$(cat "$REPO/setup.cfg" "$REPO/pyproject.toml" | sha256sum | cut -c1-16)"
  if [ -x "$VENV/bin/python" ] && ! "$VENV/bin/python" -c "$NEW_ENOUGH"; then
    say "Recreating .venv/ with Python 3.11+ (it has $("$VENV/bin/python" -V 2>&1))"
    pick_python
    "$PYTHON" -m venv --clear "$VENV"
    rm -f "$stamp"
  fi
  if [ ! -x "$VENV/bin/python" ]; then
    pick_python
    say "Creating virtual environment in .venv/ ($("$PYTHON" -V 2>&1))"
    "$PYTHON" -m venv "$VENV"
  fi
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "Installing Python packages (setup.cfg)"
    "$VENV/bin/pip" install -q --upgrade pip
    "$VENV/bin/pip" install -q -e "$REPO[test]"
    echo "$want" > "$stamp"
  fi
  if [ -z "$(ls "$REPO"/leerstand/translations/*/LC_MESSAGES/messages.mo 2>/dev/null)" ] \
     || [ -n "$(find "$REPO/leerstand/translations" -name '*.po' -newer "$(ls "$REPO"/leerstand/translations/*/LC_MESSAGES/messages.mo | head -1)")" ]; then
    "$VENV/bin/pybabel" -q compile -d "$REPO/leerstand/translations" >/dev/null
  fi
}

ensure_npm() {
  local dir="$REPO/static/map"
  local stamp="$dir/node_modules/.leerstand-lock"
  local want
  want="$(sha256sum "$dir/package-lock.json" | cut -c1-16)"
  if [ "$(cat "$stamp" 2>/dev/null)" != "$want" ]; then
    say "Installing map packages (npm ci)"
    (cd "$dir" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
    echo "$want" > "$stamp"
  fi
}

# --- project-local PostGIS cluster --------------------------------------------------------
# initdb refuses to run as root, so as root the cluster belongs to the 'postgres' system user
# (created by Debian's postgresql package). Data lives in .pgdata/ when that user can reach the
# checkout, else in /var/tmp/leerstand-pg-<hash of the checkout path>.
pg_run() {
  if [ "$(id -u)" -eq 0 ]; then runuser -u postgres -- "$@"; else "$@"; fi
}

pg_datadir() {
  if [ -n "${LEERSTAND_PGDATA:-}" ]; then echo "$LEERSTAND_PGDATA"; return; fi
  if [ "$(id -u)" -ne 0 ] || runuser -u postgres -- test -x "$REPO" 2>/dev/null; then
    echo "$REPO/.pgdata"
  else
    echo "/var/tmp/leerstand-pg-$(echo "$REPO" | sha256sum | cut -c1-12)"
  fi
}

ensure_cluster() {
  local bin data
  bin="$(pg_bindir)"
  data="$(pg_datadir)"
  if [ ! -s "$data/PG_VERSION" ]; then
    say "Creating project-local PostGIS cluster in $data (port $PGPORT)"
    mkdir -p "$data"
    [ "$(id -u)" -eq 0 ] && chown postgres: "$data" && chmod 700 "$data"
    pg_run "$bin/initdb" -D "$data" -U postgres -A trust -E UTF8 --locale=C.UTF-8 >/dev/null
    cat >> "$data/postgresql.conf" <<CONF
listen_addresses = '127.0.0.1'
port = $PGPORT
unix_socket_directories = '$data'
fsync = off
synchronous_commit = off
full_page_writes = off
max_connections = 50
shared_buffers = 256MB
CONF
  fi
  if ! "$bin/pg_isready" -q -h 127.0.0.1 -p "$PGPORT"; then
    say "Starting PostGIS on 127.0.0.1:$PGPORT"
      pg_run "$bin/pg_ctl" -D "$data" -l "$data/server.log" -w -t 60 start >/dev/null \
      || { tail -20 "$data/server.log" >&2; exit 1; }
  fi
  local running
  running="$(psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -tAc 'SHOW data_directory')"
  if [ "$(cd "$running" 2>/dev/null && pwd -P)" != "$(cd "$data" && pwd -P)" ]; then
    echo "Port $PGPORT is used by another PostgreSQL ($running)." >&2
    echo "Set LEERSTAND_PGPORT to a free port, or DATABASE_URL to use that server." >&2
    exit 1
  fi
  local has_role
  has_role="$(psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_roles WHERE rolname = '$PGUSER_APP'")"
  if [ "$has_role" != 1 ]; then
    psql -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres \
      -c "CREATE ROLE $PGUSER_APP LOGIN SUPERUSER" >/dev/null
  fi
}

ensure_database() {  # $1 = database name
  local exists
  exists="$(psql -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres -tAc \
    "SELECT 1 FROM pg_database WHERE datname = '$1'")"
  if [ "$exists" != 1 ]; then
    say "Creating database $1"
    psql -q -h 127.0.0.1 -p "$PGPORT" -U postgres -d postgres \
      -c "CREATE DATABASE $1 OWNER $PGUSER_APP" >/dev/null
  fi
}

local_url() { echo "postgresql+psycopg://$PGUSER_APP@127.0.0.1:$PGPORT/$1"; }

# SQLAlchemy's URL (postgresql+psycopg://…) as libpq (psql, pg_dump) takes it
libpq_url() { echo "$1" | sed -E 's#^postgres(ql)?(\+[A-Za-z0-9_]+)?://#postgresql://#'; }
url_database() { local base="${1%%\?*}"; echo "${base##*/}"; }
url_with_database() {  # $1 = URL, $2 = another database on the same server
  local base="${1%%\?*}" query=""
  [ "$base" != "$1" ] && query="?${1#*\?}"
  echo "${base%/*}/$2$query"
}

flask_cmd() { (cd "$REPO" && "$VENV/bin/flask" --app leerstand "$@"); }

# --- development settings: instance/leerstand.env (git-ignored), read by leerstand/config.py --
# Outside development the app refuses to start without a real BASE_URL and SECRET_KEY; this
# file marks the checkout as a development one, so `.venv/bin/flask --app leerstand …` works.
ensure_dev_env() {
  local file="$REPO/instance/leerstand.env"
  [ -f "$file" ] && return 0
  say "Writing development settings to instance/leerstand.env"
  mkdir -p "$REPO/instance"
  (umask 077 && cat > "$file" <<ENV
# Development settings of this checkout (written by scripts/run or scripts/test; git-ignored).
# Environment variables win over these lines. Never use this file in production.
LEERSTAND_ENV=development
SECRET_KEY=$("$VENV/bin/python" -c 'import secrets; print(secrets.token_hex(32))')
BASE_URL=http://127.0.0.1:5000
ENV
  )
}
