#!/usr/bin/env bash
# Runs one fuzz target with Jazzer's standalone driver for a fixed number of executions (by hand; CI runs the
# short JUnit version). Usage: tools/fuzz/run.sh TARGET RUNS [extra libFuzzer flags]
#   TARGET: wav | flac | pickle | safetensors | model-json
# The generated corpus goes to target/fuzz/TARGET/corpus (the committed inputs are read as seeds), findings to
# target/fuzz/TARGET/, the log to target/fuzz/TARGET.log. A finding is any exception other than an
# EarshotException, an OutOfMemoryError (-Xmx1g, -rss_limit_mb=3072) or an input running longer than 2 s.
set -euo pipefail
cd "$(dirname "${BASH_SOURCE[0]}")/../.."
target=$1
runs=$2
shift 2
res=earshot-core/src/test/resources/dev/earshot
case "$target" in
  wav) class='dev.earshot.audio.AudioDecodeFuzzTest$Wav'; seeds=$res/audio/AudioDecodeFuzzTestInputs/wav ;;
  flac) class='dev.earshot.audio.AudioDecodeFuzzTest$Flac'; seeds=$res/audio/AudioDecodeFuzzTestInputs/flac ;;
  pickle) class='dev.earshot.io.CheckpointReadersFuzzTest$Pickle'; seeds=$res/io/CheckpointReadersFuzzTestInputs/pickle ;;
  safetensors) class='dev.earshot.io.CheckpointReadersFuzzTest$Safe'; seeds=$res/io/CheckpointReadersFuzzTestInputs/safetensors ;;
  model-json) class='dev.earshot.model.ModelJsonFuzzTest$Manifest'; seeds=$res/model/ModelJsonFuzzTestInputs/modelJson ;;
  *) echo "unknown target $target" >&2; exit 2 ;;
esac
cp_file=earshot-core/target/fuzz-classpath.txt
if [ ! -f "$cp_file" ] || [ earshot-core/pom.xml -nt "$cp_file" ]; then
  mvn -B -q -o dependency:build-classpath -pl earshot-core -Dmdep.includeScope=test -Dmdep.outputFile=target/fuzz-classpath.txt
fi
out=earshot-core/target/fuzz/$target
mkdir -p "$out/corpus"
# a private copy of the compiled classes: a build during a long run must not change them under the fuzzer
# (FUZZ_CLASSES=DIR reuses a copy made earlier, with DIR/main and DIR/test)
snapshot="${FUZZ_CLASSES:-$out/classes}"
if [ -z "${FUZZ_CLASSES:-}" ]; then
  rm -rf "$snapshot"
  mkdir -p "$snapshot"
  cp -r earshot-core/target/classes "$snapshot/main"
  cp -r earshot-core/target/test-classes "$snapshot/test"
fi
export OMP_WAIT_POLICY=PASSIVE
java -Xmx1g -Xss4m -Djava.awt.headless=true \
  -cp "$snapshot/test:$snapshot/main:$(cat $cp_file)" \
  com.code_intelligence.jazzer.Jazzer \
  --target_class="$class" \
  --instrumentation_includes='dev.earshot.**' \
  -runs="$runs" -timeout=2 -rss_limit_mb=3072 -print_final_stats=1 -artifact_prefix="$out/" \
  "$@" "$out/corpus" "$seeds" 2>&1 | tee "earshot-core/target/fuzz/$target.log" | grep -E "^#[0-9]+.*(DONE|pulse)|^==|Exception|Error|stat::|^Done" || true
