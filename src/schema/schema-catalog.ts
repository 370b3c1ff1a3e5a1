/**
 * The catalog of one database's schema: every table, index, view and
 * trigger by case-insensitive name, plus the built-in `sqlite_schema` table
 * (also reachable as `sqlite_master`) and the schema cookie the catalog was
 * read at.
 *
 * A catalog is immutable once published to compiled statements: DDL builds
 * a modified copy (`clone`) inside the transaction and the connection swaps
 * it in, so a statement compiled against an older catalog notices by the
 * cookie (`Schema.cookie`) and recompiles.
 */
import type { IndexSchema, TableSchema, TriggerSchema, ViewSchema } from './schema-objects.js';
import { SQLITE_SCHEMA_TABLE } from './sqlite-schema-table.js';

export class Schema {
  /** The header's schema cookie this catalog reflects. */
  cookie: number;
  readonly tables = new Map<string, TableSchema>();
  readonly indexes = new Map<string, IndexSchema>();
  readonly views = new Map<string, ViewSchema>();
  readonly triggers = new Map<string, TriggerSchema>();

  constructor(cookie: number) {
    this.cookie = cookie;
  }

  /** A table by name, including `sqlite_schema`/`sqlite_master`. */
  table(name: string): TableSchema | undefined {
    const lower = name.toLowerCase();
    const found = this.tables.get(lower);
    if (found) return found;
    if (lower === 'sqlite_schema' || lower === 'sqlite_master') return SQLITE_SCHEMA_TABLE;
    return undefined;
  }

  view(name: string): ViewSchema | undefined {
    return this.views.get(name.toLowerCase());
  }

  index(name: string): IndexSchema | undefined {
    return this.indexes.get(name.toLowerCase());
  }

  trigger(name: string): TriggerSchema | undefined {
    return this.triggers.get(name.toLowerCase());
  }

  /** What kind of object, if any, already uses `name` ('table', 'index', 'view'). */
  kindOf(name: string): 'table' | 'index' | 'view' | null {
    const lower = name.toLowerCase();
    if (this.tables.has(lower) || lower === 'sqlite_schema' || lower === 'sqlite_master') return 'table';
    if (this.views.has(lower)) return 'view';
    if (this.indexes.has(lower)) return 'index';
    return null;
  }

  addTable(table: TableSchema): void {
    this.tables.set(table.name.toLowerCase(), table);
    for (const index of table.indexes) this.indexes.set(index.name.toLowerCase(), index);
  }

  /** Adds a CREATE INDEX index to the catalog and to its table's list. */
  addIndex(index: IndexSchema): void {
    this.indexes.set(index.name.toLowerCase(), index);
    const table = this.tables.get(index.tableName.toLowerCase());
    if (table) table.indexes.push(index);
  }

  /** Removes a table with its indexes and triggers. */
  removeTable(name: string): void {
    const lower = name.toLowerCase();
    const table = this.tables.get(lower);
    if (!table) return;
    this.tables.delete(lower);
    for (const index of table.indexes) this.indexes.delete(index.name.toLowerCase());
    for (const [key, trigger] of this.triggers) if (trigger.tableName.toLowerCase() === lower) this.triggers.delete(key);
  }

  removeIndex(name: string): void {
    const lower = name.toLowerCase();
    const index = this.indexes.get(lower);
    if (!index) return;
    this.indexes.delete(lower);
    const table = this.tables.get(index.tableName.toLowerCase());
    if (table) {
      const at = table.indexes.indexOf(index);
      if (at >= 0) table.indexes.splice(at, 1);
    }
  }

  /** Triggers on `tableName` (a table or view) in creation order. */
  triggersOn(tableName: string): TriggerSchema[] {
    const lower = tableName.toLowerCase();
    const out: TriggerSchema[] = [];
    for (const trigger of this.triggers.values()) if (trigger.tableName.toLowerCase() === lower) out.push(trigger);
    return out;
  }

  /** A copy whose maps and index lists may be changed without affecting this catalog. */
  clone(): Schema {
    const copy = new Schema(this.cookie);
    for (const [key, table] of this.tables) {
      const tableCopy: TableSchema = { ...table, indexes: table.indexes.slice() };
      copy.tables.set(key, tableCopy);
    }
    for (const [key, index] of this.indexes) copy.indexes.set(key, index);
    for (const [key, view] of this.views) copy.views.set(key, view);
    for (const [key, trigger] of this.triggers) copy.triggers.set(key, trigger);
    return copy;
  }
}
