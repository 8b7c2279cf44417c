# Shared by scripts/run and scripts/test: a Python 3.11+ virtualenv in .venv with pinned requirements,
# and the Debian packages the tracker needs, installed when missing and when this user may install them.
set -euo pipefail

ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
VENV="$ROOT/.venv"
cd "$ROOT"

say() { printf '\033[1m==> %s\033[0m\n' "$*"; }
die() { printf 'error: %s\n' "$*" >&2; exit 1; }

pick_python() {
  local candidate
  for candidate in "${PYTHON:-}" python3.13 python3.12 python3.11 python3; do
    [ -n "$candidate" ] || continue
    if command -v "$candidate" >/dev/null 2>&1 &&
       "$candidate" -c 'import sys; sys.exit(0 if sys.version_info >= (3, 11) else 1)' 2>/dev/null; then
      echo "$candidate"; return 0
    fi
  done
  die "Python 3.11 or newer is needed (set PYTHON=/path/to/python3.11)"
}

apt_install() {
  # Installs Debian packages when running as root (or with passwordless sudo); otherwise says what is missing.
  local sudo=""
  if [ "$(id -u)" -ne 0 ]; then
    if command -v sudo >/dev/null 2>&1 && sudo -n true 2>/dev/null; then sudo="sudo"; else
      echo "warning: missing Debian packages: $* (install them with apt-get)" >&2; return 1
    fi
  fi
  command -v apt-get >/dev/null 2>&1 || { echo "warning: no apt-get to install: $*" >&2; return 1; }
  say "Installing Debian packages: $*"
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get update -qq >/dev/null
  $sudo env DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "$@" >/dev/null
}

missing_debs() {
  local pkg missing=()
  for pkg in "$@"; do
    dpkg-query -W -f='${Status}' "$pkg" 2>/dev/null | grep -q "install ok installed" || missing+=("$pkg")
  done
  echo "${missing[@]:-}"
}

ensure_debs() {
  command -v dpkg-query >/dev/null 2>&1 || return 0
  local missing
  missing="$(missing_debs "$@")"
  [ -z "$missing" ] || apt_install $missing || true
}

ensure_venv() {
  local requirements="$1" python stamp want
  python="$(pick_python)"
  if [ ! -x "$VENV/bin/python" ]; then
    say "Creating the virtual environment in .venv"
    if ! "$python" -m venv "$VENV" 2>/dev/null; then
      rm -rf "$VENV"
      local minor; minor="$("$python" -c 'import sys; print(f"{sys.version_info[0]}.{sys.version_info[1]}")')"
      apt_install "python${minor}-venv" || apt_install python3-venv || die "cannot create a virtualenv: install python3-venv"
      "$python" -m venv "$VENV"
    fi
  fi
  stamp="$VENV/.installed-$(basename "$requirements")"
  want="$(cat requirements*.txt | sha256sum | cut -d' ' -f1)"
  if [ ! -f "$stamp" ] || [ "$(cat "$stamp")" != "$want" ]; then
    local total
    total="$(cat requirements*.txt | grep -cE '^[A-Za-z0-9]')"
    say "Installing about $total pinned Python packages from $requirements (a few minutes the first time)"
    "$VENV/bin/python" -m pip install --quiet --disable-pip-version-check --upgrade pip >/dev/null
    # One line per package as pip reaches it, instead of minutes of silence.
    "$VENV/bin/python" -m pip install --disable-pip-version-check --progress-bar off -r "$requirements" |
      awk -v total="$total" '/^Collecting /{n++; printf "    [%d/%d] %s\n", n, total, $2; fflush()}
                             /^Successfully installed/{print "    done."}'
    echo "$want" > "$stamp"
  fi
  # shellcheck disable=SC1091
  . "$VENV/bin/activate"
  export FLASK_APP=wsgi
}

compile_translations() {
  python scripts/i18n.py compile
}
