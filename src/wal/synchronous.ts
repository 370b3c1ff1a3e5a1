/**
 * The `synchronous` setting with SQLite's meaning in WAL mode:
 *  - OFF: never fsync;
 *  - NORMAL (default): fsync the WAL before a checkpoint copies it and the
 *    database file after; a commit survives a process crash, maybe not a
 *    power loss;
 *  - FULL: also fsync the WAL at every commit, so a commit survives power loss.
 */
export type Synchronous = 'OFF' | 'NORMAL' | 'FULL';
