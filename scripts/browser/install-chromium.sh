#!/usr/bin/env bash
# Debian's chromium, which the HTML report tests open their reports in (headless, driven by
# scripts/browser/check_html_report.py). Installed with apt-get as root when missing; otherwise
# says what to install (the browser tests then fail saying the same).
set -u
command -v chromium >/dev/null 2>&1 && exit 0
if [ "$(id -u)" = 0 ] && command -v apt-get >/dev/null 2>&1; then
    echo "installing chromium (the HTML report tests open their reports in it)"
    export DEBIAN_FRONTEND=noninteractive
    { apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core \
        || { apt-get update -qq && apt-get install -y -qq --no-install-recommends chromium fonts-dejavu-core; }; } >/dev/null
    exit $?
fi
echo "note: the HTML report tests need Debian's chromium (sudo apt-get install chromium)" >&2
