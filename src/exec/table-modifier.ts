/**
 * TableModifier: inserts, updates and deletes rows of one table with
 * SQLite's constraint enforcement and conflict resolution, on top of
 * RowWriter (which keeps the table and index trees in step).
 *
 * For each new row image, in SQLite's order: the rowid key must be an
 * integer ("datatype mismatch"), column affinities are applied, NOT NULL
 * columns are checked, a missing rowid is generated, CHECK constraints run,
 * then the primary key and every UNIQUE index are probed. Each failed
 * constraint is resolved by the statement's `OR` clause if it has one, else
 * by the constraint's own ON CONFLICT, else ABORT:
 *  - ABORT throws (the statement's changes are undone by the caller),
 *  - FAIL throws but keeps the statement's earlier changes,
 *  - ROLLBACK throws and rolls back the whole transaction,
 *  - IGNORE skips the row (the call returns false),
 *  - REPLACE deletes the conflicting rows (for NOT NULL: uses the column's
 *    DEFAULT, or aborts when it has none; for CHECK it acts as ABORT).
 * REPLACE deletions run after every other constraint passed, as SQLite
 * moves REPLACE constraints last.
 *
 * Upsert (INSERT ... ON CONFLICT): `insertOrConflict` first probes the
 * constraints the ON CONFLICT clauses target, in clause order; a conflict
 * there, or (with a bare last clause) on any uniqueness constraint, is not
 * resolved but reported in `upsertConflict` for the caller to run DO
 * NOTHING or DO UPDATE. The DO UPDATE itself (`updateForUpsert`) resolves
 * every conflict as ABORT, as SQLite does.
 */
import { SqliteError } from '../sqlite-error.js';
import type { ConflictResolution } from '../sql/ast.js';
import type { TableSchema } from '../schema/schema-objects.js';
import { checkError, notNullError, rowidConflictError, uniqueError } from './constraint-errors.js';
import type { DatabaseStorage } from './database-storage.js';
import type { Evaluate } from './evaluate.js';
import { RowWriter, type IndexRowLogic } from './row-writer.js';
import type { RowSlot } from './row-slot.js';
import { rowidKey } from './operators/table-scan.js';
import { Affinity, applyAffinity } from './values/affinity.js';
import { truthValue } from './values/conversions.js';
import { compareValues } from './values/compare.js';
import type { SqlValue } from './values/value.js';

export interface CompiledCheck {
  /** Evaluated with the row in the modifier's slot. */
  readonly evaluate: Evaluate;
  /** The name or expression text in "CHECK constraint failed: ...". */
  readonly text: string;
}

export interface ModifierSetup {
  readonly table: TableSchema;
  readonly indexLogic: IndexRowLogic;
  /** The slot CHECK constraints and defaults read. */
  readonly slot: RowSlot;
  readonly checks: readonly CompiledCheck[];
  /** DEFAULT value per column (for NOT NULL ON CONFLICT REPLACE); null where none. */
  readonly defaults: readonly (Evaluate | null)[];
  /** The statement's OR clause, which overrides every constraint's own. */
  readonly override: ConflictResolution | null;
  /** Records how the statement's failure must be undone. */
  readonly setFailMode: (mode: 'fail' | 'rollback') => void;
  /** Called for every row a REPLACE deletes, before it goes. */
  readonly onReplaceDelete: ((values: readonly SqlValue[], rowid: SqlValue) => void) | null;
}

/**
 * The uniqueness constraint an ON CONFLICT clause targets: `ROWID_TARGET`
 * (the INTEGER PRIMARY KEY), `PRIMARY_KEY_TARGET` (a WITHOUT ROWID table's
 * primary key), an index position in `table.indexes`, or null for a bare
 * ON CONFLICT, which takes any uniqueness conflict.
 */
export type UpsertTarget = number | null;
export const ROWID_TARGET = -2;
export const PRIMARY_KEY_TARGET = -1;

