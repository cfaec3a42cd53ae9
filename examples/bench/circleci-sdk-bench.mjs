#!/usr/bin/env node
// The baseline for `bench circleci-emit` and `bench circleci-parse`: the same work done with
// CircleCI's TypeScript config SDK (@circleci/circleci-config-sdk, written out with stringify())
// and its companion parser (@circleci/circleci-config-parser, parseConfig()).
//
//   node circleci-sdk-bench.mjs --sdk DIR [--json] [--corpus DIR] [--parsed-list FILE]
//        [--dump FILE] [--smoke] [circleci-emit] [circleci-parse]
//
//   --sdk DIR           a folder where both packages are installed (node_modules/@circleci/...),
//                       such as a copy of ../shared/tools/circleci-check after `npm ci`
//   --json              one JSON object a line: {"name": .., "metric": .., "value": .., "unit": ..},
//                       names prefixed "sdk-" (sdk-circleci-emit, sdk-circleci-parse)
//   --corpus DIR        the corpus (default: shared/corpus/circleci beside the working directory
//                       or one of its parents, as the Java benchmark finds it)
//   --parsed-list FILE  write the names of the corpus files the SDK parser can read, one a line,
//                       for `bench circleci-parse --only` on the same subset
//   --dump FILE         write the emitted YAML once, to check it is the Java benchmark's config
//   --smoke             tiny sizes and no warm-up: checks the script runs, measures nothing
//
// The emitted configuration mirrors CircleCiEmitBenchmark.java (change both together): 5,000 jobs
// in 20 workflows, each job with a Docker executor, a resource class, an environment and 5 to 10
// steps; each workflow chains its jobs with requires, gives them contexts and filters, and holds
// one approval job. The SDK always writes a job's resource_class and the config's `setup: false`,
// so the Java config has them too.
//
// Parsing: the SDK parser rejects most real configs; the files it cannot parse are reported on
// stderr and left out. To give it the files it can read, each parse (timed) first reads the YAML
// with the `yaml` package and its YAML 1.1 merge keys (the parser's own YAML reading has none),
// stubs the manifests of the orbs the config uses from the config itself (the parser cannot fetch
// orbs) and replaces orb versions its import pattern rejects (digits above 5, pipeline
// parameters) with 1.0.0. Pipewright's parser needs none of this.
//
// Exit status: 0 done, 2 usage or setup error.

import { readFileSync, readdirSync, writeFileSync, existsSync, statSync } from 'node:fs';
import { createRequire } from 'node:module';
import path from 'node:path';

const EMIT = 'circleci-emit';
const PARSE = 'circleci-parse';

function fail(message) {
  process.stderr.write(`error: ${message}\n`);
  process.exit(2);
}

function parseArgs(argv) {
  const opts = { json: false, smoke: false, sdk: null, corpus: null, parsedList: null, dump: null, benchmarks: [] };
  const value = (i, name) => (i + 1 < argv.length ? argv[i + 1] : fail(`${name} needs a value`));
  for (let i = 0; i < argv.length; i++) {
    const a = argv[i];
    if (a === '--json') opts.json = true;
    else if (a === '--smoke') opts.smoke = true;
    else if (a === '--sdk') opts.sdk = value(i++, a);
    else if (a === '--corpus') opts.corpus = value(i++, a);
    else if (a === '--parsed-list') opts.parsedList = value(i++, a);
    else if (a === '--dump') opts.dump = value(i++, a);
    else if (a === EMIT || a === PARSE) opts.benchmarks.push(a);
    else {
      fail(`unknown argument '${a}'; benchmarks: [${EMIT}, ${PARSE}]; options: --sdk DIR, --json, --corpus DIR,`
        + ' --parsed-list FILE, --dump FILE, --smoke');
    }
  }
  if (!opts.sdk) fail('--sdk DIR is required: a folder with node_modules/@circleci/circleci-config-sdk and -parser');
  if (opts.benchmarks.length === 0) opts.benchmarks = [EMIT, PARSE];
  return opts;
}

