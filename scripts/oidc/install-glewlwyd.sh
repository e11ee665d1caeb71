#!/usr/bin/env bash
# Unpacks Debian's glewlwyd (an OpenID Connect provider) into DIR for the OIDC tests, without
# installing it as a service: its package's post-install step wants a database server, which the
# tests do not need (they run it on a sqlite file of their own, scripts/oidc/glewlwyd_provider.py).
# Installs the shared libraries it links against, sqlite3 and openssl with apt when missing.
set -euo pipefail
dir="${1:-.build-oidc}"
if [ -x "$dir/root/usr/bin/glewlwyd" ] && "$dir/root/usr/bin/glewlwyd" --help >/dev/null 2>&1; then
  exit 0
fi
libs="libhoel1.4 libiddawc1.1 libjansson4 libldap-2.5-0 liboath0 liborcania2.3 librhonabwy1.1 libulfius2.7 libyder2.0
      libcbor0.8 libconfig9 libgnutls30 libnettle8 zlib1g sqlite3 openssl"
missing=""
for p in $libs; do dpkg -s "$p" >/dev/null 2>&1 || missing="$missing $p"; done
if [ -n "$missing" ]; then
  apt-get update -qq
  DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends $missing >/dev/null
fi
mkdir -p "$dir/deb"
(cd "$dir/deb" && rm -f glewlwyd_*.deb && apt-get download -qq glewlwyd 2>/dev/null)
rm -rf "$dir/root"
dpkg-deb -x "$dir"/deb/glewlwyd_*.deb "$dir/root"
"$dir/root/usr/bin/glewlwyd" --help >/dev/null
echo "glewlwyd unpacked into $dir/root"
