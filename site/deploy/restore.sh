#!/bin/bash
# restore.sh BACKUP_FOLDER [--yes]: put back a backup made by backup.sh (docs/install.md).
#
# Stop pramen-web and pramen-worker first. The database named by DATABASE_URL is restored with
# pg_restore (--clean --if-exists, in one transaction: on error nothing changes); restore into
# an empty database for an exact copy. Each data folder is moved aside to
# <folder>.before-restore-<time> and refilled from its archive. Checksums are verified first.
# Environment: as for backup.sh.
set -euo pipefail
umask 027

usage() { echo "usage: $0 BACKUP_FOLDER [--yes]" >&2; exit 2; }
[[ $# -ge 1 ]] || usage
source_dir=${1%/}
confirmed=${2:-}
: "${DATABASE_URL:?DATABASE_URL is required (the database to restore into)}"
VAR_DIR=${PRAMEN_VAR_DIR:-/var/lib/pramen}
declare -A FOLDERS=(
    [media]=${MEDIA_ROOT:-$VAR_DIR/media}
    [private]=${PRAMEN_PRIVATE_MEDIA_ROOT:-$VAR_DIR/private}
    [zis-outbox]=${ZIS_OUTBOX:-$VAR_DIR/zis/outbox}
    [zis-acks]=${ZIS_ACKS:-$VAR_DIR/zis/acks}
)

[[ -f $source_dir/database.dump && -f $source_dir/SHA256SUMS ]] ||
    { echo "$source_dir is not a backup made by backup.sh" >&2; exit 2; }
(cd "$source_dir" && sha256sum --check --quiet SHA256SUMS) ||
    { echo "Checksums do not match: the backup is damaged; nothing was changed." >&2; exit 1; }

if [[ $confirmed != --yes ]]; then
    read -r -p "Replace the database and the data folders with $source_dir? Type yes: " answer
    [[ $answer == yes ]] || { echo "Nothing was changed."; exit 1; }
fi

pg_restore --clean --if-exists --no-owner --no-privileges --single-transaction \
    --exit-on-error --dbname="$DATABASE_URL" "$source_dir/database.dump"
echo "Database restored."

stamp=$(date -u +%Y%m%dT%H%M%SZ)
for name in "${!FOLDERS[@]}"; do
    archive="$source_dir/files-$name.tar.gz"
    [[ -f $archive ]] || continue
    folder=${FOLDERS[$name]}
    owner=$(stat -c %U:%G "$(dirname "$folder")" 2>/dev/null || id -un)
    if [[ -e $folder ]]; then
        owner=$(stat -c %U:%G "$folder")
        mv "$folder" "$folder.before-restore-$stamp"
        echo "Previous $name kept in $folder.before-restore-$stamp"
    fi
    mkdir -p "$folder"
    tar --extract --gzip --file="$archive" --directory="$folder" --no-same-owner
    if [[ $EUID -eq 0 ]]; then chown -R "$owner" "$folder"; fi
    echo "Restored $name into $folder"
done
echo "Restore finished. Start Pramen again (systemctl start pramen-web pramen-worker)."
