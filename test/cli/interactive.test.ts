// The interactive prompt in a real pseudo-terminal (tmux): continuation
// prompt for unfinished statements, results and errors as typed, history
// recall with the Up key, and .quit. Skipped where tmux is not installed.
import { test } from 'node:test';
import assert from 'node:assert/strict';
import { spawnSync } from 'node:child_process';
import { mkdtempSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { fileURLToPath } from 'node:url';

const shellPath = fileURLToPath(new URL('../../src/cli/main.js', import.meta.url));
const hasTmux = spawnSync('tmux', ['-V']).status === 0;
const socket = `shoal-test-${process.pid}`;

function tmux(...args: string[]): string {
  const result = spawnSync('tmux', ['-L', socket, ...args], { encoding: 'utf8' });
  assert.equal(result.status, 0, result.stderr);
  return result.stdout;
}

/** Waits, for a bounded number of polls, until the screen shows `expected` (tmux trims trailing spaces); returns the screen. */
function screenShowing(expected: string): string {
  let screen = '';
  for (let attempt = 0; attempt < 100; attempt++) {
    screen = tmux('capture-pane', '-p', '-t', 'shell');
    if (screen.includes(expected)) return screen;
    spawnSync('sleep', ['0.1']);
  }
  assert.fail(`the screen never showed ${JSON.stringify(expected)}:\n${screen}`);
}

/** Types one line; tmux would read a trailing `;` as its own command separator, hence the escape. */
function type(line: string): void {
  tmux('send-keys', '-t', 'shell', '-l', line.replace(/;$/, '\\;'));
  tmux('send-keys', '-t', 'shell', 'Enter');
}

test('the interactive prompt runs statements as they are completed', { skip: !hasTmux && 'tmux is not installed' }, () => {
  const directory = mkdtempSync(join(tmpdir(), 'shoal-interactive-'));
  const history = join(directory, 'history');
  try {
    tmux('new-session', '-d', '-s', 'shell', '-x', '100', '-y', '40', `SHOAL_HISTORY=${history} ${process.execPath} ${shellPath}`);
    screenShowing('shoal>');
    type('SELECT 1 +');
    screenShowing('   ...>');
    type('2 AS x;');
    screenShowing('\n3\nshoal>');
    type('.mode box');
    type('SELECT * FROM nope;');
    screenShowing('Parse error: no such table: nope');
    type('SELECT 5 AS y;');
    screenShowing('│ 5 │');
    tmux('send-keys', '-t', 'shell', 'Up');
    const recalled = screenShowing('└───┘\nshoal> SELECT 5 AS y;');
    assert.match(recalled, /shoal> SELECT 5 AS y;\s*$/);
    tmux('send-keys', '-t', 'shell', 'C-u');
    type('.quit');
    for (let attempt = 0; attempt < 100 && spawnSync('tmux', ['-L', socket, 'has-session', '-t', 'shell']).status === 0; attempt++) {
      spawnSync('sleep', ['0.1']);
    }
    assert.notEqual(spawnSync('tmux', ['-L', socket, 'has-session', '-t', 'shell']).status, 0, 'the shell did not exit on .quit');
    assert.deepEqual(readFileSync(history, 'utf8').split('\n'), ['SELECT 1 +', '2 AS x;', '.mode box', 'SELECT * FROM nope;', 'SELECT 5 AS y;', '.quit', '']);
  } finally {
    spawnSync('tmux', ['-L', socket, 'kill-server']);
    rmSync(directory, { recursive: true, force: true });
  }
});
