/**
 * openConnection: the composition root of the engine. It opens the pager
 * for `path` (`:memory:`/'' for a private in-memory database) with the
 * options the API passes (`multiProcess` makes the connection a peer of the
 * shared `-tshm` coordination; otherwise the connections of this process
 * share an in-process one), and builds a Connection wired to the statement
 * compiler.
 */
import * as fs from 'node:fs';
import { SqliteError } from '../sqlite-error.js';
import { DEFAULT_CACHE_SIZE, isMemoryPath, openPager } from '../pager/open-pager.js';
import { compileStatement } from '../compile/statement-compiler.js';
import { Connection } from './connection.js';
import type { EngineConnection, EngineOpenOptions } from './engine-contract.js';

export function openConnection(path: string, options: EngineOpenOptions): EngineConnection {
  const memory = isMemoryPath(path);
  if (!memory && options.fileMustExist && !fs.existsSync(path)) {
    throw new SqliteError('unable to open database file', 'SQLITE_CANTOPEN');
  }
  const pager = openPager(path, {
    readonly: options.readonly,
    busyTimeout: options.timeout,
    cacheSize: DEFAULT_CACHE_SIZE,
    multiProcess: options.multiProcess,
  });
  return new Connection(pager, memory ? '' : path, memory, options.readonly, compileStatement, DEFAULT_CACHE_SIZE);
}
