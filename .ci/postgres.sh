# shellcheck shell=bash
# .ci/postgres.sh: a throwaway PostgreSQL server for the kehu test suite.
#
# SOURCE it from bash (don't execute it):
#
#     source .ci/postgres.sh || exit 1   # install if needed, start, export URLs
#     python -m pytest                   # the suite picks up KEHU_TEST_DATABASE_URL
#     pg_stop                            # optional, idempotent; see "Cleanup"
#
# What it does:
#   * If no initdb is found (/usr/lib/postgresql/*/bin, then PATH), installs
#     Debian's `postgresql` with apt-get (quietly, without creating or starting
#     the packaged "main" cluster).
#   * initdb's a new cluster in a fresh `mktemp -d` directory, running as the
#     `postgres` system user when called as root (a system user is created if
#     missing). Auth: trust for the superuser, a password (scram) for other roles; a
#     throwaway. fsync is off.
#   * KEHU_PG_SETTINGS, if set, is added to postgresql.conf (lines of `name = value`;
#     the benchmark gives its server a production-sized shared_buffers).
#   * Starts it on 127.0.0.1 only, on a free port, with the unix socket in the
#     temp dir. Waits for pg_isready.
#   * Creates role `kehu` (LOGIN, random password, NOSUPERUSER, CREATEDB,
#     CREATEROLE) and database `kehu_test` owned by it.
#
# Exported after a successful source:
#   KEHU_TEST_DATABASE_URL  postgresql+psycopg://kehu:PASSWORD@127.0.0.1:PORT/kehu_test
#   KEHU_TEST_PG_ADMIN_URL  postgresql+psycopg://postgres@127.0.0.1:PORT/postgres  (superuser)
#   KEHU_PG_PORT, KEHU_PG_DIR (temp dir: data/, server.log, socket)
#
# Cleanup, whatever happens to the calling shell:
#   * `pg_stop` (a function) stops the server (pg_ctl -m immediate), removes the
#     temp dir and unsets the variables above. Safe to call twice; it returns
#     the exit status it was called with, so `trap 'pg_stop; ...' EXIT` works.
#   * If the shell has no EXIT trap, sourcing sets `trap pg_stop EXIT`. If it
#     already has one, it's left alone: call pg_stop from it, e.g.
#         trap 'declare -F pg_stop >/dev/null && pg_stop' EXIT
#   * Either way a small detached watcher (`tail --pid`) does the same cleanup
#     within about a second of the sourcing shell exiting, even if it was
#     SIGKILLed or never ran pg_stop.
# If startup fails, sourcing cleans up after itself and returns non-zero.
# Sourcing again while a server from this shell is running changes nothing.
#
# `bash .ci/postgres.sh install` only makes sure PostgreSQL is installed, for
# example to prefetch it in the background while other work runs.
# The other modes (__start, __stop, __watch) are internal.

