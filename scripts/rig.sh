#!/bin/bash
# The loopback test rig: Azurite (tables/queues), Postfix + Dovecot (SMTP, IMAP, real bounces),
# Knot DNS (zone files). Everything binds 127.0.0.1; state lives under $RIG_DIR (default .rig/).
#
#   scripts/rig.sh install   install what is missing (Debian packages, Azurite into tools/azurite)
#   scripts/rig.sh start     install if needed, then (re)start every service and wait until it answers
#   scripts/rig.sh stop      stop every service started by start
#   scripts/rig.sh status    print which ports answer
#
# Postfix runs as a second instance with its own config and queue directories under $RIG_DIR,
# so /etc/postfix and /var/spool/postfix are left as they were.
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
RIG_DIR=${RIG_DIR:-$ROOT/.rig}
MAIL=$RIG_DIR/mail
PFC=$MAIL/postfix          # postfix config_directory
DNS=$RIG_DIR/dns
DKIM=$RIG_DIR/dkim
DKIM_PORT=8891
AZ=$RIG_DIR/azurite
AZ_TOOL=$ROOT/tools/azurite

AZ_BLOB=${RIG_AZURITE_BLOB_PORT:-10000}
AZ_QUEUE=${RIG_AZURITE_QUEUE_PORT:-10001}
AZ_TABLE=${RIG_AZURITE_TABLE_PORT:-10002}
DNS_PORT=${RIG_DNS_PORT:-5353}

log() { echo "[rig] $*" >&2; }

wait_port() { # port [tries]
  local p=$1 n=${2:-100}
  for _ in $(seq 1 "$n"); do (exec 3<>/dev/tcp/127.0.0.1/"$p") 2>/dev/null && return 0; sleep 0.2; done
  log "port $p did not answer"; return 1
}

