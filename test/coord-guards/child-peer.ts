/**
 * Test helper: runs a compiled child script as a real OS process and talks to
 * it one line at a time (command in, answer out), so a test can hold a child
 * at a known point (guard taken, transaction open) and kill it with SIGKILL.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface } from 'node:readline';

export class ChildPeer {
  private readonly child: ChildProcess;
  private readonly queued: string[] = [];
  private waiting: ((line: string | null) => void) | null = null;
  private stderr = '';
  private ended = false;

  constructor(script: URL, args: readonly string[]) {
    this.child = spawn(process.execPath, [script.pathname, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    this.child.stderr!.on('data', (chunk: Buffer) => (this.stderr += chunk.toString()));
    const lines = createInterface({ input: this.child.stdout! });
    lines.on('line', (line) => this.deliver(line));
    lines.on('close', () => {
      this.ended = true;
      this.deliver(null);
    });
  }

  /** Sends one command and resolves with the child's answer line. */
  ask(command: string): Promise<string> {
    this.child.stdin!.write(`${command}\n`);
    return this.nextLine();
  }

  /** SIGKILL, resolved once the process is gone (and its locks with it). */
  async kill(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.kill('SIGKILL');
    await exited;
  }

  /** Closes stdin and waits for the child to exit on its own. */
  async finish(): Promise<void> {
    if (this.child.exitCode !== null || this.child.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.child.once('exit', () => resolve()));
    this.child.stdin!.end();
    await exited;
  }

  private nextLine(): Promise<string> {
    const line = this.queued.shift();
    if (line !== undefined) return Promise.resolve(line);
    if (this.ended) return Promise.reject(new Error(`child exited: ${this.stderr}`));
    return new Promise((resolve, reject) => {
      this.waiting = (next) => (next === null ? reject(new Error(`child exited: ${this.stderr}`)) : resolve(next));
    });
  }

  private deliver(line: string | null): void {
    const waiting = this.waiting;
    if (waiting !== null) {
      this.waiting = null;
      waiting(line);
    } else if (line !== null) {
      this.queued.push(line);
    }
  }
}
