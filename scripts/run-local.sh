#!/bin/bash
# The demo: EmailInfra on this machine against the loopback rig (Azurite, Postfix + Dovecot + OpenDKIM as the demo's
# mail system, Knot DNS), four demo mailboxes warming up on two-minute days, and the dashboard at
# http://127.0.0.1:7071/ (the key is printed below and kept in .rig/api-key). Ctrl+C stops EmailInfra and the rig.
# Needs root (apt-get, Postfix). Extra arguments go to `emailinfra run` (e.g. --verbose).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
scripts/rig.sh start
trap 'scripts/rig.sh stop' EXIT

dotnet build src/EmailInfra.Cli -c Release -nologo -v quiet -o "$ROOT/.rig/cli" >/dev/null
# the admin API's key: kept in .rig/api-key (made once, readable by this user only) unless Api__Key is set
if [ -z "${Api__Key:-}" ]; then
  [ -s .rig/api-key ] || (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > .rig/api-key)
  Api__Key=$(cat .rig/api-key)
fi
export Api__Key
export Local__DataDir=${Local__DataDir:-$ROOT/.rig/local}

echo
echo "  Dashboard: http://127.0.0.1:7071/   key: $Api__Key"
echo "  Watch a few two-minute warm-up days: ramp, peer replies, junk placement and rescue, a bounce, a health change."
echo
dotnet "$ROOT/.rig/cli/emailinfra.dll" run --demo "$@"
