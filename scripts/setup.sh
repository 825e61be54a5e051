#!/usr/bin/env bash
# Create .venv with Python 3.12 and install the project (and, with "test", the test tools).
# Idempotent: re-running only installs what changed. Usage: bash scripts/setup.sh [test]
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