install() {
  local need=()
  command -v postfix >/dev/null || need+=(postfix)
  command -v dovecot >/dev/null || need+=(dovecot-core dovecot-imapd dovecot-lmtpd)
  [ -x /usr/lib/dovecot/imap ] || need+=(dovecot-imapd)
  [ -x /usr/lib/dovecot/lmtp ] || need+=(dovecot-lmtpd)
  command -v knotd >/dev/null || need+=(knot)
  command -v opendkim >/dev/null || need+=(opendkim)
  command -v dig >/dev/null || need+=(bind9-dnsutils)
  command -v openssl >/dev/null || need+=(openssl)
  [ -x /usr/bin/chromium ] || need+=(chromium)   # the dashboard's browser test (headless, driven by playwright-core)
  command -v smtp-sink >/dev/null || true   # part of postfix
  if [ ${#need[@]} -gt 0 ]; then
    log "installing Debian packages: ${need[*]}"
    apt-get update -qq >/dev/null
    echo "postfix postfix/main_mailer_type select No configuration" | debconf-set-selections
    DEBIAN_FRONTEND=noninteractive apt-get install -y -qq --no-install-recommends "${need[@]}" >/dev/null
  fi
  if [ ! -x "$AZ_TOOL/node_modules/.bin/azurite" ]; then
    log "installing Azurite into tools/azurite"
    (cd "$AZ_TOOL" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
  local check=$ROOT/tests/EmailInfra.Cli.Tests/Dashboard
  if [ -f "$check/package-lock.json" ] && [ ! -d "$check/node_modules/playwright-core" ]; then
    log "installing playwright-core for the dashboard's browser test"
    (cd "$check" && npm ci --no-audit --no-fund --loglevel=error >/dev/null)
  fi
}

stop() {
  if [ -f "$AZ/azurite.pid" ]; then kill "$(cat "$AZ/azurite.pid")" 2>/dev/null || true; rm -f "$AZ/azurite.pid"; fi
  if [ -f "$PFC/main.cf" ]; then postfix -c "$PFC" stop >/dev/null 2>&1 || true; fi
  if [ -f "$MAIL/dovecot/dovecot.conf" ]; then doveadm -c "$MAIL/dovecot/dovecot.conf" stop >/dev/null 2>&1 || true; fi
  if [ -f "$DNS/knot.conf" ]; then knotc -c "$DNS/knot.conf" stop >/dev/null 2>&1 || true; fi
  if [ -f "$DKIM/opendkim.pid" ]; then kill "$(cat "$DKIM/opendkim.pid")" 2>/dev/null || true; rm -f "$DKIM/opendkim.pid"; fi
  # a daemon whose control command failed may still hold a port
  for pidfile in "$MAIL/postfix-spool/pid/master.pid" "$DNS/run/knot.pid" "$MAIL/dovecot/run/master.pid"; do
    [ -f "$pidfile" ] || continue
    pid=$(tr -d ' ' < "$pidfile") || continue
    [ -n "$pid" ] && kill "$pid" 2>/dev/null || true
  done
  log "stopped"
}

port_free() { ! (exec 3<>/dev/tcp/127.0.0.1/"$1") 2>/dev/null; }

start_azurite() {
  if [ -f "$AZ/azurite.pid" ]; then kill "$(cat "$AZ/azurite.pid")" 2>/dev/null || true; fi
  for p in "$AZ_BLOB" "$AZ_QUEUE" "$AZ_TABLE"; do
    for _ in $(seq 1 25); do port_free "$p" && break; sleep 0.2; done
    port_free "$p" || { log "port $p is in use by another process; stop it or set RIG_AZURITE_*_PORT"; return 1; }
  done
  rm -rf "$AZ"; mkdir -p "$AZ/data"
  setsid "$AZ_TOOL/node_modules/.bin/azurite" --silent --disableTelemetry --location "$AZ/data" \
    --blobHost 127.0.0.1 --blobPort "$AZ_BLOB" --queueHost 127.0.0.1 --queuePort "$AZ_QUEUE" \
    --tableHost 127.0.0.1 --tablePort "$AZ_TABLE" --skipApiVersionCheck --loose \
    > "$AZ/azurite.log" 2>&1 < /dev/null &
  echo $! > "$AZ/azurite.pid"
  wait_port "$AZ_TABLE" && wait_port "$AZ_QUEUE"
}

USERS="alice@alpha.test:alice-pw bob@alpha.test:bob-pw carol@beta.test:carol-pw dave@beta.test:dave-pw erin@gamma.test:erin-pw frank@gamma.test:frank-pw sink@gamma.test:sink-pw"
# 24 numbered mailboxes spread over the three domains (m01@alpha, m02@beta, m03@gamma, ...), for pool and cap tests
for i in $(seq -w 1 24); do
  case $(( 10#$i % 3 )) in 1) d=alpha.test ;; 2) d=beta.test ;; 0) d=gamma.test ;; esac
  USERS="$USERS m$i@$d:m$i-pw"
done
# 6 mailboxes for the health engine's end-to-end tests (h01@alpha, h02@beta, ...)
for i in 01 02 03 04 05 06; do
  case $(( 10#$i % 3 )) in 1) d=alpha.test ;; 2) d=beta.test ;; 0) d=gamma.test ;; esac
  USERS="$USERS h$i@$d:h$i-pw"
done
# 4 mailboxes of `emailinfra run --demo` (demo1@alpha, demo2@beta, demo3@gamma, demo4@alpha); tests do not use them
for i in 1 2 3 4; do
  case $(( i % 3 )) in 1) d=alpha.test ;; 2) d=beta.test ;; 0) d=gamma.test ;; esac
  USERS="$USERS demo$i@$d:demo$i-pw"
done
# 12 warm-up network mailboxes (w01@alpha, w02@beta, w03@gamma, ...), used only by warm-up tests
for i in $(seq -w 1 12); do
  case $(( 10#$i % 3 )) in 1) d=alpha.test ;; 2) d=beta.test ;; 0) d=gamma.test ;; esac
  USERS="$USERS w$i@$d:w$i-pw"
done

# The mail, DNS and DKIM services run as their own users (postfix, vmail, knot, opendkim): every directory above
# $RIG_DIR must let other users pass (search, not list). A clone made inside a private temporary folder (mktemp -d
# creates it 0700) does not, and Postfix then fails with "open lock file ... Permission denied".
reachable_by_services() {
  local d=$RIG_DIR mode
  while [ "$d" != "/" ]; do
    d=$(dirname "$d")
    mode=$(stat -c %A "$d")
    case "${mode:9:1}" in
      x|t) ;;
      *) chmod o+x "$d"; log "made $d searchable by other users (o+x) so the rig's services can reach $RIG_DIR" ;;
    esac
  done
}

start_mail() {
  postfix -c "$PFC" stop >/dev/null 2>&1 || true
  [ -f "$MAIL/dovecot/dovecot.conf" ] && doveadm -c "$MAIL/dovecot/dovecot.conf" stop >/dev/null 2>&1 || true
  id vmail >/dev/null 2>&1 || useradd --system --home-dir /nonexistent --no-create-home --shell /usr/sbin/nologin vmail
  local vuid; vuid=$(id -u vmail)
  rm -rf "$MAIL"; mkdir -p "$MAIL"/{tls,dovecot/run,mail,log} "$PFC" "$MAIL/postfix-data" "$MAIL/postfix-spool"
  chmod 755 "$RIG_DIR" "$MAIL" "$MAIL/dovecot"
  chown vmail:vmail "$MAIL/mail"

  openssl req -x509 -newkey rsa:2048 -nodes -days 30 -subj "/CN=mail.rig.test" \
    -addext "subjectAltName=DNS:mail.rig.test,DNS:localhost,IP:127.0.0.1" \
    -keyout "$MAIL/tls/key.pem" -out "$MAIL/tls/cert.pem" 2>/dev/null
  chmod 600 "$MAIL/tls/key.pem"; chmod 644 "$MAIL/tls/cert.pem"

  : > "$MAIL/dovecot/users"; : > "$MAIL/vmailbox"
  for u in $USERS; do
    echo "${u%%:*}:{PLAIN}${u#*:}::::::" >> "$MAIL/dovecot/users"
    echo "${u%%:*} OK" >> "$MAIL/vmailbox"
  done
  chown root:dovecot "$MAIL/dovecot/users"; chmod 640 "$MAIL/dovecot/users"

  cat > "$MAIL/dovecot/dovecot.conf" <<CONF
base_dir = $MAIL/dovecot/run
instance_name = emailinfra-rig
protocols = imap lmtp
listen = 127.0.0.1
log_path = $MAIL/log/dovecot.log
ssl = yes
ssl_cert = <$MAIL/tls/cert.pem
ssl_key = <$MAIL/tls/key.pem
disable_plaintext_auth = no
auth_mechanisms = plain login
auth_failure_delay = 0
mail_location = maildir:~/Maildir
mail_uid = $vuid
mail_gid = $vuid
first_valid_uid = $vuid
mail_plugins =
passdb {
  driver = passwd-file
  args = scheme=PLAIN username_format=%Lu $MAIL/dovecot/users
}
userdb {
  driver = passwd-file
  args = username_format=%Lu $MAIL/dovecot/users
  default_fields = uid=vmail gid=vmail home=$MAIL/mail/%Ld/%Ln
}
namespace inbox {
  inbox = yes
  separator = /
  mailbox Drafts {
    special_use = \Drafts
    auto = subscribe
  }
  mailbox Sent {
    special_use = \Sent
    auto = subscribe
  }
  mailbox Junk {
    special_use = \Junk
    auto = subscribe
  }
  mailbox Trash {
    special_use = \Trash
    auto = subscribe
  }
  mailbox Archive {
    special_use = \Archive
    auto = subscribe
  }
}
service anvil {
  unix_listener anvil-auth-penalty {
    mode = 0
  }
}
service imap-login {
  inet_listener imap {
    address = 127.0.0.1
    port = 2143
  }
  inet_listener imaps {
    address = 127.0.0.1
    port = 2993
    ssl = yes
  }
}
service lmtp {
  inet_listener lmtp {
    address = 127.0.0.1
    port = 2424
  }
}
service auth {
  inet_listener {
    address = 127.0.0.1
    port = 2412
  }
}
protocol lmtp {
  postmaster_address = postmaster@alpha.test
  # user+Junk@domain is filed straight into that folder: tests use it to place mail in Junk
  lmtp_save_to_detail_mailbox = yes
}
protocol imap {
  mail_max_userip_connections = 100
}
CONF

  echo '/^demo3@gamma\.test$/ demo3+Junk@gamma.test' > "$MAIL/junk_recipients"
  cat > "$MAIL/remote_rcpt" <<'MAP'
ok@remote.test      OK
full@remote.test    552 5.2.2 Mailbox full
later@remote.test   450 4.2.1 Mailbox temporarily unavailable
remote.test         550 5.1.1 User unknown
MAP
  echo "remote.test   REDIRECT sink@gamma.test" > "$MAIL/remote_redirect"
  echo "remote.test   smtp:[127.0.0.1]:2526" > "$MAIL/transport"
  # submission-side recipient verdicts that tests set at run time (then 'postfix -c $PFC reload')
  : > "$MAIL/submission_rcpt"

  cat > "$PFC/main.cf" <<CONF
compatibility_level = 3.6
queue_directory = $MAIL/postfix-spool
data_directory = $MAIL/postfix-data
myhostname = mail.rig.test
mydomain = rig.test
myorigin = \$myhostname
mydestination =
alias_maps =
alias_database =
local_recipient_maps =
inet_interfaces = 127.0.0.1
inet_protocols = ipv4
smtp_bind_address = 127.0.0.1
mynetworks = 127.0.0.1/32
maillog_file = $MAIL/log/postfix.log
maillog_file_prefixes = $RIG_DIR
smtpd_banner = \$myhostname ESMTP
biff = no
recipient_delimiter = +
append_dot_mydomain = no
virtual_mailbox_domains = alpha.test beta.test gamma.test
virtual_mailbox_maps = texthash:$MAIL/vmailbox
virtual_transport = lmtp:inet:127.0.0.1:2424
# a strict receiver for the demo: everything sent to demo3@gamma.test is filed in its Junk folder (user+Junk, see lmtp),
# as a provider's filter would, so the demo shows junk placement and rescue. Envelope only; regexp so it applies once.
recipient_canonical_maps = regexp:$MAIL/junk_recipients
recipient_canonical_classes = envelope_recipient
# nothing leaves the machine: remote.test goes to the fake MX on loopback, anything else bounces at once
transport_maps = texthash:$MAIL/transport
default_transport = error:5.7.1 outbound mail disabled on this test rig
relay_transport = error:5.7.1 outbound mail disabled on this test rig
smtp_host_lookup = native
smtp_tls_security_level = none
smtpd_relay_restrictions = permit_sasl_authenticated, reject_unauth_destination
smtpd_recipient_restrictions =
smtpd_sasl_type = dovecot
smtpd_sasl_path = inet:127.0.0.1:2412
smtpd_sasl_auth_enable = no
smtpd_tls_auth_only = no
smtpd_tls_cert_file = $MAIL/tls/cert.pem
smtpd_tls_key_file = $MAIL/tls/key.pem
smtpd_tls_security_level = may
smtpd_tls_received_header = yes
# fake remote MX: remote_rcpt decides per recipient; what it accepts is REDIRECTed to sink@gamma.test
rig_sink_restrictions = check_recipient_access texthash:$MAIL/remote_redirect, check_recipient_access texthash:$MAIL/remote_rcpt, reject
rig_submission_restrictions = check_recipient_access texthash:$MAIL/submission_rcpt
# submitted mail is DKIM-signed by OpenDKIM (selector rig, key published in Knot); the tests check a signature is there
milter_default_action = tempfail
milter_protocol = 6
# fast retries/expiry so deferred mail resolves within a test run
queue_run_delay = 10s
minimal_backoff_time = 10s
maximal_backoff_time = 20s
maximal_queue_lifetime = 2m
bounce_queue_lifetime = 2m
delay_warning_time = 0
CONF

  cat > "$PFC/master.cf" <<'CONF'
127.0.0.1:2525 inet n   -       n       -       -       smtpd
  -o syslog_name=postfix/mx
127.0.0.1:2587 inet n   -       n       -       -       smtpd
  -o syslog_name=postfix/submission
  -o smtpd_milters=inet:127.0.0.1:8891
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
  -o smtpd_recipient_restrictions=$rig_submission_restrictions
127.0.0.1:2465 inet n   -       n       -       -       smtpd
  -o syslog_name=postfix/smtps
  -o smtpd_milters=inet:127.0.0.1:8891
  -o smtpd_tls_wrappermode=yes
  -o smtpd_sasl_auth_enable=yes
  -o smtpd_client_restrictions=permit_sasl_authenticated,reject
  -o smtpd_relay_restrictions=permit_sasl_authenticated,reject
127.0.0.1:2526 inet n   -       n       -       -       smtpd
  -o syslog_name=postfix/remote-mx
  -o myhostname=mx.remote.test
  -o smtpd_tls_security_level=none
  -o smtpd_relay_restrictions=
  -o smtpd_recipient_restrictions=$rig_sink_restrictions
pickup    unix  n       -       n       60      1       pickup
cleanup   unix  n       -       n       -       0       cleanup
qmgr      unix  n       -       n       300     1       qmgr
tlsmgr    unix  -       -       n       1000?   1       tlsmgr
rewrite   unix  -       -       n       -       -       trivial-rewrite
bounce    unix  -       -       n       -       0       bounce
defer     unix  -       -       n       -       0       bounce
trace     unix  -       -       n       -       0       bounce
verify    unix  -       -       n       -       1       verify
flush     unix  n       -       n       1000?   0       flush
proxymap  unix  -       -       n       -       -       proxymap
proxywrite unix -       -       n       -       1       proxymap
smtp      unix  -       -       n       -       -       smtp
relay     unix  -       -       n       -       -       smtp
showq     unix  n       -       n       -       -       showq
error     unix  -       -       n       -       -       error
retry     unix  -       -       n       -       -       error
discard   unix  -       -       n       -       -       discard
lmtp      unix  -       -       n       -       -       lmtp
anvil     unix  -       -       n       -       1       anvil
scache    unix  -       -       n       -       1       scache
postlog   unix-dgram n  -       n       -       1       postlogd
CONF

  dovecot -c "$MAIL/dovecot/dovecot.conf" </dev/null >/dev/null 2>&1
  postfix -c "$PFC" set-permissions >/dev/null 2>&1 || true
  if ! postfix -c "$PFC" check 2>&1; then script -qc "postfix -c $PFC check" /dev/null; return 1; fi
  postfix -c "$PFC" start >/dev/null 2>&1 || { script -qc "postfix -c $PFC start" /dev/null; return 1; }
  for p in 2143 2424 2412 2525 2587 2526; do wait_port "$p"; done
}

start_dns() {
  [ -f "$DNS/knot.conf" ] && knotc -c "$DNS/knot.conf" stop >/dev/null 2>&1 || true
  rm -rf "$DNS"; mkdir -p "$DNS"/{zones,db,run}
  openssl genrsa -out "$DNS/dkim-rig.key" 2048 2>/dev/null
  local p dkim
  p=$(openssl rsa -in "$DNS/dkim-rig.key" -pubout -outform DER 2>/dev/null | base64 -w0)
  # TXT character-strings hold at most 255 octets: split the key into quoted chunks
  dkim=$(echo "v=DKIM1; k=rsa; p=$p" | fold -w 200 | sed 's/.*/"&"/' | tr '\n' ' ')
  for d in alpha.test beta.test gamma.test remote.test; do
    cat > "$DNS/zones/$d.zone" <<ZONE
\$ORIGIN $d.
\$TTL 60
@       SOA   ns1.$d. hostmaster.$d. 1 3600 600 86400 60
@       NS    ns1.$d.
ns1     A     127.0.0.1
@       A     127.0.0.1
mail    A     127.0.0.1
@       MX    10 mail.$d.
@       TXT   "v=spf1 ip4:127.0.0.1 -all"
_dmarc  TXT   "v=DMARC1; p=reject; rua=mailto:dmarc@$d; adkim=s; aspf=s"
rig._domainkey TXT ( $dkim )
ZONE
  done
  # names for list-hygiene tests: a null MX (RFC 7505) and a name with an address but no MX
  cat >> "$DNS/zones/alpha.test.zone" <<'ZONE'
nullmx  MX    0 .
nomx    A     127.0.0.1
ZONE
  # audit.test: one name per audit situation (clean, no DMARC, SPF over the lookup limit, SPF not authorising the
  # sending IP, weak and revoked DKIM keys); 127.0.0.3 has a PTR that does not resolve back to it
  local weak tiny
  openssl genrsa -out "$DNS/dkim-1024.key" 1024 2>/dev/null
  openssl genrsa -out "$DNS/dkim-512.key" 512 2>/dev/null
  weak=$(openssl rsa -in "$DNS/dkim-1024.key" -pubout -outform DER 2>/dev/null | base64 -w0)
  tiny=$(openssl rsa -in "$DNS/dkim-512.key" -pubout -outform DER 2>/dev/null | base64 -w0)
  {
    echo '$ORIGIN audit.test.'
    echo '$TTL 60'
    echo '@ SOA ns1.audit.test. hostmaster.audit.test. 1 3600 600 86400 60'
    echo '@ NS ns1.audit.test.'
    echo 'ns1 A 127.0.0.1'
    echo 'mail A 127.0.0.1'
    for n in clean nodmarc overlimit wrongip weakdkim; do
      echo "$n MX 10 mail.audit.test."
      echo "rig._domainkey.$n TXT ( $dkim )"
    done
    for n in clean nodmarc weakdkim; do echo "$n TXT \"v=spf1 ip4:127.0.0.1 -all\""; done
    for n in clean overlimit wrongip weakdkim; do echo "_dmarc.$n TXT \"v=DMARC1; p=reject; rua=mailto:dmarc@$n.audit.test\""; done
    echo 'wrongip TXT "v=spf1 ip4:192.0.2.10 -all"'
    echo 'overlimit TXT "v=spf1 include:i1.audit.test include:i2.audit.test include:i3.audit.test include:i4.audit.test include:i5.audit.test include:i6.audit.test ip4:127.0.0.1 -all"'
    for i in 1 2 3 4 5 6; do echo "i$i TXT \"v=spf1 a:x1.audit.test a:x2.audit.test -all\""; done
    echo "weak._domainkey.weakdkim TXT \"v=DKIM1; k=rsa; p=$weak\""
    echo "tiny._domainkey.weakdkim TXT \"v=DKIM1; k=rsa; p=$tiny\""
    echo 'gone._domainkey.weakdkim TXT "v=DKIM1; k=rsa; p="'
    echo '_mta-sts.clean TXT "v=STSv1; id=20261128"'
    echo '_smtp._tls.clean TXT "v=TLSRPTv1; rua=mailto:tls@clean.audit.test"'
    echo 'x1 A 192.0.2.1'
    echo 'x2 A 192.0.2.2'
    echo 'elsewhere A 192.0.2.3'
  } > "$DNS/zones/audit.test.zone"
  cat > "$DNS/zones/127.in-addr.arpa.zone" <<'ZONE'
$ORIGIN 127.in-addr.arpa.
$TTL 60
@        SOA  ns1.alpha.test. hostmaster.alpha.test. 1 3600 600 86400 60
@        NS   ns1.alpha.test.
1.0.0    PTR  mail.alpha.test.
3.0.0    PTR  elsewhere.audit.test.
ZONE
  # co.uk: a public suffix (PSL) with a trap record at _dmarc.co.uk; mail.shop.co.uk inherits from shop.co.uk, its organisational domain
  cat > "$DNS/zones/co.uk.zone" <<'ZONE'
$ORIGIN co.uk.
$TTL 60
@             SOA  ns1.co.uk. hostmaster.co.uk. 1 3600 600 86400 60
@             NS   ns1.co.uk.
ns1           A    127.0.0.1
_dmarc        TXT  "v=DMARC1; p=none"
mail.shop     A    127.0.0.1
_dmarc.shop   TXT  "v=DMARC1; p=reject; rua=mailto:dmarc@shop.co.uk"
ZONE
  cat > "$DNS/zones/zen.test.zone" <<'ZONE'
$ORIGIN zen.test.
$TTL 60
@          SOA  ns1.zen.test. hostmaster.zen.test. 1 3600 600 86400 60
@          NS   ns1.zen.test.
ns1        A    127.0.0.1
2.0.0.127  A    127.0.0.2
2.0.0.127  TXT  "Listed in zen.test"
4.0.0.127  A    127.255.255.254
ZONE
  cat > "$DNS/knot.conf" <<CONF
server:
    listen: 127.0.0.1@$DNS_PORT
    rundir: "$DNS/run"
log:
  - target: "$DNS/knot.log"
    any: info
database:
    storage: "$DNS/db"
template:
  - id: default
    storage: "$DNS/zones"
    file: "%s.zone"
    semantic-checks: on
    zonefile-sync: -1
    zonefile-load: whole
    journal-content: none
zone:
  - domain: alpha.test
  - domain: beta.test
  - domain: gamma.test
  - domain: remote.test
  - domain: zen.test
  - domain: audit.test
  - domain: co.uk
  - domain: 127.in-addr.arpa
CONF
  knotc -c "$DNS/knot.conf" conf-check >/dev/null
  knotd -c "$DNS/knot.conf" -d </dev/null >/dev/null 2>&1
  for _ in $(seq 1 50); do
    dig +short +time=1 +tries=1 @127.0.0.1 -p "$DNS_PORT" alpha.test SOA >/dev/null 2>&1 && return 0; sleep 0.2
  done
  log "knot did not answer"; return 1
}

# OpenDKIM signs what the submission ports accept for alpha/beta/gamma.test with the key of rig._domainkey
start_dkim() {
  if [ -f "$DKIM/opendkim.pid" ]; then kill "$(cat "$DKIM/opendkim.pid")" 2>/dev/null || true; fi
  # the old daemon may take a moment to let go of its port: a new one started meanwhile fails to bind, and the port
  # check below would be answered by the old one, which then exits (every submission then gets 454 4.3.0)
  for _ in $(seq 1 50); do port_free "$DKIM_PORT" && break; sleep 0.2; done
  port_free "$DKIM_PORT" || { log "port $DKIM_PORT is in use by another process; stop it"; return 1; }
  rm -rf "$DKIM"; mkdir -p "$DKIM"
  cp "$DNS/dkim-rig.key" "$DKIM/rig.key"
  : > "$DKIM/keytable"; : > "$DKIM/signingtable"
  for d in alpha.test beta.test gamma.test; do
    echo "rig._domainkey.$d $d:rig:$DKIM/rig.key" >> "$DKIM/keytable"
    echo "*@$d rig._domainkey.$d" >> "$DKIM/signingtable"
  done
  local user=""
  if id opendkim >/dev/null 2>&1; then user="UserID opendkim:opendkim"; chown -R opendkim:opendkim "$DKIM"; chmod 700 "$DKIM"; chmod 600 "$DKIM/rig.key"; fi
  cat > "$DKIM/opendkim.conf" <<CONF
Mode s
Socket inet:$DKIM_PORT@127.0.0.1
PidFile $DKIM/opendkim.pid
$user
KeyTable file:$DKIM/keytable
SigningTable refile:$DKIM/signingtable
Canonicalization relaxed/relaxed
RequireSafeKeys no
Syslog no
UMask 007
CONF
  opendkim -x "$DKIM/opendkim.conf"
  wait_port "$DKIM_PORT"
}

write_env() {
  # what tests and the local host read to find the rig
  cat > "$RIG_DIR/rig.env" <<ENV
EMAILINFRA_RIG_DIR=$RIG_DIR
EMAILINFRA_RIG_STORAGE=DefaultEndpointsProtocol=http;AccountName=devstoreaccount1;AccountKey=Eby8vdM02xNOcqFlqUwJPLlmEtlCDXJ1OUzFT50uSRZ6IFsuFq2UVErCz4I6tq/K1SZFPTOtr/KBHBeksoGMGw==;BlobEndpoint=http://127.0.0.1:$AZ_BLOB/devstoreaccount1;QueueEndpoint=http://127.0.0.1:$AZ_QUEUE/devstoreaccount1;TableEndpoint=http://127.0.0.1:$AZ_TABLE/devstoreaccount1;
EMAILINFRA_RIG_CERT=$MAIL/tls/cert.pem
EMAILINFRA_RIG_DNS=127.0.0.1:$DNS_PORT
EMAILINFRA_RIG_POSTFIX_CONFIG=$PFC
EMAILINFRA_RIG_SUBMISSION_MAP=$MAIL/submission_rcpt
ENV
}

status() {
  for p in "$AZ_TABLE" "$AZ_QUEUE" 2525 2587 2526 2143 2424 "$DNS_PORT" "$DKIM_PORT"; do
    if (exec 3<>/dev/tcp/127.0.0.1/"$p") 2>/dev/null; then echo "127.0.0.1:$p up"; else echo "127.0.0.1:$p down"; fi
  done
}

case "${1:-}" in
  install) install ;;
  start)
    install; mkdir -p "$RIG_DIR"; reachable_by_services
    start_azurite; log "azurite up (tables :$AZ_TABLE, queues :$AZ_QUEUE)"
    start_mail; log "postfix + dovecot up (submission :2587, imap :2143, remote MX :2526)"
    start_dns; log "knot up (:$DNS_PORT)"
    start_dkim; log "opendkim up (:$DKIM_PORT, signing submitted mail)"
    write_env ;;
  stop) stop ;;
  status) status ;;
  *) echo "usage: $0 install|start|stop|status" >&2; exit 2 ;;
esac
