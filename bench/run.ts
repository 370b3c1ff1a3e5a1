/**
 * `npm run bench`: runs the selected workloads on the selected engines, run
 * after run (run 1 of every job, then run 2, …, so slow drift of the machine
 * spreads over all engines, with the engine order rotated each run), verifies result checksums across engines after
 * each workload's run, and writes the results as Markdown and JSON with the
 * machine description.
 *
 * Exit status: 0 when every checksum agreed and every assertion passed, 1
 * otherwise (the results are written either way), 2 for a bad command line.
 * An engine that cannot run a workload (or cannot load at all, like Shoal
 * before its API exists) is reported in the table, not fatal.
 */
import * as fs from 'node:fs';
import * as os from 'node:os';
import * as path from 'node:path';
import { fileURLToPath } from 'node:url';
import type { EngineName } from './engine/engines.js';
import { describeError } from './harness/describe-error.js';
import { failedVerdicts, type BenchResults, type JobRecord, type WorkloadResults } from './harness/bench-results.js';
import { findChecksumMismatches } from './harness/checksum-verification.js';
import { parseBenchOptions, UsageError, type BenchOptions } from './harness/cli-options.js';
import { FixtureStore } from './harness/fixtures.js';
import { describeMachine } from './harness/machine.js';
import { formatNumber, renderMarkdown } from './harness/report-markdown.js';
import { runJob, type JobResult } from './harness/run-job.js';
import type { Workload } from './harness/workload.js';
import { workloadsFor } from './workloads/index.js';

const DEFAULT_OUTPUT = fileURLToPath(new URL('../../bench/results', import.meta.url));

async function main(args: readonly string[]): Promise<number> {
  let options: BenchOptions;
  try {
    options = parseBenchOptions(args);
  } catch (error) {
    if (!(error instanceof UsageError)) throw error;
    process.stderr.write(`${error.message}\n`);
    return 2;
  }
  const started = performance.now();
  const startedAt = new Date().toISOString();
  const machine = await describeMachine();
  const workloads = workloadsFor(options.sizes).filter((workload) => options.workloadGroups.includes(workload.group));
  const root = fs.mkdtempSync(path.join(os.tmpdir(), 'shoal-bench-'));
  const fixtures = new FixtureStore(path.join(root, 'fixtures'));
  const unavailable = new Map<EngineName, string>();
  const collected: WorkloadResults[] = workloads.map((workload) => ({
    id: workload.id,
    group: workload.group,
    title: workload.title,
    metrics: workload.metrics,
    engines: enginesOf(workload, options),
    jobs: {},
    checksumMismatches: [],
  }));

  try {
    const fixturesStarted = performance.now();
    for (const workload of workloads) if (workload.fixture !== undefined) await fixtures.prepare(workload.fixture);
    process.stdout.write(`fixtures built with better-sqlite3 in ${((performance.now() - fixturesStarted) / 1000).toFixed(1)} s\n`);
    for (let run = 1; run <= options.runs; run++) {
      for (const [index, workload] of workloads.entries()) {
        const results = collected[index]!;
        const checksums = new Map<EngineName, string>();
        for (const engine of rotated(results.engines, run - 1)) {
          const known = unavailable.get(engine);
          const result: JobResult =
            known === undefined
              ? await runJob(workload, engine, { dir: path.join(root, 'job'), fixtures, sizes: options.sizes })
              : { ok: false, error: known, engineUnavailable: true, seconds: 0 };
          if (!result.ok && result.engineUnavailable) unavailable.set(engine, result.error);
          const record: JobRecord = result.ok
            ? { run, ok: true, seconds: result.seconds, ...result.outcome }
            : { run, ok: false, seconds: result.seconds, error: result.error };
          (results.jobs[engine] ??= []).push(record);
          if (record.ok && record.checksum !== undefined) checksums.set(engine, record.checksum);
          if (known === undefined) progress(run, options.runs, workload, engine, record);
        }
        for (const mismatch of findChecksumMismatches(checksums)) {
          results.checksumMismatches.push({ ...mismatch, run });
          process.stderr.write(
            `\n!!! CHECKSUM MISMATCH in ${workload.title}, run ${run}: ${mismatch.engine} gave ${mismatch.checksum}, ` +
              `${mismatch.reference} gave ${mismatch.expected} !!!\n\n`,
          );
        }
      }
    }
  } finally {
    fs.rmSync(root, { recursive: true, force: true });
  }

  const results: BenchResults = {
    startedAt,
    durationSeconds: (performance.now() - started) / 1000,
    loadAverageAtEnd: Math.round(os.loadavg()[0]! * 100) / 100,
    command: ['npm run bench', ...(args.length > 0 ? ['--', ...args] : [])].join(' '),
    machine,
    runs: options.runs,
    sizes: options.sizes,
    engines: options.engines,
    workloads: collected,
  };
  const written = writeResults(results, options);
  const markdown = fs.readFileSync(written.markdown, 'utf8');
  process.stdout.write(`\n${markdown}\nWrote ${written.markdown} and ${written.json}\n`);

  const mismatches = collected.reduce((count, workload) => count + workload.checksumMismatches.length, 0);
  const failures = failedVerdicts(results);
  for (const failure of failures) process.stderr.write(`${failure}\n`);
  if (mismatches > 0) process.stderr.write(`${mismatches} checksum mismatch(es): engines returned different rows\n`);
  return mismatches === 0 && failures.length === 0 ? 0 : 1;
}

/** The engines starting at a different one each run, so no engine always runs first (or right after a fixture build). */
function rotated<T>(items: readonly T[], by: number): T[] {
  const start = items.length === 0 ? 0 : by % items.length;
  return [...items.slice(start), ...items.slice(0, start)];
}

function enginesOf(workload: Workload, options: BenchOptions): EngineName[] {
  return options.engines.filter((engine) => workload.engines === undefined || workload.engines.includes(engine));
}

function progress(run: number, runs: number, workload: Workload, engine: EngineName, record: JobRecord): void {
  const summary = record.ok
    ? workload.metrics
        .filter((metric) => record.metrics[metric.key] !== undefined)
        .map((metric) => `${formatNumber(record.metrics[metric.key]!)} ${metric.label}`)
        .concat(record.verdict === undefined ? [] : [record.verdict])
        .join(', ')
    : `✗ ${record.error}`;
  process.stdout.write(`[run ${run}/${runs}] ${workload.id} ${engine}: ${summary} (${record.seconds.toFixed(1)} s)\n`);
}

function writeResults(results: BenchResults, options: BenchOptions): { markdown: string; json: string } {
  const directory = options.outputDirectory ?? DEFAULT_OUTPUT;
  fs.mkdirSync(directory, { recursive: true });
  const name = options.complete ? 'latest' : 'partial';
  const markdown = path.join(directory, `${name}.md`);
  const json = path.join(directory, `${name}.json`);
  fs.writeFileSync(markdown, renderMarkdown(results));
  fs.writeFileSync(json, `${JSON.stringify(results, null, 2)}\n`);
  return { markdown, json };
}

try {
  process.exitCode = await main(process.argv.slice(2));
} catch (error) {
  process.stderr.write(`bench failed: ${describeError(error)}\n${error instanceof Error ? (error.stack ?? '') : ''}\n`);
  process.exitCode = 1;
}
