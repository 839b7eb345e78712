#!/bin/bash
# Benchmarks, one command: SMTP send throughput against Postfix's smtp-sink, with smtp-source as the baseline.
# Needs root (smtp-sink drops to "nobody") and Postfix's tools (installed by scripts/rig.sh install).
set -euo pipefail
ROOT=$(cd "$(dirname "$0")/.." && pwd)
command -v smtp-sink >/dev/null || "$ROOT/scripts/rig.sh" install
dotnet run -c Release --project "$ROOT/bench/EmailInfra.Bench" -- "$@"
