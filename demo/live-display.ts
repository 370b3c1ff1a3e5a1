/**
 * The demo's live view: a block of lines, one per process plus the shared
 * WAL state, shown while the workers run.
 *
 * On a terminal the block is redrawn in place (cursor moved back up, each
 * line cleared), several times a second. When standard output is not a
 * terminal (CI logs, pipes) nothing is redrawn: the block is printed as
 * plain lines about once a second, each line prefixed with the elapsed time.
 */

const PLAIN_EVERY_MS = 1000;

export class LiveDisplay {
  readonly #output: NodeJS.WriteStream;
  readonly #terminal: boolean;
  #drawnLines = 0;
  #lastPlain = -Infinity;

  constructor(output: NodeJS.WriteStream) {
    this.#output = output;
    this.#terminal = output.isTTY === true;
  }

  /** How often the caller should refresh the view. */
  get refreshMs(): number {
    return this.#terminal ? 250 : PLAIN_EVERY_MS;
  }

  show(lines: readonly string[], elapsedMs: number, force = false): void {
    if (this.#terminal) {
      const up = this.#drawnLines > 0 ? `\x1b[${this.#drawnLines}F` : '';
      this.#output.write(`${up}${lines.map((line) => `\x1b[2K${line}\n`).join('')}`);
      this.#drawnLines = lines.length;
      return;
    }
    if (!force && elapsedMs - this.#lastPlain < PLAIN_EVERY_MS - 50) return;
    this.#lastPlain = elapsedMs;
    const stamp = `[${(elapsedMs / 1000).toFixed(1).padStart(5)} s]`;
    this.#output.write(lines.map((line) => `${stamp} ${line}\n`).join(''));
  }
}
