/**
 * Test helper: spawns a compiled child script as a real OS process and talks
 * to it line by line over stdin/stdout, so tests can hold a child at a known
 * point (a lock taken, a pin set) and then kill it with SIGKILL. Children a
 * failed test left alive are killed after the file's last test, so the test
 * process can exit and report instead of hanging on their pipes.
 */
import { spawn, type ChildProcess } from 'node:child_process';
import { createInterface, type Interface } from 'node:readline';
import { after } from 'node:test';

const liveChildren = new Set<ChildProcess>();

after(() => {
  for (const child of liveChildren) child.kill('SIGKILL');
});

export class ChildPeer {
  readonly process: ChildProcess;
  private readonly lines: Interface;
  private readonly pending: string[] = [];
  private waiter: ((line: string | null) => void) | null = null;
  private stderr = '';
  private ended = false;

  constructor(script: URL, args: readonly string[]) {
    this.process = spawn(process.execPath, [script.pathname, ...args], { stdio: ['pipe', 'pipe', 'pipe'] });
    liveChildren.add(this.process);
    this.process.once('exit', () => liveChildren.delete(this.process));
    this.process.stderr!.on('data', (chunk: Buffer) => {
      this.stderr += chunk.toString();
    });
    this.lines = createInterface({ input: this.process.stdout! });
    this.lines.on('line', (line) => this.deliver(line));
    this.lines.on('close', () => {
      this.ended = true;
      this.deliver(null);
    });
  }

  /** The child's next stdout line; rejects when the child exits first. */
  nextLine(): Promise<string> {
    const queued = this.pending.shift();
    if (queued !== undefined) return Promise.resolve(queued);
    if (this.ended) return Promise.reject(new Error(`child exited: ${this.stderr}`));
    return new Promise((resolve, reject) => {
      this.waiter = (line) => (line === null ? reject(new Error(`child exited: ${this.stderr}`)) : resolve(line));
    });
  }

  /** Sends one command line and returns the child's answer line. */
  async ask(command: string): Promise<string> {
    this.process.stdin!.write(`${command}\n`);
    return this.nextLine();
  }

  /** Kills the child with SIGKILL and waits until it is gone (its kernel locks with it). */
  async kill(): Promise<void> {
    if (this.process.exitCode !== null || this.process.signalCode !== null) return;
    const exited = new Promise<void>((resolve) => this.process.once('exit', () => resolve()));
    this.process.kill('SIGKILL');
    await exited;
  }

  /** Waits for a normal exit and returns the exit code. */
  async exit(): Promise<number | null> {
    if (this.process.exitCode !== null) return this.process.exitCode;
    return new Promise((resolve) => this.process.once('exit', (code) => resolve(code)));
  }

  get errorOutput(): string {
    return this.stderr;
  }

  private deliver(line: string | null): void {
    const waiter = this.waiter;
    if (waiter) {
      this.waiter = null;
      waiter(line);
    } else if (line !== null) {
      this.pending.push(line);
    }
  }
}
