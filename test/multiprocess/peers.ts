/**
 * Test-side handles on `sql-peer.js` children: spawn one, send it requests
 * and await the answers (an error answer rejects with its SQLite code), wait
 * for the events it announces, SIGKILL it. Every peer spawned for a test is
 * killed when the test ends, so a failing test leaves no process behind.
 * Also: the shared schema, scratch directories, and WAL-header reading.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { mkdtempSync, openSync, readSync, closeSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import type { TestContext } from 'node:test';
import type { PeerRequest } from './sql-peer.js';

export const peerScript = new URL('./sql-peer.js', import.meta.url);

/** The workload schema every peer op relies on. */
export const SCHEMA = `
  CREATE TABLE counter(n INTEGER NOT NULL);
  INSERT INTO counter VALUES (0);
  CREATE TABLE rows(id INTEGER PRIMARY KEY, writer INTEGER NOT NULL, seq INTEGER NOT NULL, payload TEXT);
  CREATE UNIQUE INDEX rows_by_writer ON rows(writer, seq);
`;

/** An error answer of a peer, carrying SQLite's code. */
export class PeerError extends Error {
  constructor(
    readonly code: string,
    message: string,
  ) {
    super(`${code}: ${message}`);
  }
}

type Pending = { resolve: (value: unknown) => void; reject: (error: Error) => void };

export class Peer {
  private readonly child: ChildProcess;
  private readonly pending: Pending[] = [];
  private readonly events: object[] = [];
  private eventWaiters: Array<{ accept: (event: object) => boolean; resolve: (event: object) => void; reject: (error: Error) => void }> = [];
  private partial = '';
  private stderr = '';
  private exitCode: number | null | undefined = undefined;
  readonly exited: Promise<void>;

  constructor(readonly name: string) {
    this.child = spawn(process.execPath, [peerScript.pathname], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stdout!.on('data', (chunk: Buffer) => this.receive(chunk.toString()));
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    this.exited = new Promise((resolve) => {
      this.child.on('exit', (code, signal) => {
        this.exitCode = code;
        const reason = new Error(`peer ${this.name} exited (${signal ?? code})${this.stderr ? `: ${this.stderr}` : ''}`);
        for (const waiting of this.pending.splice(0)) waiting.reject(reason);
        for (const waiter of this.eventWaiters.splice(0)) waiter.reject(reason);
        resolve();
      });
    });
  }

  /** Sends one request; resolves with its reply, rejects with a `PeerError` on an error answer. */
  ask<T = unknown>(request: PeerRequest): Promise<T> {
    if (this.exitCode !== undefined) return Promise.reject(new Error(`peer ${this.name} has exited`));
    return new Promise<T>((resolve, reject) => {
      this.pending.push({ resolve: resolve as (value: unknown) => void, reject });
      this.child.stdin!.write(`${JSON.stringify(request)}\n`);
    });
  }

  /** Resolves with the first announced event (past or future) that `accept` takes. */
  event(accept: (event: Record<string, unknown>) => boolean): Promise<Record<string, unknown>> {
    const seen = this.events.find((e) => accept(e as Record<string, unknown>));
    if (seen !== undefined) return Promise.resolve(seen as Record<string, unknown>);
    if (this.exitCode !== undefined) return Promise.reject(new Error(`peer ${this.name} has exited`));
    return new Promise((resolve, reject) => {
      this.eventWaiters.push({
        accept: accept as (event: object) => boolean,
        resolve: resolve as (event: object) => void,
        reject,
      });
    });
  }

  /** Every event announced so far. */
  announced(): Array<Record<string, unknown>> {
    return this.events as Array<Record<string, unknown>>;
  }

  /** SIGKILL, then wait until the process is gone. */
  async kill(): Promise<void> {
    if (this.exitCode === undefined) this.child.kill('SIGKILL');
    await this.exited;
  }

  private receive(text: string): void {
    this.partial += text;
    let newline: number;
    while ((newline = this.partial.indexOf('\n')) >= 0) {
      const line = this.partial.slice(0, newline);
      this.partial = this.partial.slice(newline + 1);
      const message = JSON.parse(line) as { reply?: unknown; error?: { code: string; message: string }; event?: unknown };
      if ('event' in message) {
        this.events.push(message);
        const matching = this.eventWaiters.filter((w) => w.accept(message));
        this.eventWaiters = this.eventWaiters.filter((w) => !matching.includes(w));
        for (const waiter of matching) waiter.resolve(message);
        continue;
      }
      const waiting = this.pending.shift();
      if (waiting === undefined) throw new Error(`peer ${this.name} answered without a request: ${line}`);
      if (message.error !== undefined) waiting.reject(new PeerError(message.error.code, message.error.message));
      else waiting.resolve(message.reply);
    }
  }
}

/**
 * SIGKILLs `victim` as soon as `started()` holds (polled between event-loop
 * turns) while `request` is still running; kills it anyway once the request
 * ended, so the caller always continues with the victim gone.
 */
export async function killWhen(victim: Peer, request: Promise<unknown>, started: () => boolean): Promise<void> {
  let finished = false;
  request.then(
    () => (finished = true),
    () => (finished = true),
  );
  while (!finished && !started()) await new Promise((resolve) => setImmediate(resolve));
  await victim.kill();
}

/** Spawns peers for one test and kills whatever is left when it ends. */
export function peerFactory(t: TestContext): (name: string) => Peer {
  const peers: Peer[] = [];
  t.after(async () => {
    await Promise.all(peers.map((peer) => peer.kill()));
  });
  return (name) => {
    const peer = new Peer(name);
    peers.push(peer);
    return peer;
  };
}

/** A fresh directory removed when the test ends. */
export function scratchDirectory(t: TestContext): string {
  const dir = mkdtempSync(join(tmpdir(), 'shoal-mp-sql-'));
  t.after(() => rmSync(dir, { recursive: true, force: true }));
  return dir;
}

/** The header fields of a WAL file that identify its generation. */
export interface WalHeaderFields {
  readonly checkpointSeq: number;
  readonly salt1: number;
  readonly salt2: number;
}

export function readWalHeader(walPath: string): WalHeaderFields {
  const bytes = Buffer.alloc(32);
  const fd = openSync(walPath, 'r');
  try {
    if (readSync(fd, bytes, 0, 32, 0) !== 32) throw new Error(`${walPath} has no WAL header`);
  } finally {
    closeSync(fd);
  }
  return { checkpointSeq: bytes.readUInt32BE(12), salt1: bytes.readUInt32BE(16), salt2: bytes.readUInt32BE(20) };
}
