#!/usr/bin/env bash
# Installs the Kannel SMS gateway (Debian package `kannel`: bearerbox + smsbox) for
# test/integration/kannel.test.ts, only when it is missing. The package starts nothing in a
# container (policy-rc.d), and the test runs its own bearerbox/smsbox with a temp config.
set -euo pipefail

if [ -x /usr/sbin/bearerbox ] && [ -x /usr/sbin/smsbox ]; then
  echo "kannel: already installed ($(dpkg-query -W -f='${Version}' kannel 2>/dev/null || echo unknown version))"
  exit 0
fi

SUDO=""
if [ "$(id -u)" -ne 0 ]; then SUDO="sudo"; fi

export DEBIAN_FRONTEND=noninteractive
$SUDO apt-get update -qq
$SUDO apt-get install -y -qq --no-install-recommends kannel >/dev/null
echo "kannel: installed $(dpkg-query -W -f='${Version}' kannel)"
