#!/usr/bin/env bash
# Create .venv with Python 3.12 and install the project (and, with "test", the test tools).
# Idempotent: re-running only installs what changed. Usage: bash scripts/setup.sh [test]
# With "test" it also installs Debian's chromium (for the app's browser tests) if it is missing.
set -euo pipefail
cd "$(dirname "$0")/.."
pick_python() {
  for py in python3.12 python3 python; do
    if command -v "$py" >/dev/null 2>&1 && "$py" -c 'import sys; sys.exit(0 if sys.version_info[:2] >= (3, 12) else 1)' 2>/dev/null; then
      echo "$py"; return 0
    fi
  done
  echo "error: Python >= 3.12 not found (see .python-version)" >&2; return 1
}
if [ ! -x .venv/bin/python ]; then
  "$(pick_python)" -m venv .venv
fi
extra=""
[ "${1:-}" = "test" ] && extra="[test]"
stamp=".venv/.installed${extra}"
if [ ! -f "$stamp" ] || [ pyproject.toml -nt "$stamp" ]; then
  .venv/bin/python -m pip install --quiet --upgrade pip
  .venv/bin/python -m pip install --quiet -e ".${extra}"
  touch "$stamp"
fi
if [ "${1:-}" = "test" ] && [ ! -x /usr/bin/chromium ]; then
  echo "installing Debian's chromium for the browser tests of the app" >&2
  if [ "$(id -u)" = "0" ]; then
    apt_get=(apt-get)
  elif command -v sudo >/dev/null 2>&1; then
    apt_get=(sudo apt-get)
  else
    echo "error: /usr/bin/chromium is missing and this is neither root nor has sudo: install Debian's 'chromium' package" >&2
    exit 1
  fi
  "${apt_get[@]}" update -qq
  DEBIAN_FRONTEND=noninteractive "${apt_get[@]}" install -y -qq chromium >/dev/null
fi
