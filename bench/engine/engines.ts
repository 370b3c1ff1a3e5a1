/**
 * The engines a benchmark can run on, and how each one is loaded and opened.
 *
 * Every engine is loaded with a dynamic import inside the child process that
 * runs the workload, so a child holds exactly one engine in memory (peak RSS
 * stays comparable) and an engine that cannot load fails only its own cells.
 * All engines are opened with the same busy timeout; the remaining settings
 * are applied identically by `apply-settings.ts` through `pragma()`.
 *
 * Shoal is imported from the compiled package entry (`src/index.js` beside
 * this build's `bench/`). If that entry cannot be loaded, `loadEngine` throws
 * `EngineUnavailableError` ("Shoal engine not available: …") and the runner
 * skips Shoal for the rest of the invocation; if it loads but cannot open a
 * database, each job fails with the same prefix.
 */
import { describeError } from '../harness/describe-error.js';
import type { BenchDatabase } from './bench-database.js';

export const ENGINE_NAMES = ['shoal', 'better-sqlite3', 'turso', 'turso-mp'] as const;
export type EngineName = (typeof ENGINE_NAMES)[number];

/** The engine every ratio is taken against and every checksum compared with first. */
export const BASELINE_ENGINE: EngineName = 'better-sqlite3';

export const BUSY_TIMEOUT_MS = 5000;

export function isEngineName(name: string): name is EngineName {
  return (ENGINE_NAMES as readonly string[]).includes(name);
}

/** What each engine column means, for the report. */
export const ENGINE_DESCRIPTIONS: Record<EngineName, string> = {
  shoal: 'Shoal (this build), `new Database(path, { multiProcess: true })`',
  'better-sqlite3': 'better-sqlite3 (native SQLite)',
  turso: '@tursodatabase/database `compat` (sync API)',
  'turso-mp': "@tursodatabase/database `compat` with `experimental: ['multiprocess_wal']`",
};

/** The engine's module could not be loaded, so no workload can run on it; the message says why. */
export class EngineUnavailableError extends Error {}

type Opener = (path: string) => BenchDatabase;

type DatabaseConstructor = new (path: string, options: Record<string, unknown>) => object;

export async function loadEngine(engine: EngineName): Promise<Opener> {
  switch (engine) {
    case 'shoal':
      return loadShoal();
    case 'better-sqlite3': {
      const { default: Database } = await import('better-sqlite3');
      return (path) => adopt(new Database(path, { timeout: BUSY_TIMEOUT_MS }));
    }
    case 'turso': {
      const { Database } = await import('@tursodatabase/database/compat');
      return (path) => adopt(new Database(path, { timeout: BUSY_TIMEOUT_MS }));
    }
    case 'turso-mp': {
      const { Database } = await import('@tursodatabase/database/compat');
      return (path) => adopt(new Database(path, { timeout: BUSY_TIMEOUT_MS, experimental: ['multiprocess_wal'] }));
    }
  }
}

async function loadShoal(): Promise<Opener> {
  let Database: DatabaseConstructor;
  try {
    const entry = new URL('../../src/index.js', import.meta.url).href;
    const module: unknown = await import(entry);
    Database = shoalConstructor(module);
  } catch (error) {
    throw new EngineUnavailableError(`Shoal engine not available: ${describeError(error)}`);
  }
  return (path) => {
    try {
      return adopt(new Database(path, { timeout: BUSY_TIMEOUT_MS, multiProcess: true }));
    } catch (error) {
      throw new Error(`Shoal engine not available: ${describeError(error)}`);
    }
  };
}

function shoalConstructor(module: unknown): DatabaseConstructor {
  const candidate = (module as { default?: unknown }).default;
  if (typeof candidate !== 'function') throw new Error('src/index.js has no default export `Database`');
  return candidate as DatabaseConstructor;
}

const REQUIRED_METHODS = ['prepare', 'exec', 'pragma', 'transaction', 'close'] as const;

/** Checks that an engine's database object has the better-sqlite3 shape the workloads use. */
function adopt(database: object): BenchDatabase {
  for (const method of REQUIRED_METHODS) {
    if (typeof (database as Record<string, unknown>)[method] !== 'function') {
      throw new Error(`database object has no ${method}() method`);
    }
  }
  return database as BenchDatabase;
}