const opts = parseArgs(process.argv.slice(2));
const sdkRequire = createRequire(path.join(path.resolve(opts.sdk), 'package.json'));
function load(id) {
  try {
    return sdkRequire(id);
  } catch (e) {
    return fail(`cannot load ${id} from ${opts.sdk}: ${e.message.split('\n')[0]}. Run npm ci there first.`);
  }
}
const CircleCI = load('@circleci/circleci-config-sdk');
const YAML = load('yaml');
const versions = {
  sdk: sdkRequire('@circleci/circleci-config-sdk/package.json').version,
  parser: sdkRequire('@circleci/circleci-config-parser/package.json').version,
};

// ------------------------------------------------------------------ harness
const SCALE = opts.smoke
  ? { jobs: 40, workflows: 2, emit: { warmupMs: 0, minWarmups: 1, measureMs: 0, min: 2, max: 2 },
      parse: { warmupMs: 0, minWarmups: 0, measureMs: 0, min: 2, max: 2 } }
  : { jobs: 5000, workflows: 20, emit: { warmupMs: 5000, minWarmups: 3, measureMs: 10000, min: 10, max: 500 },
      parse: { warmupMs: 3000, minWarmups: 5, measureMs: 0, min: 100, max: 100 } };

let sink = 0; // every result feeds it, so no work can be dropped

function measure(budget, operation) {
  const now = () => process.hrtime.bigint();
  const warmupStart = now();
  const warmupEnd = warmupStart + BigInt(budget.warmupMs) * 1_000_000n;
  let warmups = 0;
  while (warmups < budget.minWarmups || now() < warmupEnd) {
    sink += consume(operation());
    warmups++;
  }
  const warmupNanos = Number(now() - warmupStart);
  const nanos = [];
  const end = now() + BigInt(budget.measureMs) * 1_000_000n;
  while (nanos.length < budget.min || (nanos.length < budget.max && now() < end)) {
    const start = now();
    const result = operation();
    nanos.push(Number(now() - start));
    sink += consume(result);
  }
  const sorted = [...nanos].sort((a, b) => a - b);
  const mid = sorted.length >> 1;
  const median = Math.max(1, sorted.length % 2 ? sorted[mid] : (sorted[mid - 1] + sorted[mid]) / 2);
  const total = Math.max(1, nanos.reduce((a, b) => a + b, 0));
  return { nanos, median, total, min: sorted[0], max: sorted[sorted.length - 1], warmups, warmupNanos };
}

function consume(result) {
  return typeof result === 'string' ? result.length : typeof result === 'number' ? result : 1;
}

function round3(v) {
  return Number(v.toFixed(3));
}

function print(summary, results) {
  if (opts.json) {
    for (const r of results) {
      process.stdout.write(`{"name": ${JSON.stringify(r.name)}, "metric": ${JSON.stringify(r.metric)},`
        + ` "value": ${round3(r.value)}, "unit": ${JSON.stringify(r.unit)}}\n`);
    }
    return;
  }
  process.stdout.write(`${summary}\n`);
  const width = Math.max(...results.map((r) => r.metric.length));
  for (const r of results) process.stdout.write(`  ${r.metric.padEnd(width)}  ${String(round3(r.value)).padStart(12)} ${r.unit}\n`);
}

// ------------------------------------------------------------------ circleci-emit
const IMAGES = ['cimg/openjdk:17.0', 'cimg/node:20.11', 'cimg/python:3.12', 'cimg/go:1.22'];
const RESOURCE_CLASSES = ['small', 'medium', 'large'];
const KINDS = ['build', 'test', 'lint', 'package', 'integration-test', 'deploy'];
const STAGES = ['development', 'staging', 'production'];

const pad = (n, width) => String(n).padStart(width, '0');
const jobName = (i) => `job-${pad(i, 4)}-${KINDS[i % KINDS.length]}`;

