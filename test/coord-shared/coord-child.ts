/**
 * Child process for the shared-coordination tests: opens the coordination
 * of the database given as argv[2] (argv[3] = "readonly" for read-only),
 * prints `open <mode>`, then answers one line per command read from stdin.
 * Commands: pin, unpin, min, snapshot, lock-writer, unlock-writer,
 * lock-checkpoint, commit <maxFrame> <checksum1> <checksum2>,
 * commit-loop <count>, append <page,page,...> <firstFrame>, trim <maxFrame>,
 * find <page> <min> <max>, last, close.
 */
import { createInterface } from 'node:readline';
import { SharedCoordination } from '../../src/coord/shared/shared-coordination.js';

const [databasePath, flag] = process.argv.slice(2);
const coordination = SharedCoordination.open({ databasePath: databasePath!, readOnly: flag === 'readonly' });
const token = { id: 1 };
process.stdout.write(`open ${coordination.openMode}\n`);

function run(words: string[]): string {
  const [command, ...args] = words;
  const numbers = args.map(Number);
  switch (command) {
    case 'pin':
      return String(coordination.pinReader(token).maxFrame);
    case 'unpin':
      coordination.unpinReader(token);
      return 'ok';
    case 'min':
      return String(coordination.minReaderFrame(token));
    case 'snapshot':
      return JSON.stringify(coordination.snapshot());
    case 'lock-writer':
      return String(coordination.tryLockWriter());
    case 'unlock-writer':
      coordination.unlockWriter();
      return 'ok';
    case 'lock-checkpoint':
      return String(coordination.tryLockCheckpoint());
    case 'commit': {
      const base = coordination.snapshot().transactionCount;
      coordination.publishCommit(numbers[0]!, numbers[1]!, numbers[2]!, base);
      return 'ok';
    }
    case 'commit-loop': {
      for (let i = 0; i < numbers[0]!; i++) {
        const current = coordination.snapshot();
        const next = current.maxFrame + 1;
        coordination.publishCommit(next, (next * 3) >>> 0, (next * 7) >>> 0, current.transactionCount);
      }
      return 'ok';
    }
    case 'append': {
      let frame = numbers[1]!;
      for (const page of args[0]!.split(',').map(Number)) coordination.appendFrame(page, frame++);
      return 'ok';
    }
    case 'trim':
      coordination.trimFrames(numbers[0]!);
      return 'ok';
    case 'find':
      return String(coordination.findFrame(numbers[0]!, numbers[1]!, numbers[2]!));
    case 'last':
      return String(coordination.isLastConnection());
    case 'close':
      coordination.close();
      return 'closed';
    default:
      throw new Error(`unknown command ${command}`);
  }
}

createInterface({ input: process.stdin }).on('line', (line) => {
  let answer: string;
  try {
    answer = run(line.trim().split(/\s+/));
  } catch (err) {
    const error = err as Error & { code?: string };
    answer = `error ${error.code ?? 'ERROR'} ${error.message}`;
  }
  process.stdout.write(`${answer}\n`);
});
