#!/bin/bash
# Runs EmailInfra on this machine against the loopback rig: Azurite for tables and queues, Postfix + Dovecot
# as the demo mail system (alpha.test, beta.test, gamma.test), Knot DNS. Registers the rig's mailboxes,
# queues two demo sends (one delivered, one that bounces), then runs `emailinfra run` in the foreground.
# Ctrl+C stops EmailInfra and the rig. Needs root (apt-get, Postfix).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
cd "$ROOT"
scripts/rig.sh start
trap 'scripts/rig.sh stop' EXIT

dotnet build src/EmailInfra.Cli -c Release -nologo -v quiet -o "$ROOT/.rig/cli" >/dev/null
EI="dotnet $ROOT/.rig/cli/emailinfra.dll"
export MailTransport__TrustedCertificateFiles__0=$ROOT/.rig/mail/tls/cert.pem
export Secrets__LocalPath=$ROOT/.rig/secrets
export PollSchedule=${PollSchedule:-"*/10 * * * * *"}
export Polling__Interval=${Polling__Interval:-00:00:10}
export Dns__Servers__0=127.0.0.1:5353   # recipient checks resolve the rig's *.test domains
# the admin API's key: kept in .rig/api-key (made once, readable by this user only) unless Api__Key is set
if [ -z "${Api__Key:-}" ]; then
  [ -s .rig/api-key ] || (umask 077; head -c 24 /dev/urandom | od -An -tx1 | tr -d ' \n' > .rig/api-key)
  Api__Key=$(cat .rig/api-key)
fi
export Api__Key

for user in alice@alpha.test:alice-pw carol@beta.test:carol-pw erin@gamma.test:erin-pw; do
  echo "${user#*:}" | $EI mailbox add --address "${user%%:*}" --pool rig --smtp 127.0.0.1:2587 --imap 127.0.0.1:2143 --append-to-sent
done
$EI send --from alice@alpha.test --to carol@beta.test
$EI send --from alice@alpha.test --to nobody@remote.test
echo "Demo queued. Watch from another shell: $EI day --mailbox alice@alpha.test"
echo "Admin API: curl -s -H \"x-functions-key: \$(cat $ROOT/.rig/api-key)\" http://127.0.0.1:7071/api/mailboxes"
$EI run
