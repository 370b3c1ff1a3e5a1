/**
 * Runs one job (one workload, one engine, one run) from the parent: a fresh
 * directory, the fixture placed in it, one forked child per role, the `go`
 * once every role is ready, optional `-wal` size sampling, a hard timeout,
 * and cleanup. Returns either the combined outcome or why there is none.
 */
import { fork, type ChildProcess } from 'node:child_process';
import * as fs from 'node:fs';
import * as path from 'node:path';
import type { EngineName } from '../engine/engines.js';
import type { BenchSizes } from './bench-sizes.js';
import type { FixtureStore } from './fixtures.js';
import { isChildMessage, type JobSpec } from './job-protocol.js';
import { rolesOf, type RoleOutcome, type Workload } from './workload.js';

export type JobResult =
  | { readonly ok: true; readonly outcome: RoleOutcome; readonly seconds: number }
  | { readonly ok: false; readonly error: string; readonly engineUnavailable: boolean; readonly seconds: number };

export interface JobPlace {
  readonly dir: string;
  readonly fixtures: FixtureStore;
  readonly sizes: BenchSizes;
}

const CHILD_SCRIPT = new URL('../child.js', import.meta.url);
const DATABASE_NAME = 'bench.db';

export async function runJob(workload: Workload, engine: EngineName, place: JobPlace): Promise<JobResult> {
  const started = performance.now();
  const seconds = (): number => (performance.now() - started) / 1000;
  fs.rmSync(place.dir, { recursive: true, force: true });
  fs.mkdirSync(place.dir, { recursive: true });
  const dbPath = path.join(place.dir, DATABASE_NAME);
  try {
    if (workload.fixture !== undefined) await place.fixtures.place(workload.fixture, dbPath);
    const outcomes = await runRoles(workload, engine, place, dbPath);
    const fixtureDamage = workload.fixture === undefined ? null : place.fixtures.checkUnchanged(workload.fixture);
    if (fixtureDamage !== null) return { ok: false, error: fixtureDamage, engineUnavailable: false, seconds: seconds() };
    return { ok: true, outcome: outcomes, seconds: seconds() };
  } catch (error) {
    const failure = error instanceof RoleFailure ? error : new RoleFailure(String(error), false);
    const message = failure.message.replaceAll(place.dir, '<job dir>');
    return { ok: false, error: message, engineUnavailable: failure.engineUnavailable, seconds: seconds() };
  } finally {
    fs.rmSync(place.dir, { recursive: true, force: true });
  }
}

class RoleFailure extends Error {
  constructor(
    message: string,
    readonly engineUnavailable: boolean,
  ) {
    super(message);
  }
}

function runRoles(workload: Workload, engine: EngineName, place: JobPlace, dbPath: string): Promise<RoleOutcome> {
  const roles = rolesOf(workload);
  const children = new Map<string, ChildProcess>();
  const outcomes = new Map<string, RoleOutcome>();
  const walPath = `${dbPath}-wal`;
  let readyCount = 0;
  let maxWalBytes = 0;
  let sampler: NodeJS.Timeout | undefined;

  return new Promise<RoleOutcome>((resolve, reject) => {
    let settled = false;
    const finish = (error: RoleFailure | null): void => {
      if (settled) return;
      settled = true;
      clearTimeout(deadline);
      clearInterval(sampler);
      for (const child of children.values()) if (child.exitCode === null) child.kill('SIGKILL');
      if (error !== null) {
        reject(error);
        return;
      }
      try {
        const combined = workload.combine?.(outcomes, { maxWalBytes }) ?? outcomes.values().next().value;
        if (combined === undefined) throw new Error('no role produced an outcome');
        resolve(combined);
      } catch (combineError) {
        reject(new RoleFailure(combineError instanceof Error ? combineError.message : String(combineError), false));
      }
    };
    const deadline = setTimeout(
      () => finish(new RoleFailure(`timed out after ${workload.timeoutSeconds} s`, false)),
      workload.timeoutSeconds * 1000,
    );
    const sampleWal = (): void => {
      try {
        maxWalBytes = Math.max(maxWalBytes, fs.statSync(walPath).size);
      } catch {
        // No -wal file at this instant (not created yet, or truncated away): nothing to record.
      }
    };

    for (const role of roles) {
      const job: JobSpec = { workloadId: workload.id, role, engine, dir: place.dir, dbPath, sizes: place.sizes };
      const child = fork(CHILD_SCRIPT, [JSON.stringify(job)], { stdio: ['ignore', 'inherit', 'inherit', 'ipc'] });
      children.set(role, child);
      child.on('message', (message: unknown) => {
        if (!isChildMessage(message)) return;
        if (message.type === 'ready') {
          readyCount++;
          if (readyCount === roles.length) {
            if (workload.samplesWal === true) sampler = setInterval(sampleWal, place.sizes.walSampleMs);
            for (const peer of children.values()) peer.send({ type: 'go' });
          }
        } else if (message.type === 'failure') {
          finish(new RoleFailure(roles.length > 1 ? `${role}: ${message.message}` : message.message, message.engineUnavailable));
        } else {
          outcomes.set(role, message.outcome);
          if (outcomes.size === roles.length) {
            if (workload.samplesWal === true) sampleWal();
            finish(null);
          }
        }
      });
      child.on('close', (code: number | null, signal: NodeJS.Signals | null) => {
        if (!outcomes.has(role)) finish(new RoleFailure(`${role} process exited (${signal ?? `code ${code}`}) without a result`, false));
      });
    }
  });
}
