/**
 * The `shoal` command, with sqlite3's command-line habits:
 *
 *   shoal [OPTIONS] [FILENAME [SQL...]]   one-shot SQL, piped input, or the prompt
 *   shoal status FILENAME [--watch]       the database's multi-process status
 *
 * With SQL arguments each one runs (an argument starting with `.` is a
 * dot-command) and the first failure ends the run with SQLite's primary
 * result code as exit status. Without them, standard input is read when it
 * is not a terminal, and the interactive prompt starts when it is. Without a
 * FILENAME the database is a transient in-memory one.
 */
import { Shell } from './shell.js';
import { runDotCommand } from './dot-commands.js';
import { runInteractive } from './interactive.js';
import { runStatusCommand } from './status-command.js';
import { OUTPUT_MODES, type OutputMode } from './output-modes.js';

const USAGE = `Usage: shoal [OPTIONS] [FILENAME [SQL...]]
       shoal status FILENAME [--watch]
FILENAME is the name of a database file. A new database is created
if the file does not previously exist. Defaults to :memory:.
OPTIONS include:
   -box -csv -column -json -line -list -markdown -quote -table -tabs
                        set the output mode
   -cmd COMMAND         run "COMMAND" before reading stdin
   -header / -noheader  turn headers on or off
   -help                show this message
   -nullvalue TEXT      set text string for NULL values
   -readonly            open the database read-only
   -version             show the version
`;
const VERSION = 'shoal 0.1.0';

async function main(argv: string[]): Promise<number> {
  if (argv[0] === 'status') return runStatusCommand(argv.slice(1));
  const commands: string[] = [];
  const positional: string[] = [];
  let readonly = false;
  let headers: boolean | null = null;
  let mode: OutputMode | null = null;
  let nullText: string | null = null;
  for (let k = 0; k < argv.length; k++) {
    const arg = argv[k];
    if (positional.length > 0 || !arg.startsWith('-') || arg === '-') {
      positional.push(arg);
      continue;
    }
    const option = arg.replace(/^--?/, '');
    if ((OUTPUT_MODES as readonly string[]).includes(option)) mode = option as OutputMode;
    else if (option === 'header' || option === 'headers') headers = true;
    else if (option === 'noheader' || option === 'noheaders') headers = false;
    else if (option === 'readonly') readonly = true;
    else if (option === 'cmd' && k + 1 < argv.length) commands.push(argv[++k]);
    else if (option === 'nullvalue' && k + 1 < argv.length) nullText = argv[++k];
    else if (option === 'version') {
      process.stdout.write(`${VERSION}\n`);
      return 0;
    } else if (option === 'help') {
      process.stdout.write(USAGE);
      return 0;
    } else {
      process.stderr.write(`shoal: Error: unknown option: ${arg}\nUse -help for a list of options.\n`);
      return 1;
    }
  }

  const [path = ':memory:', ...sql] = positional;
  let shell: Shell;
  try {
    shell = new Shell(path, readonly, runDotCommand);
  } catch (error) {
    process.stderr.write(`Error: unable to open database "${path}": ${error instanceof Error ? error.message : String(error)}\n`);
    return 1;
  }
  if (mode !== null) shell.settings.mode = mode;
  if (mode === 'column' || mode === 'box' || mode === 'table' || mode === 'markdown') shell.settings.headers = true;
  if (headers !== null) shell.settings.headers = headers;
  if (nullText !== null) shell.settings.nullText = nullText;

  try {
    let running = true;
    for (const command of commands) {
      if (running) running = command.startsWith('.') ? shell.dotCommand(command) !== 'quit' : shell.runText(command, 'one-shot');
    }
    if (sql.length > 0) {
      for (const text of sql) {
        if (!running || shell.exitCode !== 0) break;
        running = text.startsWith('.') ? shell.dotCommand(text) !== 'quit' : shell.runText(text, 'one-shot');
      }
    } else if (running && process.stdin.isTTY) {
      const where = path === ':memory:' ? 'Connected to a transient in-memory database.\nUse ".open FILENAME" to reopen on a persistent database.\n' : '';
      await runInteractive(shell, `${VERSION}\nEnter ".help" for usage hints.\n${where}`);
    } else if (running) {
      shell.runText(await readStdin(), 'piped');
    }
  } finally {
    shell.close();
  }
  return shell.requestedExit ?? shell.exitCode;
}

async function readStdin(): Promise<string> {
  const chunks: Buffer[] = [];
  for await (const chunk of process.stdin) chunks.push(chunk as Buffer);
  return Buffer.concat(chunks).toString('utf8');
}

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (error: unknown) => {
    process.stderr.write(`Error: ${error instanceof Error ? error.message : String(error)}\n`);
    process.exitCode = 1;
  },
);