if [[ "${BASH_SOURCE[0]}" == "$0" ]]; then
    # ---- executed: does the real work in its own process, under strict mode,
    #      whatever options the sourcing shell has set ----
    set -Eeuo pipefail
    trap 'echo "postgres.sh: line $LINENO: \"$BASH_COMMAND\" failed" >&2' ERR
    unset PGHOST PGHOSTADDR PGPORT PGUSER PGDATABASE PGPASSWORD PGPASSFILE \
        PGSERVICE PGSERVICEFILE PGOPTIONS PGSSLMODE PGDATA PGTZ || true

    find_bindir() { # prints the directory of the newest initdb, or nothing
        local f
        f=$(printf '%s\n' /usr/lib/postgresql/*/bin/initdb | sort -V | tail -n 1)
        if [[ -x "$f" ]]; then
            dirname "$f"
        elif f=$(command -v initdb); then
            dirname "$(readlink -f "$f")"
        fi
    }

    quiet() { # run "$@" with its output shown only if it fails
        local log rc=0
        log=$(mktemp)
        "$@" >"$log" 2>&1 || rc=$?
        if [[ $rc -ne 0 ]]; then cat "$log" >&2; fi
        rm -f "$log"
        return "$rc"
    }

    install_pg() {
        [[ -n "$(find_bindir)" ]] && return 0
        if [[ $EUID -ne 0 ]] || ! command -v apt-get >/dev/null; then
            echo "postgres.sh: no initdb found, and can't apt-get install (needs root on Debian)" >&2
            return 1
        fi
        echo "postgres.sh: installing PostgreSQL with apt-get..." >&2
        # Lock::Timeout: wait for e.g. unattended-upgrades instead of failing.
        local -a apt=(apt-get -o DPkg::Lock::Timeout=300 -y -qq --no-install-recommends
            -o Dpkg::Options::=--force-confdef -o Dpkg::Options::=--force-confold)
        export DEBIAN_FRONTEND=noninteractive
        quiet "${apt[@]}" update
        # postgresql-common first, so the packaged "main" cluster can be turned off
        # before the server package's postinst would create (and maybe start) it.
        quiet "${apt[@]}" install postgresql-common
        echo "create_main_cluster = false" >>/etc/postgresql-common/createcluster.conf
        quiet "${apt[@]}" install postgresql
        [[ -n "$(find_bindir)" ]] || { echo "postgres.sh: still no initdb after install" >&2; return 1; }
    }

    # Commands that touch the data directory run as `postgres` when we are root.
    setup_run_as() {
        run_as=()
        if [[ $EUID -eq 0 ]]; then
            if ! getent passwd postgres >/dev/null; then
                useradd --system --user-group --home-dir /var/lib/postgresql \
                    --no-create-home --shell /bin/bash postgres
            fi
            run_as=(runuser -u postgres --)
        fi
    }

    pgbin() { # an executable from the server's bin dir, else from PATH
        if [[ -x "$bindir/$1" ]]; then echo "$bindir/$1"; else command -v "$1"; fi
    }

    free_port() {
        python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
    }

    start_pg() { # $1: empty temp dir. Prints "PORT PASSWORD" on stdout.
        local dir=$1 port="" pw attempt i ok=""
        install_pg
        bindir=$(find_bindir)
        setup_run_as
        if [[ $EUID -eq 0 ]]; then chown postgres: "$dir"; fi
        chmod 700 "$dir"
        cd "$dir" # the postgres user must be able to stat its working directory

        if ! "${run_as[@]}" "$(pgbin initdb)" -D "$dir/data" -U postgres -A trust \
            -E UTF8 --locale=C --no-sync >"$dir/initdb.log" 2>&1; then
            cat "$dir/initdb.log" >&2
            return 1
        fi
        cat >>"$dir/data/postgresql.conf" <<EOF
# throwaway test server (.ci/postgres.sh)
listen_addresses = '127.0.0.1'
unix_socket_directories = '$dir'
fsync = off
synchronous_commit = off
full_page_writes = off
${KEHU_PG_SETTINGS:-}
EOF
        # A free port can be taken between asking and binding; retry a couple of times.
        for attempt in 1 2 3; do
            port=$(free_port)
            if "${run_as[@]}" "$(pgbin pg_ctl)" -D "$dir/data" -l "$dir/server.log" \
                -o "-p $port" -w -t 60 start >/dev/null 2>&1; then
                ok=1
                break
            fi
            "${run_as[@]}" "$(pgbin pg_ctl)" -D "$dir/data" -m immediate stop >/dev/null 2>&1 || true
            echo "postgres.sh: start on port $port failed (attempt $attempt)" >&2
        done
        if [[ -z "$ok" ]]; then
            cat "$dir/server.log" >&2 || true
            return 1
        fi
        for ((i = 0; i < 100; i++)); do
            "$(pgbin pg_isready)" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -t 1 && break
            sleep 0.1
        done
        if ! "$(pgbin pg_isready)" -q -h 127.0.0.1 -p "$port" -U postgres -d postgres -t 5; then
            cat "$dir/server.log" >&2 || true
            return 1
        fi

        pw=$(python3 -c 'import secrets; print(secrets.token_hex(16))')
        "$(pgbin psql)" -X -q -v ON_ERROR_STOP=1 -h 127.0.0.1 -p "$port" -U postgres -d postgres \
            >/dev/null <<EOF
CREATE ROLE kehu LOGIN PASSWORD '$pw' NOSUPERUSER CREATEDB CREATEROLE;
CREATE DATABASE kehu_test OWNER kehu;
EOF
        # Every role but the superuser must give its password, so the tests can show that
        # kehu finds it in PGPASSWORD or ~/.pgpass and never prints it.
        cat >"$dir/data/pg_hba.conf" <<EOF
local all all trust
host all postgres 127.0.0.1/32 trust
host all all 127.0.0.1/32 scram-sha-256
EOF
        "${run_as[@]}" "$(pgbin pg_ctl)" -D "$dir/data" reload >/dev/null
        echo "$port $pw"
    }

    stop_pg() { # $1: temp dir
        local dir=$1 pid i
        [[ -f "$dir/data/postmaster.pid" ]] || return 0
        pid=$(head -n 1 "$dir/data/postmaster.pid" 2>/dev/null || true)
        bindir=$(find_bindir)
        setup_run_as
        cd "$dir"
        "${run_as[@]}" "$(pgbin pg_ctl)" -D "$dir/data" -m immediate -w -t 30 stop >/dev/null 2>&1 ||
            { [[ "$pid" =~ ^[0-9]+$ ]] && kill -KILL "$pid" 2>/dev/null; } || true
        # pg_ctl returns once postmaster.pid is gone; wait for the process itself too.
        if [[ "$pid" =~ ^[0-9]+$ ]]; then
            for ((i = 0; i < 100; i++)); do
                alive "$pid" || return 0
                sleep 0.05
            done
            kill -KILL "$pid" 2>/dev/null || true
        fi
    }

    alive() { # running and not a zombie (the daemonized postmaster is reaped by init)
        local state
        kill -0 "$1" 2>/dev/null || return 1
        [[ -r "/proc/$1/status" ]] || return 0
        state=$(sed -n 's/^State:[[:space:]]*\([A-Z]\).*/\1/p' "/proc/$1/status" 2>/dev/null) || return 1
        [[ -n "$state" && "$state" != Z ]]
    }

    watch_pg() { # $1: pid of the sourcing shell, $2: temp dir
        tail --pid="$1" -f /dev/null 2>/dev/null ||
            while kill -0 "$1" 2>/dev/null; do sleep 1; done
        [[ "$(basename "$2")" == kehu-pg.* ]] || return 1
        stop_pg "$2"
        rm -rf -- "$2"
    }

    case "${1:-}" in
    install) install_pg ;;
    __start) start_pg "$2" ;;
    __stop) stop_pg "$2" ;;
    __watch) watch_pg "$2" "$3" ;;
    *)
        echo "usage: source .ci/postgres.sh   (or: bash .ci/postgres.sh install)" >&2
        exit 2
        ;;
    esac
    exit
