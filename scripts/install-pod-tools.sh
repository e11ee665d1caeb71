#!/usr/bin/env bash
# The host programs the process runtime's image catalogue (Sources/ArmadaSim/images.yaml) runs
# images with: busybox-static (alpine and busybox images), stress-ng (stress-ng images) and
# kubernetes-client (kubectl images; pods' in-cluster kubectl).
# Installs the missing ones with apt-get as root; otherwise says what to install (pods of those
# images then fail to start with the same advice).
set -u
missing=()
[ -x /bin/busybox ] || missing+=(busybox-static)
[ -x /usr/bin/stress-ng ] || missing+=(stress-ng)
[ -x /usr/bin/kubectl ] || missing+=(kubernetes-client)
[ ${#missing[@]} -eq 0 ] && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing pod tools: ${missing[*]}"
    { apt-get install -y -qq "${missing[@]}" || { apt-get update -qq && apt-get install -y -qq "${missing[@]}"; }; } >/dev/null
    exit $?
fi
echo "note: pods of alpine/busybox and stress-ng images need Debian's ${missing[*]} (sudo apt-get install ${missing[*]})" >&2
