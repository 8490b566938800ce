#!/usr/bin/env bash
# Replays examples/book.kehu into a book: each command runs with KEHU_NOW set to its time.
# Usage: examples/load.sh [BOOK]   (default: examples/demo/kehu.db; an existing book is refused)
set -euo pipefail
here="$(cd "$(dirname "$0")" && pwd)"
export KEHU_DB="${1:-$here/demo/kehu.db}" KEHU_TZ="${KEHU_TZ:-Asia/Shanghai}"
if [ -e "$KEHU_DB" ]; then
    echo "load.sh: $KEHU_DB exists; remove it or give another path" >&2
    exit 1
fi
while IFS= read -r line; do
    case "$line" in '#'*|'') continue ;; esac
    when="${line%%  *}"
    eval "KEHU_NOW=$when kehu ${line#*  }" >/dev/null
done < "$here/book.kehu"
echo "Loaded $(grep -vc '^#' "$here/book.kehu") commands into $KEHU_DB"
