/**
 * Child process for the many-connections tests: opens argv[3] Shoal
 * connections to the database argv[2], prints `open`, then answers one line
 * per command read from stdin:
 *  - `distinct <n>`: connection 0 commits once before each of connections
 *    1..n begins a read transaction, so the n reads pin n different frames;
 *    answers `ok` or `error <code> <message>`;
 *  - `commit`: ends every read transaction; answers `ok`.
 */
import { createInterface } from 'node:readline';
import Database from '../../src/index.js';

const [path, count] = process.argv.slice(2);
const connections = Array.from({ length: Number(count) }, () => new Database(path!, { timeout: 0 }));
process.stdout.write('open\n');

function distinctReads(readers: number): void {
  const writer = connections[0]!;
  for (let reader = 1; reader <= readers; reader++) {
    writer.exec('UPDATE counter SET n = n + 1');
    connections[reader]!.exec('BEGIN');
    connections[reader]!.prepare('SELECT n FROM counter').get();
  }
}

function run(command: string, argument: number): string {
  try {
    if (command === 'distinct') {
      distinctReads(argument);
    } else if (command === 'commit') {
      for (const connection of connections) if (connection.inTransaction) connection.exec('COMMIT');
    } else {
      return `error unknown command ${command}`;
    }
    return 'ok';
  } catch (error) {
    const { code, message } = error as { code?: string; message?: string };
    return `error ${code} ${message}`;
  }
}

for await (const line of createInterface({ input: process.stdin })) {
  const [command, argument] = line.split(' ');
  process.stdout.write(`${run(command!, Number(argument))}\n`);
}
