#!/usr/bin/env bash
# Pipewright's CircleCI emitter and parser against CircleCI's TypeScript config SDK, on this
# machine, in one run: `bench circleci-emit` and `bench circleci-parse` from the examples jar, and
# circleci-sdk-bench.mjs doing the same work with @circleci/circleci-config-sdk and
# @circleci/circleci-config-parser. Prints every result line, then the ratios (Pipewright ÷ SDK
# throughput; the goal is at least 2×).
#
#   examples/bench/compare-circleci.sh
#
# Needs the jar (./mvnw -B -q -DskipTests package), Java 17+, Node 18+ with npm, and ../shared
# (the corpus and tools/circleci-check, whose pinned SDK packages are installed into a temporary
# folder with npm ci, without network access to anything else). Takes about two minutes.
# PIPEWRIGHT_JAR overrides the jar. Exit status: 0 done, 2 setup error. Speed below the goal is
# reported, not an error: timings on a shared machine are too noisy to gate on.
set -euo pipefail

here=$(cd "$(dirname "$0")" && pwd)
root=$(cd "$here/../.." && pwd)
jar=${PIPEWRIGHT_JAR:-$root/examples/target/pipewright-examples.jar}

die() { echo "compare-circleci: $*" >&2; exit 2; }

[[ -f $jar ]] || die "no $jar; build it first: (cd $root && ./mvnw -B -q -DskipTests package)"
command -v java >/dev/null || die "java is not on the PATH"
command -v node >/dev/null || die "node is not on the PATH"
command -v npm >/dev/null || die "npm is not on the PATH"

# ../shared beside the project or one of its parents, as the benchmarks look for it.
shared=""
dir=$root
while [[ $dir != / ]]; do
  if [[ -d $(dirname "$dir")/shared/corpus/circleci ]]; then
    shared=$(cd "$(dirname "$dir")/shared" && pwd)
    break
  fi
  dir=$(dirname "$dir")
done
[[ -n $shared ]] || die "no shared/corpus/circleci beside $root or one of its parents"
corpus=$shared/corpus/circleci
[[ -d $shared/tools/circleci-check ]] || die "no $shared/tools/circleci-check"

work=$(mktemp -d)
trap 'rm -rf "$work"' EXIT

echo "== installing CircleCI's SDK and parser (circleci-check's pinned versions) into $work/sdk"
cp -r "$shared/tools/circleci-check" "$work/sdk"
(cd "$work/sdk" && npm ci --silent --no-audit --no-fund >/dev/null)

cores=$(nproc)
cpu=$(grep -m1 'model name' /proc/cpuinfo 2>/dev/null | cut -d: -f2- | sed 's/^ *//' || true)
echo "== machine: $cores cores${cpu:+, $cpu}; $(java -version 2>&1 | head -n 1); node $(node --version)"
echo "== load average before: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"

sdk() { node "$here/circleci-sdk-bench.mjs" --sdk "$work/sdk" --corpus "$corpus" --json "$@"; }
pw() { java -jar "$jar" bench "$@" --json; }

# Emit, then parse; SDK first each time, so the parse subset is known before Pipewright's run.
echo "== circleci-emit: 5,000 jobs in 20 workflows, written again and again"
sdk circleci-emit --dump "$work/sdk-emit.yml" | tee "$work/sdk-emit.jsonl"
pw circleci-emit --dump "$work/pw-emit.yml" | tee "$work/pw-emit.jsonl"

echo "== circleci-parse: the corpus, 100 rounds (SDK: only the files its parser reads)"
sdk circleci-parse --parsed-list "$work/sdk-parsed.txt" 2> "$work/sdk-parse.err" | tee "$work/sdk-parse.jsonl"
mapfile -t subset < "$work/sdk-parsed.txt"
pw circleci-parse --corpus "$corpus" --only "${subset[@]}" | tee "$work/pw-parse-subset.jsonl"
pw circleci-parse --corpus "$corpus" | tee "$work/pw-parse-all.jsonl"
echo "== the SDK parser's rejections"
sed 's/^/  /' "$work/sdk-parse.err"
echo "== load average after: $(cut -d' ' -f1-3 /proc/loadavg 2>/dev/null || echo unknown)"

# Both sides must have emitted the same configuration: read both back with Pipewright and
# compare the canonical YAML it writes (key order and shorthands normalised, comments dropped).
canonical() { java -jar "$jar" circleci roundtrip "$1" | grep -v '^#'; }
if cmp -s <(canonical "$work/sdk-emit.yml") <(canonical "$work/pw-emit.yml"); then
  same="yes: both read back as the same data"
else
  same="NO: the configurations differ; the emit comparison is not like for like"
fi

node - "$work" "$cores" "$same" "${#subset[@]}" <<'EOF'
const { readFileSync } = require('node:fs');
const [work, cores, same, subsetCount] = process.argv.slice(2);
const read = (file) => Object.fromEntries(readFileSync(`${work}/${file}`, 'utf8').trim().split('\n')
  .map((line) => JSON.parse(line)).map((r) => [r.metric, r]));
const sdkEmit = read('sdk-emit.jsonl'), pwEmit = read('pw-emit.jsonl');
const sdkParse = read('sdk-parse.jsonl'), pwSubset = read('pw-parse-subset.jsonl'), pwAll = read('pw-parse-all.jsonl');
const fmt = (v) => v.toFixed(v < 10 ? 2 : 1);
const rows = [
  ['emit throughput (MB/s of own YAML)', pwEmit['emit-throughput'].value, sdkEmit['emit-throughput'].value],
  ['emit time, median (SDK ms / Pipewright ms)', pwEmit['emit-median-ms'].value, sdkEmit['emit-median-ms'].value, true],
  [`parse throughput, the ${subsetCount} files the SDK reads (MB/s)`, pwSubset['parse-throughput'].value, sdkParse['parse-throughput'].value],
];
console.log(`\n== ratios (machine: ${cores} cores; goal: Pipewright at least 2x the SDK)`);
console.log(`${'measure'.padEnd(56)} ${'Pipewright'.padStart(11)} ${'SDK'.padStart(11)} ${'ratio'.padStart(8)}`);
let met = true;
for (const [label, pw, sdk, timing] of rows) {
  const ratio = timing ? sdk / pw : pw / sdk;
  met &&= ratio >= 2;
  console.log(`${label.padEnd(56)} ${fmt(pw).padStart(11)} ${fmt(sdk).padStart(11)} ${(ratio.toFixed(1) + 'x').padStart(8)}`);
}
console.log(`${`parse throughput, all ${pwAll['corpus-files'].value} corpus files (MB/s)`.padEnd(56)} ${fmt(pwAll['parse-throughput'].value).padStart(11)} ${'n/a'.padStart(11)}`);
console.log(`emitted configurations equal: ${same}`);
console.log(`goal (>= 2x on every ratio): ${met ? 'met' : 'NOT met'}`);
EOF
