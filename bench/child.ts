/**
 * Child process entry: runs one role of one job (see `harness/workload.ts`)
 * on one engine and reports the outcome to the parent over IPC.
 *
 * The engine's module is loaded here and nowhere else, so this process holds
 * only the engine it measures.
 */
import { applySettings, type EffectiveSettings, type SynchronousMode } from './engine/apply-settings.js';
import type { BenchDatabase } from './engine/bench-database.js';
import { EngineUnavailableError, loadEngine } from './engine/engines.js';
import { describeError } from './harness/describe-error.js';
import type { ChildMessage, JobSpec, ParentMessage } from './harness/job-protocol.js';
import type { ChildContext, RoleOutcome } from './harness/workload.js';
import { workloadsFor } from './workloads/index.js';

function send(message: ChildMessage): Promise<void> {
  return new Promise((resolve, reject) => {
    if (process.send === undefined) {
      reject(new Error('bench/child.js must be started by the bench runner (no IPC channel)'));
      return;
    }
    process.send(message, (error: Error | null) => (error ? reject(error) : resolve()));
  });
}

function waitForGo(): Promise<void> {
  return new Promise((resolve) => {
    const listener = (message: ParentMessage): void => {
      if (message.type !== 'go') return;
      process.off('message', listener);
      resolve();
    };
    process.on('message', listener);
  });
}

async function runJob(job: JobSpec): Promise<RoleOutcome> {
  const workload = workloadsFor(job.sizes).find((candidate) => candidate.id === job.workloadId);
  if (workload === undefined) throw new Error(`unknown workload ${job.workloadId}`);
  const opened: BenchDatabase[] = [];
  let settings: EffectiveSettings | undefined;
  const context: ChildContext = {
    engine: job.engine,
    role: job.role,
    dir: job.dir,
    dbPath: job.dbPath,
    sizes: job.sizes,
    async open(synchronous: SynchronousMode = 'NORMAL') {
      const openDatabase = await loadEngine(job.engine);
      const db = openDatabase(job.dbPath);
      opened.push(db);
      const effective = applySettings(db, synchronous);
      settings ??= effective;
      return db;
    },
    async ready() {
      await send({ type: 'ready' });
      await waitForGo();
    },
  };
  try {
    const outcome = await workload.runRole(context);
    return settings === undefined || outcome.settings !== undefined ? outcome : { ...outcome, settings };
  } finally {
    for (const db of opened) db.close();
  }
}

const job = JSON.parse(process.argv[2] ?? 'null') as JobSpec;
try {
  await send({ type: 'outcome', outcome: await runJob(job) });
} catch (error) {
  await send({ type: 'failure', message: describeError(error), engineUnavailable: error instanceof EngineUnavailableError });
}
process.exit(0);
