#!/usr/bin/env bash
# .ci/chromium.sh: make sure a headless Chromium is installed (Debian's `chromium`), for the
# test that renders the HTML reports in a real browser. A no-op when `chromium` is on PATH.
# `bash .ci/chromium.sh [PID]`: with PID, first wait for that process (another apt-get) to end.
set -euo pipefail
if [[ -n "${1:-}" ]]; then
    while kill -0 "$1" 2>/dev/null; do sleep 1; done
fi
command -v chromium >/dev/null && exit 0
if [[ $EUID -ne 0 ]] || ! command -v apt-get >/dev/null; then
    echo "chromium.sh: no chromium, and can't apt-get install it (needs root on Debian)" >&2
    exit 1
fi
apt=(apt-get -o DPkg::Lock::Timeout=300 -y -qq --no-install-recommends)
export DEBIAN_FRONTEND=noninteractive
"${apt[@]}" update
"${apt[@]}" install chromium fonts-dejavu-core >/dev/null
command -v chromium >/dev/null