function sdkJob(i) {
  const { Job, executors, commands } = CircleCI;
  const service = `svc-${Math.floor(i / 10)}`;
  const environment = { SERVICE: service, STAGE: STAGES[i % STAGES.length], JAVA_TOOL_OPTIONS: `-Xmx${512 + 256 * (i % 4)}m` };
  if (i % 2 === 0) environment.LOG_LEVEL = 'debug';
  const lock = `v1-deps-{{ checksum "lockfile-${i % 7}" }}`;
  const steps = [
    new commands.Checkout(),
    new commands.cache.Restore({ keys: [lock, 'v1-deps-'] }),
    new commands.Run({ name: 'Install and test', command: `set -euo pipefail\n./scripts/install.sh --service ${service}\n./scripts/test.sh --shard ${i % 4} --total 4 \\\n  --junit test-results/junit.xml\n` }),
    new commands.cache.Save({ key: lock, paths: ['~/.cache', 'node_modules'] }),
  ];
  const extras = i % 6; // 5 to 10 steps
  if (extras >= 1) steps.push(new commands.Run({ command: './scripts/lint.sh --strict' }));
  if (extras >= 2) steps.push(new commands.Run({ name: 'Package', command: `mkdir -p dist\n./scripts/package.sh --out dist/${service}.tar.gz\nls -l dist\n`, environment: { PACKAGE_FORMAT: 'tar.gz' } }));
  if (extras >= 3) steps.push(new commands.StoreArtifacts({ path: 'dist', destination: 'artifacts' }));
  if (extras >= 4) steps.push(new commands.Run({ name: 'Publish coverage', command: `curl -fsS https://coverage.example.org/upload \\\n  -F service=${service} -F file=@coverage.xml\n` }));
  if (extras >= 5) steps.push(new commands.workspace.Persist({ root: '.', paths: ['dist'] }));
  steps.push(new commands.StoreTestResults({ path: 'test-results' }));
  const executor = new executors.DockerExecutor(IMAGES[i % IMAGES.length], RESOURCE_CLASSES[i % RESOURCE_CLASSES.length]);
  return new Job(jobName(i), executor, steps, { environment });
}

function sdkConfig(totalJobs, workflowCount) {
  const jobs = [];
  for (let i = 0; i < totalJobs; i++) jobs.push(sdkJob(i));
  const per = totalJobs / workflowCount;
  const workflows = [];
  for (let w = 0; w < workflowCount; w++) {
    const workflow = new CircleCI.Workflow(`workflow-${pad(w, 2)}`);
    const approval = `hold-workflow-${pad(w, 2)}`;
    const approvalAt = Math.floor((per * 4) / 5);
    for (let k = 0; k < per; k++) {
      const i = w * per + k;
      if (k === approvalAt) {
        workflow.addJobApproval(approval, { requires: [jobName(i - 1)], filters: { branches: { only: ['main'] } } });
      }
      const params = {};
      if (k % 4 !== 3) params.context = k % 3 === 0 ? ['org-global', `team-${w % 5}`] : ['org-global'];
      if (k === approvalAt) params.requires = [approval];
      else if (k >= 2 && k % 5 === 0) params.requires = [jobName(i - 1), jobName(i - 2)];
      else if (k >= 1) params.requires = [jobName(i - 1)];
      if (k % 4 === 0) params.filters = { branches: { only: ['main', '/release\\/.*/'] } };
      else if (k % 4 === 1) params.filters = { branches: { ignore: ['/dependabot\\/.*/'] } };
      else if (k % 4 === 2) params.filters = { branches: { only: ['main'] }, tags: { only: ['/^v\\d+\\.\\d+\\.\\d+$/'] } };
      workflow.addJob(jobs[i], params);
    }
    workflows.push(workflow);
  }
  return new CircleCI.Config(false, jobs, workflows);
}

