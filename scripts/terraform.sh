#!/usr/bin/env bash
# Prints the absolute path of a Terraform CLI >= 1.8 for the acceptance tests
# and tfplugindocs: the one on PATH if it is recent enough, else v1.8.5 built
# from the Go module proxy into tools/bin (cached; git-ignored).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
want=1.8.5
ok() { # ok BIN: is BIN a terraform >= 1.8?
  local v
  v=$("$1" version -json 2>/dev/null | sed -n 's/.*"terraform_version": *"\([0-9][0-9.]*\).*/\1/p' | head -1)
  [ -n "$v" ] || return 1
  local major minor
  major=${v%%.*}; minor=${v#*.}; minor=${minor%%.*}
  [ "$major" -gt 1 ] || { [ "$major" -eq 1 ] && [ "$minor" -ge 8 ]; }
}
if [ -n "${TF_ACC_TERRAFORM_PATH:-}" ] && ok "$TF_ACC_TERRAFORM_PATH"; then echo "$TF_ACC_TERRAFORM_PATH"; exit 0; fi
if command -v terraform >/dev/null 2>&1 && ok "$(command -v terraform)"; then command -v terraform; exit 0; fi
bin="$root/tools/bin/terraform"
if [ -x "$bin" ] && ok "$bin"; then echo "$bin"; exit 0; fi
mkdir -p "$root/tools/bin"
echo "building Terraform v$want from the Go module proxy into tools/bin (a few minutes, once)" >&2
GOBIN="$root/tools/bin" GOFLAGS=-buildvcs=false go install "github.com/hashicorp/terraform@v$want" >&2
echo "$bin"
