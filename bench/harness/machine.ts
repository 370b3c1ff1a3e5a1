/**
 * The machine and software a run measured: CPU model and cores, memory, OS,
 * Node version, the load other work put on it, and the version of each engine (Shoal's with its git commit,
 * better-sqlite3's with the SQLite it embeds).
 */
import { execFileSync } from 'node:child_process';
import * as fs from 'node:fs';
import { createRequire } from 'node:module';
import * as os from 'node:os';
import * as path from 'node:path';
import type { EngineName } from '../engine/engines.js';

export interface MachineDescription {
  readonly cpuModel: string;
  readonly cores: number;
  readonly memoryGiB: number;
  readonly os: string;
  readonly node: string;
  /** 1-minute load average when the run started: other work on the machine makes every number noisier. */
  readonly loadAverageAtStart: number;
  readonly engineVersions: Record<EngineName, string>;
}

export async function describeMachine(): Promise<MachineDescription> {
  const cpus = os.cpus();
  const turso = packageVersion('@tursodatabase/database/compat', '@tursodatabase/database');
  return {
    cpuModel: cpus[0]?.model.trim() ?? 'unknown',
    cores: cpus.length,
    memoryGiB: Math.round((os.totalmem() / 1024 ** 3) * 10) / 10,
    os: `${os.type()} ${os.release()} ${os.arch()}`,
    node: process.version,
    loadAverageAtStart: Math.round(os.loadavg()[0]! * 100) / 100,
    engineVersions: {
      shoal: shoalVersion(),
      'better-sqlite3': `${packageVersion('better-sqlite3', 'better-sqlite3')} (SQLite ${await sqliteVersion()})`,
      turso,
      'turso-mp': `${turso} + multiprocess_wal`,
    },
  };
}

const require = createRequire(import.meta.url);

/** The version in the package.json of the package `specifier` resolves into. */
function packageVersion(specifier: string, name: string): string {
  try {
    const manifest = findManifest(path.dirname(require.resolve(specifier)), name);
    return manifest?.version ?? 'unknown';
  } catch {
    return 'not installed';
  }
}

interface Manifest {
  readonly name?: string;
  readonly version?: string;
}

function findManifest(start: string, name: string): Manifest | null {
  for (let dir = start; ; dir = path.dirname(dir)) {
    const file = path.join(dir, 'package.json');
    if (fs.existsSync(file)) {
      const manifest = JSON.parse(fs.readFileSync(file, 'utf8')) as Manifest;
      if (manifest.name === name) return manifest;
    }
    if (path.dirname(dir) === dir) return null;
  }
}

function shoalVersion(): string {
  const root = [path.dirname(new URL(import.meta.url).pathname), process.cwd()]
    .map((start) => ({ start, manifest: findManifest(start, 'shoal') }))
    .find((found) => found.manifest !== null);
  if (root === undefined) return 'unknown';
  let commit = '';
  try {
    const cwd = root.start;
    const head = execFileSync('git', ['rev-parse', '--short', 'HEAD'], { cwd, encoding: 'utf8' }).trim();
    const dirty = execFileSync('git', ['status', '--porcelain', '--', 'src'], { cwd, encoding: 'utf8' }).trim() !== '';
    commit = ` (git ${head}${dirty ? ', src/ modified' : ''})`;
  } catch {
    commit = '';
  }
  return `${root.manifest?.version ?? 'unknown'}${commit}`;
}

async function sqliteVersion(): Promise<string> {
  const { default: Database } = await import('better-sqlite3');
  const db = new Database(':memory:');
  try {
    return String((db.prepare('SELECT sqlite_version() AS version').get() as { version: string }).version);
  } finally {
    db.close();
  }
}
