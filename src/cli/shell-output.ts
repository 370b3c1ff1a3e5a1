/**
 * Where the shell's results go: standard output or a file chosen with
 * `.output FILE`. Text is gathered into a buffer and written in large
 * pieces, so printing a big result costs few system calls; `flush()` hands
 * everything to the destination before a prompt, an error message, or exit,
 * keeping results and messages in order.
 */
import { closeSync, openSync, writeSync } from 'node:fs';

const FLUSH_AT = 1 << 16;

export class ShellOutput {
  private pending = '';
  private fileDescriptor: number | null = null;

  readonly write = (text: string): void => {
    this.pending += text;
    if (this.pending.length >= FLUSH_AT) this.flush();
  };

  /** Sends output to `path` (created or truncated), or back to stdout when `path` is null. */
  redirect(path: string | null): void {
    this.flush();
    if (this.fileDescriptor !== null) closeSync(this.fileDescriptor);
    this.fileDescriptor = path === null ? null : openSync(path, 'w');
  }

  flush(): void {
    if (this.pending === '') return;
    const text = this.pending;
    this.pending = '';
    if (this.fileDescriptor !== null) writeSync(this.fileDescriptor, text);
    else process.stdout.write(text);
  }

  close(): void {
    this.redirect(null);
    this.flush();
  }
}
