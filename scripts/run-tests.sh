#!/usr/bin/env bash
# Run the test suite with pytest. Exit code 5 ("no tests ran") counts as a failure: a suite
# that silently collects nothing must not pass CI.
set -uo pipefail

cd "$(dirname "$0")/.."

.venv/bin/pytest -p no:cacheprovider "$@"
status=$?
if [[ $status -eq 5 ]]; then
    echo "Fehler: pytest hat keine Tests ausgeführt (Exit-Code 5)." >&2
    exit 1
fi
exit "$status"
