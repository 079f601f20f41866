#!/usr/bin/env bash
# Prints the absolute path of an OpenTofu CLI for the acceptance tests: the one
# on PATH, else v1.10.10 built from its module source (design.md §5) into
# tools/bin (cached; git-ignored).
set -euo pipefail
root=$(cd "$(dirname "$0")/.." && pwd)
want=1.10.10
if command -v tofu >/dev/null 2>&1; then command -v tofu; exit 0; fi
bin="$root/tools/bin/tofu"
if [ -x "$bin" ]; then echo "$bin"; exit 0; fi
mkdir -p "$root/tools/bin"
echo "building OpenTofu v$want from its module source into tools/bin (a few minutes, once)" >&2
dir=$(go mod download -json "github.com/opentofu/opentofu@v$want" | sed -n 's/.*"Dir": *"\(.*\)",*/\1/p')
[ -n "$dir" ] || { echo "cannot download OpenTofu v$want" >&2; exit 1; }
(cd "$dir" && GOFLAGS="-mod=mod -buildvcs=false" go build -o "$bin" ./cmd/tofu) >&2
echo "$bin"
