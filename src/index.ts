/**
 * Package entry point. Re-exports the public surface; the better-sqlite3-shaped
 * `Database` joins it when the API layer lands.
 */
export { SqliteError } from './sqlite-error.js';