/** A uniqueness conflict an ON CONFLICT clause is to handle. */
export interface UpsertConflict {
  /** Position of the clause among the statement's ON CONFLICT clauses. */
  readonly clause: number;
  /** Row key of the existing row: [rowid], or the primary-key values of a WITHOUT ROWID table. */
  readonly key: SqlValue[];
}

/** The largest rowid SQLite assigns before it starts probing random ones. */
const MAX_ROWID = 9223372036854775807n;

export class TableModifier {
  readonly writer: RowWriter;
  readonly table: TableSchema;
  private readonly replaceKeys: SqlValue[][] = [];
  /** Rowid of the last row inserted or updated. */
  rowid: number | bigint = 0;
  /** The rowid the last row image got (given or generated), even when the row was then ignored or failed. */
  chosenRowid: number | bigint | null = null;
  /** For AUTOINCREMENT tables: the largest rowid ever used (sqlite_sequence); new rowids go above it. */
  autoincrementFloor: number | bigint | null = null;
  /** Unique indexes in the order SQLite probes them (newest first); -1 is a WITHOUT ROWID primary key. */
  private readonly uniqueOrder: readonly number[];
  /** The largest rowid in the table as far as this statement knows (null = ask the tree). */
  private maxRowid: number | bigint | null = null;
  /** Set when the last `insertOrConflict` stopped at a conflict an ON CONFLICT clause handles. */
  upsertConflict: UpsertConflict | null = null;
  /** The ON CONFLICT targets of the insert being probed (null outside `insertOrConflict`). */
  private upsertTargets: readonly UpsertTarget[] | null = null;
  /** True while a DO UPDATE runs: every conflict is then ABORT. */
  private upsertUpdating = false;

  constructor(
    storage: DatabaseStorage,
    private readonly setup: ModifierSetup,
  ) {
    this.table = setup.table;
    this.writer = new RowWriter(storage, setup.table, setup.indexLogic);
    this.uniqueOrder = uniqueCheckOrder(setup.table);
  }

  open(): void {
    this.writer.open();
    this.maxRowid = null;
  }

  close(): void {
    this.writer.close();
  }

  /**
   * A new rowid: one past the largest (or past the AUTOINCREMENT floor), or a
   * free random one when the largest possible is taken (SQLITE_FULL for
   * AUTOINCREMENT tables, which never reuse rowids).
   */
  newRowid(): number | bigint {
    if (this.maxRowid === null) this.maxRowid = this.writer.maxRowid();
    const floor = this.autoincrementFloor;
    const max = floor !== null && floor > this.maxRowid ? floor : this.maxRowid;
    if (typeof max === 'number' && max < Number.MAX_SAFE_INTEGER) return max + 1;
    if (BigInt(max) < MAX_ROWID) return normalize(BigInt(max) + 1n);
    if (floor !== null) throw new SqliteError('database or disk is full', 'SQLITE_FULL');
    for (let attempt = 0; attempt < 100; attempt++) {
      const high = BigInt(Math.floor(Math.random() * 2 ** 31)) << 32n;
      const candidate = normalize((high | BigInt(Math.floor(Math.random() * 2 ** 32))) + 1n);
      if (!this.writer.seekRowid(candidate)) return candidate;
    }
    throw new SqliteError('database or disk is full', 'SQLITE_FULL');
  }

  private noteRowid(key: number | bigint): void {
    this.rowid = key;
    if (this.maxRowid !== null && key > this.maxRowid) this.maxRowid = key;
  }

  private resolution(own: ConflictResolution | null): ConflictResolution {
    if (this.upsertUpdating) return 'ABORT';
    return this.setup.override ?? own ?? 'ABORT';
  }

