#!/usr/bin/env bash
# What SQLite alone needs to write a pack's evidence.sqlite: the same tables and rows copied from a
# finished pack into a new file by the sqlite3 shell, with the pack's own settings (no journal, no
# sync). No row is formatted or bound by flexrecon, so this is a floor for the pack's evidence-store
# thread, which writes the file on a thread of its own and is the pack's critical path.
#
#   bench/sqlite_floor.sh PACK/evidence.sqlite [RUNS]
#
# Three ways, CPU and wall seconds of each run (GNU time):
#   xfer      INSERT INTO t SELECT * FROM src.t, then the indexes: SQLite copies each row's record
#             as it is (its "transfer optimisation"), the fastest a file like this can be rebuilt;
#   rows      the same with WHERE 1, which turns the transfer off: each row is decoded and encoded
#             again, as rows inserted one by one are (the nearer floor for a writer of rows);
#   no-index  rows without the nine indexes.
set -euo pipefail
src=$1 runs=${2:-3}
command -v sqlite3 >/dev/null || { echo "sqlite3 (Debian package sqlite3) is needed" >&2; exit 2; }
work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT
tables=$(sqlite3 "$src" "SELECT name FROM sqlite_master WHERE type='table' ORDER BY rowid")
script() {  # $1: what to add after each SELECT; $2: 1 to make the indexes
  echo "PRAGMA journal_mode=OFF; PRAGMA synchronous=OFF; PRAGMA locking_mode=EXCLUSIVE;"
  echo "ATTACH '$src' AS src;"
  sqlite3 "$src" "SELECT sql || ';' FROM sqlite_master WHERE type='table' ORDER BY rowid"
  echo "BEGIN;"
  for t in $tables; do echo "INSERT INTO main.$t SELECT * FROM src.$t$1;"; done
  [ "$2" = 1 ] && sqlite3 "$src" "SELECT sql || ';' FROM sqlite_master WHERE type='index' AND sql IS NOT NULL ORDER BY rowid"
  echo "COMMIT;"
}
script "" 1 >"$work/xfer.sql"
script " WHERE 1" 1 >"$work/rows.sql"
script " WHERE 1" 0 >"$work/no-index.sql"
echo "$(stat -c %s "$src") bytes, $(sqlite3 "$src" "SELECT sum(n) FROM ($(for t in $tables; do printf 'SELECT count(*) AS n FROM %s UNION ALL ' "$t"; done) SELECT 0)") rows in $(echo "$tables" | wc -w) tables"
for way in xfer rows no-index; do
  for _ in $(seq "$runs"); do
    rm -f "$work/out.sqlite"
    echo "$way: $(/usr/bin/time -f '%e s wall, %U s user, %S s sys' sqlite3 "$work/out.sqlite" <"$work/$way.sql" 2>&1 >/dev/null | tail -1)"
  done
done
