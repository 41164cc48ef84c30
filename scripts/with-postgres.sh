#!/usr/bin/env bash
# Run a command against a throwaway PostgreSQL cluster:
#   scripts/with-postgres.sh pytest ...
# The cluster lives in a temporary directory, listens on 127.0.0.1 on a free port, and is
# stopped and removed when the command ends, whatever its outcome. The command's exit code
# is preserved. DATABASE_URL points to the database "kekmonitor" (superuser postgres, trust).
set -euo pipefail

if [[ $# -eq 0 ]]; then
    echo "Aufruf: $0 BEFEHL [ARGUMENTE…]" >&2
    exit 2
fi

# Newest installed server version (/usr/lib/postgresql/<version>/bin).
pg_bin=$(find /usr/lib/postgresql -mindepth 2 -maxdepth 2 -name bin -type d 2>/dev/null \
    | sort -V | tail -n 1)
if [[ -z "$pg_bin" || ! -x "$pg_bin/initdb" ]]; then
    echo "PostgreSQL-Server nicht gefunden (scripts/install-system-packages.sh ausführen)." >&2
    exit 1
fi

# The server refuses to run as root: run it as "postgres" when we are root.
as_postgres=()
if [[ $(id -u) -eq 0 ]]; then
    as_postgres=(runuser -u postgres --)
fi

pg_dir=$(mktemp -d /tmp/kek-pg.XXXXXX)
chmod 0755 "$pg_dir"
if [[ $(id -u) -eq 0 ]]; then
    chown postgres: "$pg_dir"
fi

cleanup() {
    if [[ -f "$pg_dir/data/postmaster.pid" ]]; then
        "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -m immediate -w stop \
            >/dev/null 2>&1 || true
    fi
    rm -rf "$pg_dir"
}
trap cleanup EXIT
trap 'exit 130' INT
trap 'exit 143' TERM

free_port() {
    python3 -c 'import socket; s = socket.socket(); s.bind(("127.0.0.1", 0)); print(s.getsockname()[1])'
}

"${as_postgres[@]}" "$pg_bin/initdb" -D "$pg_dir/data" -U postgres -A trust -E UTF8 \
    --locale=C.UTF-8 >"$pg_dir/initdb.log" 2>&1 || {
    cat "$pg_dir/initdb.log" >&2
    exit 1
}

# A port can be taken between choosing and binding it: try a few times.
started=false
for _attempt in 1 2 3 4 5; do
    port=$(free_port)
    if "${as_postgres[@]}" "$pg_bin/pg_ctl" -D "$pg_dir/data" -l "$pg_dir/server.log" -w -t 30 \
        -o "-p $port -k $pg_dir -c listen_addresses=127.0.0.1 -c fsync=off \
            -c synchronous_commit=off -c full_page_writes=off" start >/dev/null; then
        started=true
        break
    fi
done
if [[ "$started" != true ]]; then
    echo "PostgreSQL ließ sich nicht starten:" >&2
    cat "$pg_dir/server.log" >&2 || true
    exit 1
fi

"${as_postgres[@]}" "$pg_bin/createdb" -h 127.0.0.1 -p "$port" -U postgres kekmonitor

export DATABASE_URL="postgresql://postgres@127.0.0.1:$port/kekmonitor"
echo "PostgreSQL $(basename "$(dirname "$pg_bin")") läuft auf 127.0.0.1:$port (Datenbank kekmonitor)"

status=0
"$@" || status=$?
exit "$status"