  /** Throws for ABORT/FAIL/ROLLBACK; returns true for REPLACE, false for IGNORE. */
  private conflict(mode: ConflictResolution, error: () => SqliteError): boolean {
    switch (mode) {
      case 'IGNORE':
        return false;
      case 'REPLACE':
        return true;
      case 'FAIL':
        this.setup.setFailMode('fail');
        throw error();
      case 'ROLLBACK':
        this.setup.setFailMode('rollback');
        throw error();
      default:
        throw error();
    }
  }

  /**
   * Prepares a new row image in place: rowid key, affinities, NOT NULL,
   * rowid generation, CHECK. Returns the rowid (null for WITHOUT ROWID), or
   * undefined when the row is to be ignored. `rowid` is the key to use when
   * the table has no INTEGER PRIMARY KEY column; a missing key is generated
   * when `generate` is set (INSERT) and a datatype mismatch otherwise (UPDATE).
   */
  private prepare(values: SqlValue[], rowid: SqlValue, generate: boolean): number | bigint | null | undefined {
    const table = this.table;
    const columns = table.columns;
    let key: number | bigint | null = null;
    this.chosenRowid = null;
    if (!table.withoutRowid) {
      const given = table.rowidAlias >= 0 ? values[table.rowidAlias] : rowid;
      if (given !== null) {
        key = rowidKey(applyAffinity(given, Affinity.INTEGER));
        if (key === null) throw new SqliteError('datatype mismatch', 'SQLITE_MISMATCH');
      }
    }
    for (let i = 0; i < columns.length; i++) {
      if (i === table.rowidAlias) continue;
      const column = columns[i];
      const affinity = column.affinity;
      if (affinity !== Affinity.BLOB && affinity !== Affinity.NONE) values[i] = applyAffinity(values[i], affinity);
      if (column.notNull && values[i] === null) {
        const mode = this.resolution(column.notNullConflict);
        const replace = this.conflict(mode, () => notNullError(table, i));
        if (!replace) return undefined;
        const fallback = this.setup.defaults[i];
        const value = fallback === null ? null : applyAffinity(fallback(), affinity);
        if (value === null) throw notNullError(table, i);
        values[i] = value;
      }
    }
    if (!table.withoutRowid && key === null) {
      if (!generate) throw new SqliteError('datatype mismatch', 'SQLITE_MISMATCH');
      key = this.newRowid();
    }
    if (table.rowidAlias >= 0) values[table.rowidAlias] = key;
    this.chosenRowid = key;
    const checks = this.setup.checks;
    if (checks.length > 0) {
      const slot = this.setup.slot;
      slot.values = values;
      slot.rowid = key;
      for (const check of checks) {
        if (truthValue(check.evaluate()) !== false) continue;
        const mode = this.resolution(null);
        if (mode === 'IGNORE') return undefined;
        if (mode === 'FAIL' || mode === 'ROLLBACK') this.conflict(mode, () => checkError(check.text));
        throw checkError(check.text);
      }
    }
    return key;
  }

