/**
 * The results of a bench invocation, as written to `latest.json` and
 * rendered into `latest.md`: every job's raw outcome, grouped by workload and
 * engine, plus what the report derives from them (spreads over runs,
 * Shoal ÷ better-sqlite3 ratios per run, checksum mismatches, verdicts).
 */
import { BASELINE_ENGINE, type EngineName } from '../engine/engines.js';
import type { BenchSizes } from './bench-sizes.js';
import type { ChecksumMismatch } from './checksum-verification.js';
import type { MachineDescription } from './machine.js';
import { spreadOf, type Spread } from './statistics.js';
import type { MetricSpec, RoleOutcome } from './workload.js';

export type JobRecord =
  | ({ readonly run: number; readonly ok: true; readonly seconds: number } & RoleOutcome)
  | { readonly run: number; readonly ok: false; readonly seconds: number; readonly error: string };

export interface WorkloadResults {
  readonly id: string;
  readonly group: string;
  readonly title: string;
  readonly metrics: readonly MetricSpec[];
  readonly engines: readonly EngineName[];
  readonly jobs: Partial<Record<EngineName, JobRecord[]>>;
  readonly checksumMismatches: Array<ChecksumMismatch & { readonly run: number }>;
}

export interface BenchResults {
  readonly startedAt: string;
  readonly durationSeconds: number;
  /** 1-minute load average when the run ended. */
  readonly loadAverageAtEnd: number;
  readonly command: string;
  readonly machine: MachineDescription;
  readonly runs: number;
  readonly sizes: BenchSizes;
  readonly engines: readonly EngineName[];
  readonly workloads: readonly WorkloadResults[];
}

const SHOAL: EngineName = 'shoal';

/** Median and min–max of one metric over the engine's successful runs (null if none succeeded). */
export function metricSpread(workload: WorkloadResults, engine: EngineName, metric: string): Spread | null {
  const values = successfulRuns(workload, engine).flatMap((job) => {
    const value = job.metrics[metric];
    return value === undefined ? [] : [value];
  });
  return values.length === 0 ? null : spreadOf(values);
}

/** Shoal ÷ better-sqlite3 for one metric, taken run by run (only runs where both succeeded). */
export function shoalRatio(workload: WorkloadResults, metric: string): Spread | null {
  const baseline = new Map(successfulRuns(workload, BASELINE_ENGINE).map((job) => [job.run, job.metrics[metric]]));
  const ratios: number[] = [];
  for (const job of successfulRuns(workload, SHOAL)) {
    const shoal = job.metrics[metric];
    const base = baseline.get(job.run);
    if (shoal !== undefined && base !== undefined && base !== 0) ratios.push(shoal / base);
  }
  return ratios.length === 0 ? null : spreadOf(ratios);
}

export function successfulRuns(workload: WorkloadResults, engine: EngineName): Array<Extract<JobRecord, { ok: true }>> {
  return (workload.jobs[engine] ?? []).filter((job): job is Extract<JobRecord, { ok: true }> => job.ok);
}

export function failedRuns(workload: WorkloadResults, engine: EngineName): Array<Extract<JobRecord, { ok: false }>> {
  return (workload.jobs[engine] ?? []).filter((job): job is Extract<JobRecord, { ok: false }> => !job.ok);
}

/** Every verdict a workload returned, with the engine and run. */
export function failedVerdicts(results: BenchResults): string[] {
  const failures: string[] = [];
  for (const workload of results.workloads) {
    for (const engine of workload.engines) {
      for (const job of successfulRuns(workload, engine)) {
        if (job.verdict === 'FAIL') failures.push(`${workload.title}: FAIL on ${engine}, run ${job.run}`);
      }
    }
  }
  return failures;
}
