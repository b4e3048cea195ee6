#!/usr/bin/env bash
# Builds and installs the pgvector extension for the local PostgreSQL from Debian's source
# package (bookworm has no binary package; trixie's source builds against server-dev-15).
set -euo pipefail
if psql -h 127.0.0.1 -U postgres -d test -tAc "select 1 from pg_available_extensions where name='vector'" 2>/dev/null | grep -q 1; then
  echo "pgvector: already available"; exit 0
fi
export DEBIAN_FRONTEND=noninteractive
pgver=$(ls /etc/postgresql | sort -n | tail -1)
echo "Types: deb-src
URIs: http://deb.debian.org/debian
Suites: trixie
Components: main
Signed-By: /usr/share/keyrings/debian-archive-keyring.gpg" > /etc/apt/sources.list.d/smart-citizen-trixie-src.sources
apt-get update -qq
apt-get install -y -qq "postgresql-server-dev-${pgver}" dpkg-dev >/dev/null
work=$(mktemp -d)
( cd "$work" && apt-get source -qq pgvector >/dev/null 2>&1 && cd pgvector-*/ && make -s PG_CONFIG="/usr/lib/postgresql/${pgver}/bin/pg_config" >/dev/null && make -s install PG_CONFIG="/usr/lib/postgresql/${pgver}/bin/pg_config" >/dev/null )
rm -rf "$work"
echo "pgvector: installed"