function benchEmit() {
  const name = `sdk-${EMIT}`;
  const config = sdkConfig(SCALE.jobs, SCALE.workflows);
  const yaml = config.stringify();
  const bytes = Buffer.byteLength(yaml, 'utf8');
  if (opts.dump) writeFileSync(opts.dump, yaml);
  const m = measure(SCALE.emit, () => config.stringify());
  const seconds = m.median / 1e9;
  const summary = `${name}: ${SCALE.jobs} jobs in ${SCALE.workflows} workflows, ${(bytes / 1e6).toFixed(2)} MB of YAML`
    + ` per stringify(); median of ${m.nanos.length} (min ${(m.min / 1e6).toFixed(1)} ms, max ${(m.max / 1e6).toFixed(1)} ms)`
    + ` after ${m.warmups} warm-up runs in ${(m.warmupNanos / 1e9).toFixed(1)} s; SDK ${versions.sdk}, node ${process.version}`;
  print(summary, [
    { name, metric: 'emit-throughput', value: bytes / 1e6 / seconds, unit: 'MB/s' },
    { name, metric: 'emit-median-ms', value: seconds * 1e3, unit: 'ms' },
    { name, metric: 'emit-yaml-size', value: bytes / 1e6, unit: 'MB' },
  ]);
}

// ------------------------------------------------------------------ circleci-parse
function locateCorpus() {
  const relative = path.join('shared', 'corpus', 'circleci');
  const looked = [];
  for (let dir = process.cwd(); path.dirname(dir) !== dir; dir = path.dirname(dir)) {
    const candidate = path.join(path.dirname(dir), relative);
    if (existsSync(candidate) && statSync(candidate).isDirectory()) return candidate;
    looked.push(candidate);
  }
  return fail(`no CircleCI corpus found; looked for ${relative} beside ${process.cwd()} and each of its parents:`
    + ` ${looked.join(', ')}. Pass --corpus DIR.`);
}

// A fresh copy of the parser: it keeps its parse stack in module state, which a failed parse leaves dirty.
function freshParser() {
  const root = path.dirname(sdkRequire.resolve('@circleci/circleci-config-parser/package.json'));
  for (const key of Object.keys(sdkRequire.cache)) if (key.startsWith(root + path.sep)) delete sdkRequire.cache[key];
  return sdkRequire('@circleci/circleci-config-parser');
}

const WORKFLOW_JOB_KEYS = new Set(['requires', 'name', 'context', 'filters', 'matrix', 'type', 'pre-steps', 'post-steps', 'serial-group', 'override-with']);

function paramType(v) {
  if (typeof v === 'boolean') return 'boolean';
  if (Number.isInteger(v)) return 'integer';
  if (Array.isArray(v)) return 'steps';
  return 'string';
}

// Orb manifests the parser needs but cannot fetch, made from how the config uses each orb.
function orbManifests(parser, config) {
  const orbs = config.orbs;
  if (!orbs || typeof orbs !== 'object') return undefined;
  const used = {};
  for (const [alias, ref] of Object.entries(orbs)) {
    if (typeof ref !== 'string') throw new Error(`inline orb '${alias}': the SDK parser reads only orb imports`);
    if (!parser.orbImportPattern.test(ref)) orbs[alias] = ref.replace(/@.*$/, '@1.0.0');
    used[alias] = { commands: {}, jobs: {}, executors: {} };
  }
  const note = (kind, ref, args) => {
    if (typeof ref !== 'string') return;
    const slash = ref.indexOf('/');
    const orb = slash > 0 ? used[ref.slice(0, slash)] : undefined;
    if (!orb) return;
    const params = (orb[kind][ref.slice(slash + 1)] ||= {});
    for (const [k, v] of Object.entries(args && typeof args === 'object' ? args : {})) params[k] ||= { type: paramType(v) };
  };
  const steps = (list) => {
    for (const step of Array.isArray(list) ? list : []) {
      if (typeof step === 'string') note('commands', step, {});
      else if (step && typeof step === 'object') {
        const [key, body] = Object.entries(step)[0] ?? [];
        if (key === 'when' || key === 'unless') steps(body?.steps);
        else note('commands', key, body);
      }
    }
  };
  const executor = (e) => {
    if (typeof e === 'string') note('executors', e, {});
    else if (e && typeof e === 'object') {
      const { name, ...args } = e;
      note('executors', name, args);
    }
  };
  for (const command of Object.values(config.commands ?? {})) steps(command?.steps);
  for (const job of Object.values(config.jobs ?? {})) {
    steps(job?.steps);
    executor(job?.executor);
  }
  for (const workflow of Object.values(config.workflows ?? {})) {
    for (const entry of Array.isArray(workflow?.jobs) ? workflow.jobs : []) {
      if (typeof entry === 'string') note('jobs', entry, {});
      else if (entry && typeof entry === 'object') {
        const [key, body] = Object.entries(entry)[0] ?? [];
        note('jobs', key, Object.fromEntries(Object.entries(body ?? {}).filter(([k]) => !WORKFLOW_JOB_KEYS.has(k))));
        steps(body?.['pre-steps']);
        steps(body?.['post-steps']);
      }
    }
  }
  return Object.fromEntries(Object.entries(used).map(([alias, manifest]) => [alias, parser.parseOrbManifest(manifest)]));
}

