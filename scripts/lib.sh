# Shared by scripts/test and scripts/run (sourced, not run).
#
# Every step is idempotent and quiet when there is nothing to do; a step that does work
# says so in one line, and a step that fails prints the command and its output.

ROOT=$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)
VENV="$ROOT/.venv"
PY="$VENV/bin/python"
NAME="scripts/$(basename "$0")"

# ---- System packages (Debian) ------------------------------------------------------------
# The one place that installs from Debian. Add packages here, not elsewhere:
#   SYSTEM_PACKAGES      needed to run Planledger
#   TEST_SYSTEM_PACKAGES needed only by the tests
#   TEST_COMMANDS        command:package pairs, installed only when the command is missing
#                        (a machine may have it from elsewhere: NodeSource's nodejs has npm)
# python3-venv is installed on demand, only when missing.
SYSTEM_PACKAGES=(
    libpango-1.0-0 libpangoft2-1.0-0 libharfbuzz-subset0  # WeasyPrint (PDF documents)
)
TEST_SYSTEM_PACKAGES=(
    chromium fonts-dejavu-core  # tests/web: Playwright drives Debian's Chromium
    libatomic1                  # Playwright's own Node.js driver needs it
    postgresql                  # tests/faults: initdb and pg_ctl for a throwaway cluster
)
TEST_COMMANDS=(
    npm:npm        # tests/web installs axe-core and oidc-provider from the npm registry
    node:nodejs    # tests/web runs oidc-provider (a certified OpenID Connect provider)
)

packages_for_missing_commands() {  # "command:package"... -> packages of missing commands
    local pair
    for pair in "$@"; do
        command -v "${pair%%:*}" >/dev/null || printf '%s\n' "${pair#*:}"
    done
}

install_system_packages() {  # install whichever of "$@" are not installed yet
    local missing=() p
    for p in "$@"; do
        [ "$(dpkg-query -W -f='${db:Status-Status}' "$p" 2>/dev/null)" = installed ] \
            || missing+=("$p")
    done
    [ ${#missing[@]} -eq 0 ] && return 0
    command -v apt-get >/dev/null \
        || die "Debian packages missing (${missing[*]}) and there is no apt-get to install them"
    note "installing Debian packages: ${missing[*]}"
    quietly as_root env DEBIAN_FRONTEND=noninteractive apt-get update -q
    quietly as_root env DEBIAN_FRONTEND=noninteractive apt-get install -y -q \
        --no-install-recommends -o DPkg::Lock::Timeout=300 -o Dpkg::Options::=--force-confdef \
        -o Dpkg::Options::=--force-confold "${missing[@]}"
}

# ---- Messages and privileges -------------------------------------------------------------

note() { printf '%s: %s\n' "$NAME" "$*" >&2; }
die() { printf '%s: error: %s\n' "$NAME" "$*" >&2; exit 1; }

quietly() {  # run "$@"; show its output only if it fails, and then stop
    local log rc
    log=$(mktemp)
    "$@" >"$log" 2>&1 && { rm -f "$log"; return 0; }
    rc=$?
    printf '%s: error: this failed (exit %s): %s\n' "$NAME" "$rc" "$*" >&2
    tail -n 60 "$log" >&2
    rm -f "$log"
    exit "$rc"
}

as_root() {
    if [ "$(id -u)" -eq 0 ]; then
        "$@"
    elif command -v sudo >/dev/null && sudo -n true 2>/dev/null; then
        sudo -n "$@"
    else
        die "this step needs root: $* (run as root, or with passwordless sudo)"
    fi
}

as_postgres() {  # PostgreSQL's own commands run as the postgres user, never as root
    if [ "$(id -un)" = postgres ]; then
        "$@"
    elif [ "$(id -u)" -eq 0 ]; then
        (cd / && runuser -u postgres -- "$@")
    else
        (cd / && sudo -n -u postgres "$@")
    fi
}

# ---- Python ------------------------------------------------------------------------------

ensure_venv() {  # $1: the extra to install ("" for the service alone, "test" for the tests)
    local extra=${1:-} want stamp="$VENV/.planledger-installed"
    if ! "$PY" -c '' 2>/dev/null; then
        note "creating .venv"
        rm -rf "$VENV"
        if ! python3 -m venv "$VENV" >/dev/null 2>&1; then
            rm -rf "$VENV"
            install_system_packages python3-venv
            quietly python3 -m venv "$VENV"
        fi
    fi
    # Reinstall only when pyproject.toml changed (or the extra was never installed).
    want="$(sha256sum "$ROOT/pyproject.toml" | cut -c1-64) $ROOT"
    if [ -f "$stamp" ] && { grep -qxF "$want ${extra:-base}" "$stamp" \
            || { [ -z "$extra" ] && grep -qF "$want " "$stamp"; }; }; then
        return 0
    fi
    note "installing Planledger${extra:+[$extra]} into .venv"
    quietly "$PY" -m pip install -q --disable-pip-version-check --no-input \
        -e "$ROOT${extra:+[$extra]}"
    { grep -F "$want " "$stamp" 2>/dev/null || true; echo "$want ${extra:-base}"; } >"$stamp.new"
    mv "$stamp.new" "$stamp"
}
