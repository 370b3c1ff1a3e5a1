/**
 * The conversation between the parent and a job's child processes over the
 * fork IPC channel: the child starts with its `JobSpec` as its one argument,
 * may say `ready` and then waits for `go`, and ends with exactly one
 * `outcome` or `failure` message.
 */
import type { EngineName } from '../engine/engines.js';
import type { BenchSizes } from './bench-sizes.js';
import type { RoleOutcome } from './workload.js';

export interface JobSpec {
  readonly workloadId: string;
  readonly role: string;
  readonly engine: EngineName;
  readonly dir: string;
  readonly dbPath: string;
  readonly sizes: BenchSizes;
}

export type ChildMessage =
  | { readonly type: 'ready' }
  | { readonly type: 'outcome'; readonly outcome: RoleOutcome }
  | { readonly type: 'failure'; readonly message: string; readonly engineUnavailable: boolean };

export type ParentMessage = { readonly type: 'go' };

export function isChildMessage(value: unknown): value is ChildMessage {
  if (value === null || typeof value !== 'object') return false;
  const type = (value as { type?: unknown }).type;
  return type === 'ready' || type === 'outcome' || type === 'failure';
}
