/**
 * What a workload is: the metrics it reports, the fixture it starts from,
 * the processes (roles) it runs, and how one job's role outcomes become one
 * measurement.
 *
 * A job is one workload on one engine in one run. The parent gives every job
 * a fresh directory and spawns one child process per role; each child opens
 * its engine with the shared settings, prepares, calls `ready()` when it has
 * one, waits there until every role is ready, then does the timed work and
 * returns its outcome. Nothing timed ever runs in the parent.
 */
import type { BenchDatabase } from '../engine/bench-database.js';
import type { EffectiveSettings, SynchronousMode } from '../engine/apply-settings.js';
import type { EngineName } from '../engine/engines.js';
import type { BenchSizes } from './bench-sizes.js';
import type { FixtureSpec } from './fixtures.js';

export interface MetricSpec {
  readonly key: string;
  /** Shown in the table, e.g. "inserts/s". */
  readonly label: string;
  /** Which direction is good; the ratio column is always Shoal ÷ better-sqlite3. */
  readonly better: 'higher' | 'lower';
}

export type Verdict = 'PASS' | 'FAIL';

/** What one role (one child process) hands back. */
export interface RoleOutcome {
  readonly metrics: Record<string, number>;
  /** Digest of the rows the role produced; equal across engines when they agree. */
  readonly checksum?: string;
  readonly settings?: EffectiveSettings;
  readonly notes?: readonly string[];
  /** For workloads that assert rather than measure. */
  readonly verdict?: Verdict;
}

/** What the parent itself observed while the roles ran. */
export interface ParentObservations {
  /** Largest `-wal` size sampled (0 unless the workload asks for sampling). */
  readonly maxWalBytes: number;
}

export interface ChildContext {
  readonly engine: EngineName;
  readonly role: string;
  readonly dir: string;
  /** The job's database file (the fixture's copy or link, or not yet existing). */
  readonly dbPath: string;
  readonly sizes: BenchSizes;
  /** Opens the job's database on this child's engine with the shared settings. */
  open(synchronous?: SynchronousMode): Promise<BenchDatabase>;
  /** Tells the parent this role is prepared and waits until every role is. */
  ready(): Promise<void>;
}

export interface Workload {
  /** Unique id, e.g. "b2" or "g-1000000". */
  readonly id: string;
  /** What `--workload` selects, e.g. "g" for every (g) table size. */
  readonly group: string;
  readonly title: string;
  readonly metrics: readonly MetricSpec[];
  /** Engines it applies to (default: all). */
  readonly engines?: readonly EngineName[];
  /** Child processes it runs (default: one, "main"). */
  readonly roles?: readonly string[];
  readonly fixture?: FixtureSpec;
  /** Sample the `-wal` file size every `walSampleMs` while the roles run. */
  readonly samplesWal?: boolean;
  /** Seconds a job may take before it is killed and reported as timed out. */
  readonly timeoutSeconds: number;
  runRole(context: ChildContext): Promise<RoleOutcome>;
  /** Merges the roles' outcomes (default: the single role's outcome). */
  combine?(outcomes: ReadonlyMap<string, RoleOutcome>, observed: ParentObservations): RoleOutcome;
}

export const MAIN_ROLE = 'main';

export function rolesOf(workload: Workload): readonly string[] {
  return workload.roles ?? [MAIN_ROLE];
}