// YAML text to an SDK Config: what is timed.
function sdkParse(parser, text) {
  const config = YAML.parse(text, { merge: true, maxAliasCount: -1 });
  return parser.parseConfig(config, orbManifests(parser, config));
}

function benchParse() {
  const name = `sdk-${PARSE}`;
  const dir = opts.corpus ?? locateCorpus();
  if (!existsSync(dir)) fail(`no corpus directory ${dir}.`);
  const files = readdirSync(dir).filter((f) => f.endsWith('.yml')).sort();
  if (files.length === 0) fail(`the corpus directory ${dir} holds no .yml files.`);
  const inputs = [];
  const rejected = [];
  for (const file of files) {
    const text = readFileSync(path.join(dir, file), 'utf8');
    try {
      sdkParse(freshParser(), text);
      inputs.push({ file, text, bytes: Buffer.byteLength(text, 'utf8') });
    } catch (e) {
      const message = String(e && e.message ? e.message : e).split('\n').map((l) => l.trim()).filter(Boolean);
      rejected.push(`${file}: ${message.slice(0, 2).join(' ').slice(0, 160)}`);
    }
  }
  process.stderr.write(`${name}: the SDK parser reads ${inputs.length} of ${files.length} corpus files; it cannot parse ${rejected.length}:\n`);
  for (const r of rejected) process.stderr.write(`  ${r}\n`);
  if (opts.parsedList) writeFileSync(opts.parsedList, inputs.map((i) => i.file).join('\n') + (inputs.length ? '\n' : ''));
  if (inputs.length === 0) fail('the SDK parser reads none of the corpus files; nothing to time.');
  const bytes = inputs.reduce((a, i) => a + i.bytes, 0);
  const parser = freshParser();
  const m = measure(SCALE.parse, () => {
    let jobs = 0;
    for (const input of inputs) jobs += sdkParse(parser, input.text).jobs.length;
    return jobs;
  });
  const seconds = m.total / 1e9;
  const ms = (nanos) => (nanos / 1e6).toFixed(2);
  const summary = `${name}: ${inputs.length} files (${inputs.map((i) => i.file).join(', ')}), ${(bytes / 1e3).toFixed(1)} KB`
    + ` of YAML, parsed ${m.nanos.length} times (median round ${ms(m.median)} ms, min ${ms(m.min)} ms, max ${ms(m.max)} ms)`
    + ` after ${m.warmups} warm-up rounds in ${(m.warmupNanos / 1e9).toFixed(1)} s; parser ${versions.parser}, node ${process.version}`;
  print(summary, [
    { name, metric: 'parse-throughput', value: (bytes * m.nanos.length) / 1e6 / seconds, unit: 'MB/s' },
    { name, metric: 'parse-round-median-ms', value: m.median / 1e6, unit: 'ms' },
    { name, metric: 'corpus-files', value: inputs.length, unit: 'files' },
    { name, metric: 'corpus-size', value: bytes / 1e3, unit: 'KB' },
  ]);
}

for (const benchmark of opts.benchmarks) {
  if (benchmark === EMIT) benchEmit();
  else benchParse();
}
if (sink === 0) process.stderr.write('nothing was measured\n');