  /**
   * Probes the primary key and unique indexes for a row image; `self` is the
   * key of the row being updated (its own entries never conflict). Returns
   * false when the row is to be ignored; REPLACE conflicts are queued.
   */
  private probeUnique(values: readonly SqlValue[], key: number | bigint | null, self: SqlValue[] | null, rowidChanged: boolean): boolean {
    const table = this.table;
    const writer = this.writer;
    if (this.replaceKeys.length !== 0) this.replaceKeys.length = 0;
    const upsert = this.upsertTargets;
    let takesAny = false;
    if (upsert !== null) {
      for (let clause = 0; clause < upsert.length; clause++) {
        const target = upsert[clause];
        if (target === null) {
          takesAny = true;
          continue;
        }
        const other = this.conflictOn(target, values, key);
        if (other === null) continue;
        this.upsertConflict = { clause, key: other };
        return false;
      }
    }
    const anyClause = upsert !== null ? upsert.length - 1 : -1;
    let replaceRowid = false;
    if (!table.withoutRowid && rowidChanged && writer.seekRowid(key!)) {
      if (takesAny) {
        this.upsertConflict = { clause: anyClause, key: [key] };
        return false;
      }
      if (!this.conflict(this.resolution(table.primaryKeyConflict), () => rowidConflictError(table))) return false;
      replaceRowid = true;
    }
    const uniqueOrder = this.uniqueOrder;
    for (let u = 0; u < uniqueOrder.length; u++) {
      const i = uniqueOrder[u];
      if (i < 0) {
        const primary = table.primaryIndex!;
        const changed = self === null || primary.keyTerms.some((t, k) => !sameValue(self[k], values[t.column]));
        if (!changed || !writer.seekPrimaryKey(values)) continue;
        const primaryKey = primary.keyTerms.map((t) => values[t.column]);
        if (takesAny) {
          this.upsertConflict = { clause: anyClause, key: primaryKey };
          return false;
        }
        if (!this.conflict(this.resolution(primary.onConflict), () => uniqueError(table, primary))) return false;
        this.replaceKeys.push(primaryKey);
        continue;
      }
      const index = table.indexes[i];
      const other = writer.uniqueConflict(i, values, key, self);
      if (other === null) continue;
      if (takesAny) {
        this.upsertConflict = { clause: anyClause, key: other };
        return false;
      }
      if (!this.conflict(this.resolution(index.onConflict), () => uniqueError(table, index))) return false;
      this.replaceKeys.push(other);
    }
    if (replaceRowid) this.replaceKeys.unshift([key]);
    return true;
  }

  /** The key of the row that conflicts with `values` on one ON CONFLICT target, or null. */
  private conflictOn(target: number, values: readonly SqlValue[], key: number | bigint | null): SqlValue[] | null {
    const writer = this.writer;
    if (target === ROWID_TARGET) return writer.seekRowid(key!) ? [key] : null;
    if (target === PRIMARY_KEY_TARGET) return writer.seekPrimaryKey(values) ? this.table.primaryIndex!.keyTerms.map((t) => values[t.column]) : null;
    return writer.uniqueConflict(target, values, key, null);
  }

  /** Deletes the rows queued by REPLACE conflicts. */
  private runReplacements(): void {
    if (this.replaceKeys.length === 0) return;
    this.maxRowid = null;
    for (const key of this.replaceKeys) {
      if (!this.seekKey(key)) continue;
      const values = this.writer.readCurrent();
      const rowid = this.table.withoutRowid ? null : this.writer.cursor.rowid();
      this.setup.onReplaceDelete?.(values, rowid);
      if (!this.seekKey(key)) continue;
      this.writer.deleteCurrent(values, rowid);
    }
    this.replaceKeys.length = 0;
  }

  /** Positions the table cursor on the row with this row key; false when it is gone. */
  private seekKey(key: readonly SqlValue[]): boolean {
    const table = this.table;
    if (!table.withoutRowid) return this.writer.seekRowid(key[0] as number | bigint);
    const probe: SqlValue[] = new Array(table.columns.length).fill(null);
    table.primaryIndex!.keyTerms.forEach((t, k) => {
      probe[t.column] = key[k];
    });
    return this.writer.seekPrimaryKey(probe);
  }

  /**
   * Inserts a row (`values` in declaration order, modified in place).
   * `rowid` is the explicit rowid for tables without an INTEGER PRIMARY KEY
   * column (null = generate). Returns false when the row was ignored.
   */
  insert(values: SqlValue[], rowid: SqlValue): boolean {
    const key = this.prepare(values, rowid, true);
    if (key === undefined) return false;
    if (!this.probeUnique(values, key, null, true)) return false;
    this.runReplacements();
    this.writer.insert(values, key);
    if (key !== null) this.noteRowid(key);
    return true;
  }

