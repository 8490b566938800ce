#!/usr/bin/env bash
# Loads the example book (once) and shows its daily list as on the morning of Mon 23 Nov 2026.
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export KEHU_DB="$here/demo/kehu.db" KEHU_TZ=Asia/Shanghai
[ -e "$KEHU_DB" ] || "$here/load.sh" "$KEHU_DB"
KEHU_NOW=2026-11-23T09:00 kehu today
