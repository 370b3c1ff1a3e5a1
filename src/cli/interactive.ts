/**
 * The interactive prompt: reads lines with node:readline (line editing and
 * history, kept in `~/.shoal_history` between sessions), shows `shoal> `,
 * and `   ...> ` while a statement is unfinished; runs each complete
 * statement or dot-command as soon as it is entered. Ctrl-D or `.quit` ends
 * the session; Ctrl-C discards the unfinished statement.
 */
import { createInterface } from 'node:readline';
import { appendFileSync, readFileSync } from 'node:fs';
import { homedir } from 'node:os';
import { join } from 'node:path';
import { isBlank, splitStatements } from './sql-input.js';
import type { Shell } from './shell.js';

const PROMPT = 'shoal> ';
const CONTINUATION = '   ...> ';
const HISTORY_SIZE = 1000;

export function runInteractive(shell: Shell, banner: string): Promise<void> {
  const historyFile = process.env.SHOAL_HISTORY ?? join(homedir(), '.shoal_history');
  const reader = createInterface({
    input: process.stdin,
    output: process.stdout,
    history: loadHistory(historyFile),
    historySize: HISTORY_SIZE,
    removeHistoryDuplicates: true,
  });
  process.stdout.write(banner);
  let pending = '';
  reader.setPrompt(PROMPT);
  reader.prompt();
  return new Promise((resolve) => {
    reader.on('SIGINT', () => {
      pending = '';
      process.stdout.write('^C\n');
      reader.setPrompt(PROMPT);
      reader.prompt();
    });
    reader.on('line', (line) => {
      if (line.trim() !== '') saveHistory(historyFile, line);
      if (isBlank(pending) && line.trimStart().startsWith('.')) {
        pending = '';
        const result = shell.dotCommand(line.trim());
        shell.output.flush();
        if (result === 'quit') {
          reader.close();
          return;
        }
      } else {
        pending = pending === '' ? line : `${pending}\n${line}`;
        const { statements, rest } = splitStatements(pending);
        for (const statement of statements) shell.runSql(statement.sql, statement.line, 'interactive');
        shell.output.flush();
        pending = isBlank(rest) ? '' : rest;
      }
      reader.setPrompt(pending === '' ? PROMPT : CONTINUATION);
      reader.prompt();
    });
    reader.on('close', () => {
      process.stdout.write('\n');
      resolve();
    });
  });
}

function loadHistory(file: string): string[] {
  try {
    return readFileSync(file, 'utf8').split('\n').filter((line) => line !== '').reverse().slice(0, HISTORY_SIZE);
  } catch {
    return [];
  }
}

function saveHistory(file: string, line: string): void {
  try {
    appendFileSync(file, `${line.replace(/\n/g, ' ')}\n`);
  } catch {
    // History is a convenience: a read-only home directory must not stop the shell.
  }
}