fi

# ---- sourced ----

_kehu_pg_script=$(readlink -f "${BASH_SOURCE[0]}")

pg_stop() {
    # shellcheck disable=SC2320  # the caller's last status, not the echo above
    local rc=$?
    if [[ -n "${_kehu_pg_dir:-}" ]]; then
        bash "$_kehu_pg_script" __stop "$_kehu_pg_dir" || true
        rm -rf -- "$_kehu_pg_dir"
        _kehu_pg_dir=""
        unset KEHU_TEST_DATABASE_URL KEHU_TEST_PG_ADMIN_URL KEHU_PG_PORT KEHU_PG_DIR
    fi
    return "$rc"
}

_kehu_pg_start() {
    local out port pw shell_pid=$BASHPID # the sourcing (sub)shell
    if [[ -n "${_kehu_pg_dir:-}" ]]; then
        echo "postgres.sh: already running on port ${KEHU_PG_PORT:-?} ($_kehu_pg_dir)" >&2
        return 0
    fi
    _kehu_pg_dir=$(mktemp -d -t kehu-pg.XXXXXX) || return 1
    if ! out=$(bash "$_kehu_pg_script" __start "$_kehu_pg_dir") || [[ -z "$out" ]]; then
        echo "postgres.sh: failed to start PostgreSQL" >&2
        pg_stop
        return 1
    fi
    read -r port pw <<<"$out"
    export KEHU_PG_DIR=$_kehu_pg_dir KEHU_PG_PORT=$port
    export KEHU_TEST_DATABASE_URL="postgresql+psycopg://kehu:$pw@127.0.0.1:$port/kehu_test"
    export KEHU_TEST_PG_ADMIN_URL="postgresql+psycopg://postgres@127.0.0.1:$port/postgres"
    if [[ -z "$(trap -p EXIT)" ]]; then
        trap pg_stop EXIT
    fi
    # Detached (own session, no inherited fds) so it outlives the caller's process group.
    (setsid bash "$_kehu_pg_script" __watch "$shell_pid" "$_kehu_pg_dir" </dev/null >/dev/null 2>&1 &)
    echo "postgres.sh: PostgreSQL ready on 127.0.0.1:$port (data in $_kehu_pg_dir)" >&2
}

_kehu_pg_start
