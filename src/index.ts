/**
 * Package entry point: `import Database from 'shoal'` gives a
 * better-sqlite3-compatible `Database` (also exported by name), beside
 * `SqliteError` and the public types.
 */
import { Database } from './api/index.js';

export default Database;
export { Database };
export type * from './api/index.js';
export { SqliteError } from './sqlite-error.js';
