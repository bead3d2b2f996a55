#!/bin/bash
# backup.sh: back up Pramen's database and files into BACKUP_DIR/pramen-<UTC time>/, and delete
# backups older than BACKUP_KEEP_DAYS. Run nightly by pramen-backup.timer (docs/install.md).
#
#   database.dump        pg_dump, custom format (pg_restore reads it)
#   files-<name>.tar.gz  each data folder: media, private, zis-outbox, zis-acks
#   folders.txt          which folder each archive came from
#   SHA256SUMS           checksums, verified by restore.sh
#
# Environment (as in /etc/pramen/pramen.env): DATABASE_URL (required), PRAMEN_VAR_DIR, MEDIA_ROOT,
# PRAMEN_PRIVATE_MEDIA_ROOT, ZIS_OUTBOX, ZIS_ACKS, BACKUP_DIR (/var/backups/pramen),
# BACKUP_KEEP_DAYS (14). Redis holds only the cache and the task queue: it is not backed up.
set -euo pipefail
umask 077

: "${DATABASE_URL:?DATABASE_URL is required (the database to back up)}"
VAR_DIR=${PRAMEN_VAR_DIR:-/var/lib/pramen}
BACKUP_DIR=${BACKUP_DIR:-/var/backups/pramen}
KEEP_DAYS=${BACKUP_KEEP_DAYS:-14}
[[ $KEEP_DAYS =~ ^[0-9]+$ ]] || { echo "BACKUP_KEEP_DAYS must be a number of days" >&2; exit 2; }

declare -A FOLDERS=(
    [media]=${MEDIA_ROOT:-$VAR_DIR/media}
    [private]=${PRAMEN_PRIVATE_MEDIA_ROOT:-$VAR_DIR/private}
    [zis-outbox]=${ZIS_OUTBOX:-$VAR_DIR/zis/outbox}
    [zis-acks]=${ZIS_ACKS:-$VAR_DIR/zis/acks}
)

stamp=$(date -u +%Y%m%dT%H%M%SZ)
target="$BACKUP_DIR/pramen-$stamp"
partial="$target.partial"
mkdir -p "$BACKUP_DIR"
rm -rf "$partial"
mkdir "$partial"
trap 'rm -rf "$partial"' EXIT

pg_dump --format=custom --no-owner --no-privileges --file="$partial/database.dump" \
    --dbname="$DATABASE_URL"

: >"$partial/folders.txt"
for name in "${!FOLDERS[@]}"; do
    folder=${FOLDERS[$name]}
    [[ -d $folder ]] || continue
    tar --create --gzip --file="$partial/files-$name.tar.gz" --directory="$folder" .
    printf '%s\t%s\n' "$name" "$folder" >>"$partial/folders.txt"
done

shopt -s nullglob
(cd "$partial" && sha256sum database.dump folders.txt files-*.tar.gz >SHA256SUMS)
mv "$partial" "$target"
trap - EXIT

# Retention: whole backups older than KEEP_DAYS days go; the one just made always stays.
find "$BACKUP_DIR" -mindepth 1 -maxdepth 1 -type d -name 'pramen-*' ! -path "$target" \
    -mtime +"$KEEP_DAYS" -exec rm -rf {} +
echo "Backup written to $target"
