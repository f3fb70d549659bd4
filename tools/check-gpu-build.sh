#!/usr/bin/env bash
# Resolve-check of the GPU build (mvn -Pgpu) without downloading its ~840 MB of natives: Maven resolves the
# whole dependency graph of the 'gpu' profile (POMs only), then every native jar of that graph is asked for
# with an HTTP HEAD on Maven Central. Exit 0 when all exist. Run by .ci/run.
set -euo pipefail
ROOT="$(cd "$(dirname "${BASH_SOURCE[0]}")/.." && pwd)"
CENTRAL="${MAVEN_CENTRAL:-https://repo.maven.apache.org/maven2}"
TREE="$(mktemp)"
trap 'rm -f "$TREE"' EXIT
(cd "$ROOT" && mvn -B -q -Pgpu -pl earshot-core dependency:tree -Dscope=runtime -DoutputFile="$TREE" >/dev/null)
status=0
# lines like: +- org.bytedeco:pytorch:jar:linux-x86_64-gpu:2.10.0-1.5.13:runtime
grep -oE 'org\.bytedeco:[^:]+:jar:[^:]+:[^:]+:(compile|runtime)' "$TREE" | while IFS=: read -r group artifact _ classifier version _; do
  url="$CENTRAL/${group//.//}/$artifact/$version/$artifact-$version-$classifier.jar"
  code="$(curl -s -o /dev/null -w '%{http_code}' -I "$url" || true)"
  size="$(curl -sI "$url" | tr -d '\r' | awk 'tolower($1) == "content-length:" {print $2}' || true)"
  if [[ "$code" == 200 ]]; then
    printf 'gpu build: %s:%s:%s (%s MB) found\n' "$artifact" "$classifier" "$version" "$(( ${size:-0} / 1000000 ))"
  else
    printf 'gpu build: %s:%s:%s MISSING (HTTP %s: %s)\n' "$artifact" "$classifier" "$version" "$code" "$url" >&2
    exit 1
  fi
done || status=1
grep -q 'linux-x86_64-gpu' "$TREE" || { echo "gpu build: the profile did not select the GPU natives" >&2; status=1; }
exit $status
