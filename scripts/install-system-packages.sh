#!/usr/bin/env bash
# Install the Debian packages the test suite needs, only those missing: PostgreSQL for the second
# run of the suite, Chromium and a font for the browser tests (Playwright drives /usr/bin/chromium),
# pango (+ harfbuzz-subset) for WeasyPrint's PDF report and poppler-utils to check its PDFs.
# redis-server, slapd and nginx for the operations tests (each started by its test).
# Translations are compiled with Babel (scripts/compile_messages.py), so gettext is not needed.
# Skips apt-get entirely when everything is installed, so repeated runs are fast and offline.
set -euo pipefail

# Arguments name other packages (make bench: postgresql wrk); the default is the test suite's.
packages=("$@")
if [[ ${#packages[@]} -eq 0 ]]; then
    # Servers the operations tests start themselves (redis, slapd, nginx) and the headers
    # python-ldap is built with (make setup installs those alone: BUILD_PACKAGES in Makefile).
    packages=(postgresql chromium fonts-dejavu-core libpango-1.0-0 libpangoft2-1.0-0 default-jre-headless
        libharfbuzz-subset0 poppler-utils redis-server redis-tools slapd ldap-utils nginx
        libldap2-dev libsasl2-dev gcc)
fi

missing=()
for package in "${packages[@]}"; do
    status=$(dpkg-query -W -f='${Status}' "$package" 2>/dev/null || true)
    if [[ "$status" != "install ok installed" ]]; then
        missing+=("$package")
    fi
done

if [[ ${#missing[@]} -eq 0 ]]; then
    echo "Systempakete vorhanden: ${packages[*]}"
    exit 0
fi

sudo=()
if [[ $(id -u) -ne 0 ]]; then
    if ! command -v sudo >/dev/null; then
        echo "Fehlende Systempakete: ${missing[*]} – bitte als root ausführen." >&2
        exit 1
    fi
    sudo=(sudo)
fi

echo "Installiere Systempakete: ${missing[*]}"
"${sudo[@]}" apt-get update -qq
"${sudo[@]}" env DEBIAN_FRONTEND=noninteractive \
    apt-get install -y -qq --no-install-recommends "${missing[@]}"
