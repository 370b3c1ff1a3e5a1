/**
 * `shoal status FILENAME [--watch]`: prints the database's files and live
 * coordination once, or with `--watch` refreshes it every second until the
 * user presses `q` or Ctrl-C (or the process gets SIGINT/SIGTERM).
 *
 * The database is never opened: the view comes from the files and the
 * `-tshm` inspector, so watching changes nothing (no reader slot, no
 * shutdown checkpoint). On a terminal each refresh redraws the screen in
 * place; when standard output is not a terminal each refresh is appended as
 * a block headed by its time, so logs and pipes get plain text.
 */
import { existsSync } from 'node:fs';
import { fileStatus } from './coordination-status.js';

const REFRESH_MS = 1000;
const CLEAR_SCREEN = '\x1b[2J';
const CURSOR_HOME = '\x1b[H';
const CLEAR_TO_LINE_END = '\x1b[K';
const CLEAR_BELOW = '\x1b[J';
const HIDE_CURSOR = '\x1b[?25l';
const SHOW_CURSOR = '\x1b[?25h';

export const STATUS_USAGE = 'Usage: shoal status FILENAME [--watch]\n';

/** Runs the command; resolves with the exit status. */
export async function runStatusCommand(args: readonly string[]): Promise<number> {
  const watch = args.includes('--watch');
  const paths = args.filter((arg) => arg !== '--watch');
  if (paths.length !== 1 || paths[0]!.startsWith('-')) {
    process.stderr.write(STATUS_USAGE);
    return 1;
  }
  const path = paths[0]!;
  if (!existsSync(path)) {
    process.stderr.write(`Error: unable to open database "${path}": no such file\n`);
    return 1;
  }
  if (!watch) {
    process.stdout.write(fileStatus(path));
    return 0;
  }
  await watchStatus(() => fileStatus(path));
  return 0;
}

/** Shows `render()` every second until the user quits. */
function watchStatus(render: () => string): Promise<void> {
  const output = process.stdout;
  const input = process.stdin;
  const terminal = output.isTTY === true;
  const frame = (): string => {
    let text: string;
    try {
      text = render();
    } catch (error) {
      text = `error: ${error instanceof Error ? error.message : String(error)}\n`;
    }
    const time = new Date().toISOString().replace('T', ' ').slice(0, 19);
    if (!terminal) return `--- ${time} ---\n${text}`;
    const body = `${text}\n${time}  refreshing every second; press q or Ctrl-C to quit\n`;
    return `${CURSOR_HOME}${body.replaceAll('\n', `${CLEAR_TO_LINE_END}\n`)}${CLEAR_BELOW}`;
  };
  return new Promise((resolve) => {
    const onKey = (chunk: Buffer | string) => {
      const text = chunk.toString();
      if (text.includes('q') || text.includes('Q') || text.includes('\x03')) stop();
    };
    const timer = setInterval(() => output.write(frame()), REFRESH_MS);
    const stop = () => {
      clearInterval(timer);
      process.off('SIGINT', stop);
      process.off('SIGTERM', stop);
      input.off('data', onKey);
      if (input.isTTY) input.setRawMode(false);
      input.destroy();
      if (terminal) output.write(SHOW_CURSOR);
      resolve();
    };
    process.on('SIGINT', stop);
    process.on('SIGTERM', stop);
    if (input.isTTY) input.setRawMode(true);
    input.on('data', onKey);
    input.resume();
    output.write(`${terminal ? `${HIDE_CURSOR}${CLEAR_SCREEN}` : ''}${frame()}`);
  });
}
