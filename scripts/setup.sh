#!/usr/bin/env bash
# Idempotent set-up shared by `make demo` and `make test`:
# Debian packages, Python venv, front-end packages, embedded PostGIS, migrations.
set -euo pipefail
cd "$(dirname "$0")/.."
ROOT=$PWD
VENV=$ROOT/.venv
WITH_TEST_CLIENTS=${WITH_TEST_CLIENTS:-0}  # make test: Chromium and QGIS, real clients for the tests

say() { printf '\033[1m[setup]\033[0m %s\n' "$*"; }
die() { printf '\033[1;31m[setup] %s\033[0m\n' "$*" >&2; exit 1; }

as_root() {
  if [ "$(id -u)" = 0 ]; then "$@";
  elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then sudo "$@";
  else die "Missing Debian packages ($*); run this as root or with passwordless sudo, or install them yourself."; fi
}

# ---- 1. Debian packages -------------------------------------------------------
pg_major() { ls /usr/lib/postgresql 2>/dev/null | sort -n | tail -1; }
NEED=()
PGV=$(pg_major)
if [ -z "${DATABASE_URL:-}" ]; then
  if [ -z "$PGV" ]; then
    command -v apt-get >/dev/null || die "No PostgreSQL binaries found; install PostgreSQL 15 or newer with PostGIS 3, or set DATABASE_URL to an external PostGIS."
    NEED+=(postgresql)
  elif [ ! -f "/usr/share/postgresql/$PGV/extension/postgis.control" ]; then
    NEED+=("postgresql-$PGV-postgis-3")
  fi
fi
# GeoDjango loads the system GDAL/GEOS/PROJ; gdal-bin brings all three plus ogrinfo/ogr2ogr.
command -v ogrinfo >/dev/null || NEED+=(gdal-bin)
if [ "$WITH_TEST_CLIENTS" = 1 ]; then
  [ -x /usr/bin/chromium ] || NEED+=(chromium)
  dpkg -s python3-qgis qgis-providers >/dev/null 2>&1 || NEED+=(python3-qgis qgis-providers)
fi
if [ ${#NEED[@]} -gt 0 ]; then
  command -v apt-get >/dev/null || die "Please install: ${NEED[*]} (no apt-get on this machine)."
  say "installing Debian packages: ${NEED[*]}"
  as_root env DEBIAN_FRONTEND=noninteractive apt-get update -qq
  as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${NEED[@]}" >/dev/null
  PGV=$(pg_major)
  if [ -z "${DATABASE_URL:-}" ] && [ ! -f "/usr/share/postgresql/$PGV/extension/postgis.control" ]; then
    as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "postgresql-$PGV-postgis-3" >/dev/null
  fi
fi

# ---- 2. Python 3.12+ virtual environment ---------------------------------------
find_python() {
  local c
  for c in "${PYTHON:-}" python3.13 python3.12 python3 \
           $(ls -d "$(pyenv root 2>/dev/null || echo "$HOME/.pyenv")"/versions/3.1[2-9]*/bin/python3 2>/dev/null | sort -Vr); do
    [ -n "$c" ] || continue
    command -v "$c" >/dev/null 2>&1 || continue
    if "$c" -c 'import sys, venv; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
      command -v "$c"; return 0
    fi
  done
  return 1
}
if [ ! -x "$VENV/bin/python" ] || ! "$VENV/bin/python" -c 'import sys; sys.exit(sys.version_info < (3, 12))' 2>/dev/null; then
  PY=$(find_python) || die "Python 3.12 or newer is needed: install python3.12 (or python3.13) with venv, or set PYTHON=/path/to/python3.12."
  say "creating virtual environment with $PY"
  rm -rf "$VENV"
  "$PY" -m venv "$VENV"
fi
STAMP=$VENV/.installed-$(sha1sum pyproject.toml | cut -c1-12)
if [ ! -f "$STAMP" ]; then
  say "installing Python packages (first run takes a few minutes)"
  "$VENV/bin/python" -m pip install -q --upgrade "pip>=25.1"
  "$VENV/bin/python" -m pip install -q -e . --group dev
  rm -f "$VENV"/.installed-*; touch "$STAMP"
fi

# English translations (source strings are Vietnamese); compiled here, not committed.
"$VENV/bin/pybabel" compile -d locale -D django >/dev/null 2>&1 || die "could not compile locale/*/LC_MESSAGES/django.po"

# ---- 3. Front-end packages (served locally; never from a CDN) -----------------
if [ ! -f frontend/node_modules/.stamp-"$(sha1sum frontend/package.json | cut -c1-12)" ]; then
  command -v npm >/dev/null || die "npm is needed for the portal's map plugins: install Debian's npm (apt-get install npm)."
  say "installing front-end packages with npm"
  (cd frontend && SCARF_ANALYTICS=false npm install --no-audit --no-fund --legacy-peer-deps --silent >/dev/null)
  rm -f frontend/node_modules/.stamp-*; touch frontend/node_modules/.stamp-"$(sha1sum frontend/package.json | cut -c1-12)"
fi

# ---- 4. A per-installation secret key (unless IOC_SECRET_KEY is set) -------------
if [ -z "${IOC_SECRET_KEY:-}" ] && [ ! -s var/secret_key ]; then
  mkdir -p var
  (umask 077; "$VENV/bin/python" -c 'import secrets; print(secrets.token_urlsafe(50))' > var/secret_key)
  say "generated a secret key in var/secret_key"
fi

# ---- 5. Database ----------------------------------------------------------------
if [ -z "${DATABASE_URL:-}" ]; then
  scripts/pg.sh start
fi
"$VENV/bin/python" manage.py migrate --noinput -v0
"$VENV/bin/python" manage.py collectstatic --noinput -v0
