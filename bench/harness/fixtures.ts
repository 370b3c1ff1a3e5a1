/**
 * Fixtures: the starting databases of the workloads that read (or share)
 * existing data, built once per bench invocation with better-sqlite3 and then
 * handed to each job in its fresh directory.
 *
 * A fixture is a plain SQLite file marked for WAL mode, with no `-wal`
 * beside it, so every engine starts from identical bytes. It is written
 * without a journal (a crash only costs a rebuild) and switched to WAL at the
 * end, which halves the bytes written for the 1 GB table. Jobs that only read get a hard
 * link (the 1 GB scan table cannot be copied a dozen times within the time
 * budget); after such a job the store checks the file is unchanged and
 * reports loudly if an engine wrote to it. Jobs that write get a copy.
 */
import * as fs from 'node:fs';
import * as path from 'node:path';
import type BetterSqlite3 from 'better-sqlite3';

export interface FixtureSpec {
  /** Identifies the contents; specs with the same key are built once. */
  readonly key: string;
  /** `link` for read-only jobs, `copy` for jobs that write. */
  readonly share: 'link' | 'copy';
  /** Creates the contents in an empty database. */
  build(db: BetterSqlite3.Database): void;
}

interface BuiltFixture {
  readonly file: string;
  readonly size: number;
  readonly modifiedMs: number;
}

export class FixtureStore {
  private readonly built = new Map<string, BuiltFixture>();

  constructor(private readonly directory: string) {
    fs.mkdirSync(directory, { recursive: true });
  }

  /** Builds the fixture now unless it already exists (so job times never include a build). */
  async prepare(spec: FixtureSpec): Promise<void> {
    if (!this.built.has(spec.key)) await this.build(spec);
  }

  /** Puts the fixture's database at `target`, building it first if needed. */
  async place(spec: FixtureSpec, target: string): Promise<void> {
    const fixture = this.built.get(spec.key) ?? (await this.build(spec));
    if (spec.share === 'link') fs.linkSync(fixture.file, target);
    else fs.copyFileSync(fixture.file, target);
  }

  /**
   * After a job that had a link: an error message if the shared file changed
   * (the fixture is then discarded so the next job gets a fresh build).
   */
  checkUnchanged(spec: FixtureSpec): string | null {
    const fixture = this.built.get(spec.key);
    if (spec.share !== 'link' || fixture === undefined) return null;
    const now = fs.statSync(fixture.file);
    if (now.size === fixture.size && now.mtimeMs === fixture.modifiedMs) return null;
    this.built.delete(spec.key);
    fs.rmSync(fixture.file, { force: true });
    return `the engine wrote to the shared read-only fixture ${spec.key}`;
  }

  private async build(spec: FixtureSpec): Promise<BuiltFixture> {
    const file = path.join(this.directory, `${spec.key}.db`);
    fs.rmSync(file, { force: true });
    const { default: Database } = await import('better-sqlite3');
    const db = new Database(file);
    try {
      db.pragma('journal_mode = OFF');
      db.pragma('synchronous = OFF');
      db.pragma('cache_size = -262144');
      spec.build(db);
      db.pragma('journal_mode = WAL');
    } finally {
      db.close();
    }
    const stat = fs.statSync(file);
    const fixture = { file, size: stat.size, modifiedMs: stat.mtimeMs };
    this.built.set(spec.key, fixture);
    return fixture;
  }
}