  /**
   * Like `insert`, for an INSERT with ON CONFLICT clauses (`targets`, in
   * clause order). Returns false both when the row was ignored and when it
   * hit a conflict a clause handles; `upsertConflict` tells the latter.
   */
  insertOrConflict(values: SqlValue[], rowid: SqlValue, targets: readonly UpsertTarget[]): boolean {
    this.upsertConflict = null;
    this.upsertTargets = targets;
    try {
      return this.insert(values, rowid);
    } finally {
      this.upsertTargets = null;
    }
  }

  /** The row with this row key (as `UpsertConflict.key` gives it), or null when it is gone. */
  readRow(key: readonly SqlValue[]): SqlValue[] | null {
    return this.seekKey(key) ? this.writer.readCurrent() : null;
  }

  /** `update` for a DO UPDATE: every constraint failure aborts. */
  updateForUpsert(oldValues: readonly SqlValue[], oldRowid: SqlValue, values: SqlValue[], rowid: SqlValue): boolean {
    this.upsertUpdating = true;
    try {
      return this.update(oldValues, oldRowid, values, rowid);
    } finally {
      this.upsertUpdating = false;
    }
  }

  /**
   * Replaces the row `oldValues`/`oldRowid` by `values` (modified in place;
   * `rowid` is the new rowid for tables without an INTEGER PRIMARY KEY
   * column). Returns false when the change was ignored. `rowIsCurrent`
   * tells that nothing (no trigger) can have deleted the row since the
   * caller read `oldValues`; a rowid table row that keeps its rowid is then
   * rewritten where it is, touching only the index entries that change.
   */
  update(oldValues: readonly SqlValue[], oldRowid: SqlValue, values: SqlValue[], rowid: SqlValue, rowIsCurrent = false): boolean {
    const table = this.table;
    const key = this.prepare(values, rowid, false);
    if (key === undefined) return false;
    const self = table.withoutRowid ? table.primaryIndex!.keyTerms.map((t) => oldValues[t.column]) : [oldRowid];
    const rowidChanged = !table.withoutRowid && !sameValue(key, oldRowid);
    if (!this.probeUnique(values, key, self, rowidChanged)) return false;
    const replacing = this.replaceKeys.length > 0;
    this.runReplacements();
    if (rowIsCurrent && !rowidChanged && key !== null && !(replacing && this.setup.onReplaceDelete !== null)) {
      this.writer.rewrite(oldValues, values, key);
      this.noteRowid(key);
      return true;
    }
    if (!this.seekKey(self)) return false;
    this.writer.deleteCurrent(oldValues, oldRowid);
    this.writer.insert(values, key);
    if (key !== null) this.noteRowid(key);
    return true;
  }

  /** Deletes the row with these values and rowid; false when it no longer exists. */
  delete(values: readonly SqlValue[], rowid: SqlValue): boolean {
    const table = this.table;
    const key = table.withoutRowid ? table.primaryIndex!.keyTerms.map((t) => values[t.column]) : [rowid];
    if (!this.seekKey(key)) return false;
    this.writer.deleteCurrent(values, rowid);
    return true;
  }
}

/**
 * SQLite keeps a table's indexes newest first and probes them in that
 * order; a WITHOUT ROWID primary key sits where its automatic index was
 * created (`sqlite_autoindex_<table>_<n>` counts the indexes before it).
 */
function uniqueCheckOrder(table: TableSchema): number[] {
  const order: number[] = [];
  table.indexes.forEach((index, i) => {
    if (index.unique) order.push(i);
  });
  if (table.primaryIndex !== null) {
    const n = Number(/_(\d+)$/.exec(table.primaryIndex.name)?.[1] ?? '1');
    const before = table.indexes.slice(0, Math.max(0, n - 1)).filter((index) => index.unique).length;
    order.splice(before, 0, -1);
  }
  return order.reverse();
}

function normalize(v: bigint): number | bigint {
  return v >= -9007199254740991n && v <= 9007199254740991n ? Number(v) : v;
}

function sameValue(a: SqlValue, b: SqlValue): boolean {
  if (a === null || b === null) return a === b;
  return compareValues(a, b) === 0;
}
