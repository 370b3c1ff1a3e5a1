// A second process for the onCommit and coordination() tests, using only the
// public API. Usage: node commit-peer.js ROLE DB [N]
//   commit DB N     commits N single-row inserts, prints {"pid"} and exits
//   listen DB       subscribes to onCommit, prints "ready", then reads a target
//                   count from stdin and exits once it heard it, printing
//                   {"pid","counts"}
//   idle DB         subscribes to onCommit, prints "ready", and does nothing
//                   more: the process must end by itself
//   hold-read DB    opens a read transaction, prints {"pid"}, holds it until
//                   stdin ends
//   hold-write DB   takes the write lock (BEGIN IMMEDIATE), prints {"pid"},
//                   holds it until stdin ends
import Database from '../../src/index.js';

const [role, path, countText] = process.argv.slice(2);
const db = new Database(path!);

function untilStdinEnds(): Promise<void> {
  return new Promise((resolve) => {
    process.stdin.on('data', () => undefined);
    process.stdin.on('end', resolve);
  });
}

switch (role) {
  case 'commit': {
    const insert = db.prepare('INSERT INTO t(x) VALUES (?)');
    for (let k = 0; k < Number(countText); k++) insert.run(k);
    db.close();
    process.stdout.write(`${JSON.stringify({ pid: process.pid })}\n`);
    break;
  }
  case 'listen': {
    const counts: number[] = [];
    let target = Infinity;
    const finishIfHeard = () => {
      if (counts.length > 0 && counts[counts.length - 1]! >= target) {
        unsubscribe();
        db.close();
        process.stdout.write(`${JSON.stringify({ pid: process.pid, counts })}\n`);
        process.stdin.destroy();
      }
    };
    const unsubscribe = db.onCommit((count) => {
      counts.push(count);
      finishIfHeard();
    });
    process.stdin.on('data', (chunk: Buffer) => {
      target = Number(chunk.toString().trim());
      finishIfHeard();
    });
    process.stdout.write('ready\n');
    break;
  }
  case 'idle': {
    db.onCommit(() => undefined);
    process.stdout.write('ready\n');
    break;
  }
  case 'hold-read': {
    db.exec('BEGIN');
    db.prepare('SELECT count(*) FROM t').pluck().get();
    process.stdout.write(`${JSON.stringify({ pid: process.pid })}\n`);
    await untilStdinEnds();
    db.exec('COMMIT');
    db.close();
    break;
  }
  case 'hold-write': {
    db.exec('BEGIN IMMEDIATE');
    process.stdout.write(`${JSON.stringify({ pid: process.pid })}\n`);
    await untilStdinEnds();
    db.exec('COMMIT');
    db.close();
    break;
  }
  default:
    throw new Error(`unknown role ${role}`);
}
