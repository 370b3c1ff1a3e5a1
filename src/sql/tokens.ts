/**
 * Token codes and the keyword table of SQLite's SQL dialect.
 *
 * Token codes are small integers so the lexer and parser can keep them in
 * typed arrays and switch on them. The keyword table mirrors SQLite's
 * (mkkeywordhash.c, with the default compile options): keywords are ASCII,
 * matched case-insensitively, and only when the whole identifier consists of
 * letters and underscores. `isFallbackKeyword` lists the keywords that
 * SQLite's grammar lets stand for an identifier (parse.y `%fallback ID`)
 * wherever the keyword itself has no meaning.
 */

export const TK_EOF: number = 0;
export const TK_SEMI: number = 1;
export const TK_ID: number = 2;
export const TK_STRING: number = 3;
export const TK_INTEGER: number = 4;
export const TK_FLOAT: number = 5;
export const TK_BLOB: number = 6;
export const TK_VARIABLE: number = 7;
export const TK_ILLEGAL: number = 8;
export const TK_LP: number = 9;
export const TK_RP: number = 10;
export const TK_COMMA: number = 11;
export const TK_DOT: number = 12;
export const TK_PLUS: number = 13;
export const TK_MINUS: number = 14;
export const TK_STAR: number = 15;
export const TK_SLASH: number = 16;
export const TK_REM: number = 17;
export const TK_EQ: number = 18;
export const TK_NE: number = 19;
export const TK_LT: number = 20;
export const TK_LE: number = 21;
export const TK_GT: number = 22;
export const TK_GE: number = 23;
export const TK_BITAND: number = 24;
export const TK_BITOR: number = 25;
export const TK_BITNOT: number = 26;
export const TK_LSHIFT: number = 27;
export const TK_RSHIFT: number = 28;
export const TK_CONCAT: number = 29;
export const TK_PTR: number = 30;

// Keywords. Codes from TK_ABORT up to TK_IF (inclusive) fall back to ID.
export const TK_ABORT: number = 40;
export const TK_ACTION: number = 41;
export const TK_AFTER: number = 42;
export const TK_ANALYZE: number = 43;
export const TK_ASC: number = 44;
export const TK_ATTACH: number = 45;
export const TK_BEFORE: number = 46;
export const TK_BEGIN: number = 47;
export const TK_BY: number = 48;
export const TK_CASCADE: number = 49;
export const TK_CAST: number = 50;
export const TK_COLUMNKW: number = 51;
export const TK_CONFLICT: number = 52;
export const TK_DATABASE: number = 53;
export const TK_DEFERRED: number = 54;
export const TK_DESC: number = 55;
export const TK_DETACH: number = 56;
export const TK_DO: number = 57;
export const TK_EACH: number = 58;
export const TK_END: number = 59;
export const TK_EXCLUSIVE: number = 60;
export const TK_EXPLAIN: number = 61;
export const TK_FAIL: number = 62;
export const TK_FOR: number = 63;
export const TK_IGNORE: number = 64;
export const TK_IMMEDIATE: number = 65;
export const TK_INITIALLY: number = 66;
export const TK_INSTEAD: number = 67;
export const TK_LIKE_KW: number = 68;
export const TK_MATCH: number = 69;
export const TK_NO: number = 70;
export const TK_PLAN: number = 71;
export const TK_QUERY: number = 72;
export const TK_KEY: number = 73;
export const TK_OF: number = 74;
export const TK_OFFSET: number = 75;
export const TK_PRAGMA: number = 76;
export const TK_RAISE: number = 77;
export const TK_RECURSIVE: number = 78;
export const TK_RELEASE: number = 79;
export const TK_REPLACE: number = 80;
export const TK_RESTRICT: number = 81;
export const TK_ROW: number = 82;
export const TK_ROWS: number = 83;
export const TK_ROLLBACK: number = 84;
export const TK_SAVEPOINT: number = 85;
export const TK_TEMP: number = 86;
export const TK_TRIGGER: number = 87;
export const TK_VACUUM: number = 88;
export const TK_VIEW: number = 89;
export const TK_VIRTUAL: number = 90;
export const TK_WITH: number = 91;
export const TK_WITHOUT: number = 92;
export const TK_NULLS: number = 93;
export const TK_FIRST: number = 94;
export const TK_LAST: number = 95;
export const TK_CURRENT: number = 96;
export const TK_FOLLOWING: number = 97;
export const TK_PARTITION: number = 98;
export const TK_PRECEDING: number = 99;
export const TK_RANGE: number = 100;
export const TK_UNBOUNDED: number = 101;
export const TK_EXCLUDE: number = 102;
export const TK_GROUPS: number = 103;
export const TK_OTHERS: number = 104;
export const TK_TIES: number = 105;
export const TK_GENERATED: number = 106;
export const TK_ALWAYS: number = 107;
export const TK_MATERIALIZED: number = 108;
export const TK_REINDEX: number = 109;
export const TK_RENAME: number = 110;
export const TK_CTIME_KW: number = 111;
export const TK_IF: number = 112;

// Reserved keywords (never identifiers, except INDEXED and JOIN_KW as names).
export const TK_ADD: number = 120;
export const TK_ALL: number = 121;
export const TK_ALTER: number = 122;
export const TK_AND: number = 123;
export const TK_AS: number = 124;
export const TK_AUTOINCR: number = 125;
export const TK_BETWEEN: number = 126;
export const TK_CASE: number = 127;
export const TK_CHECK: number = 128;
export const TK_COLLATE: number = 129;
export const TK_COMMIT: number = 130;
export const TK_CONSTRAINT: number = 131;
export const TK_CREATE: number = 132;
export const TK_DEFAULT: number = 133;
export const TK_DEFERRABLE: number = 134;
export const TK_DELETE: number = 135;
export const TK_DISTINCT: number = 136;
export const TK_DROP: number = 137;
export const TK_ELSE: number = 138;
export const TK_ESCAPE: number = 139;
export const TK_EXCEPT: number = 140;
export const TK_EXISTS: number = 141;
export const TK_FILTER: number = 142;
export const TK_FOREIGN: number = 143;
export const TK_FROM: number = 144;
export const TK_GROUP: number = 145;
export const TK_HAVING: number = 146;
export const TK_IN: number = 147;
export const TK_INDEX: number = 148;
export const TK_INDEXED: number = 149;
export const TK_INSERT: number = 150;
export const TK_INTERSECT: number = 151;
export const TK_INTO: number = 152;
export const TK_IS: number = 153;
export const TK_ISNULL: number = 154;
export const TK_JOIN: number = 155;
export const TK_JOIN_KW: number = 156;
export const TK_LIMIT: number = 157;
export const TK_NOT: number = 158;
export const TK_NOTHING: number = 159;
export const TK_NOTNULL: number = 160;
export const TK_NULL: number = 161;
export const TK_ON: number = 162;
export const TK_OR: number = 163;
export const TK_ORDER: number = 164;
export const TK_OVER: number = 165;
export const TK_PRIMARY: number = 166;
export const TK_REFERENCES: number = 167;
export const TK_RETURNING: number = 168;
export const TK_SELECT: number = 169;
export const TK_SET: number = 170;
export const TK_TABLE: number = 171;
export const TK_THEN: number = 172;
export const TK_TO: number = 173;
export const TK_TRANSACTION: number = 174;
export const TK_UNION: number = 175;
export const TK_UNIQUE: number = 176;
export const TK_UPDATE: number = 177;
export const TK_USING: number = 178;
export const TK_VALUES: number = 179;
export const TK_WHEN: number = 180;
export const TK_WHERE: number = 181;
export const TK_WINDOW: number = 182;

/** True for keywords that SQLite's grammar lets fall back to an identifier. */
export function isFallbackKeyword(t: number): boolean {
  return t >= TK_ABORT && t <= TK_IF;
}

const KEYWORDS: ReadonlyArray<readonly [string, number]> = [
  ['ABORT', TK_ABORT], ['ACTION', TK_ACTION], ['ADD', TK_ADD], ['AFTER', TK_AFTER],
  ['ALL', TK_ALL], ['ALTER', TK_ALTER], ['ALWAYS', TK_ALWAYS], ['ANALYZE', TK_ANALYZE],
  ['AND', TK_AND], ['AS', TK_AS], ['ASC', TK_ASC], ['ATTACH', TK_ATTACH],
  ['AUTOINCREMENT', TK_AUTOINCR], ['BEFORE', TK_BEFORE], ['BEGIN', TK_BEGIN],
  ['BETWEEN', TK_BETWEEN], ['BY', TK_BY], ['CASCADE', TK_CASCADE], ['CASE', TK_CASE],
  ['CAST', TK_CAST], ['CHECK', TK_CHECK], ['COLLATE', TK_COLLATE], ['COLUMN', TK_COLUMNKW],
  ['COMMIT', TK_COMMIT], ['CONFLICT', TK_CONFLICT], ['CONSTRAINT', TK_CONSTRAINT],
  ['CREATE', TK_CREATE], ['CROSS', TK_JOIN_KW], ['CURRENT', TK_CURRENT],
  ['CURRENT_DATE', TK_CTIME_KW], ['CURRENT_TIME', TK_CTIME_KW],
  ['CURRENT_TIMESTAMP', TK_CTIME_KW], ['DATABASE', TK_DATABASE], ['DEFAULT', TK_DEFAULT],
  ['DEFERRED', TK_DEFERRED], ['DEFERRABLE', TK_DEFERRABLE], ['DELETE', TK_DELETE],
  ['DESC', TK_DESC], ['DETACH', TK_DETACH], ['DISTINCT', TK_DISTINCT], ['DO', TK_DO],
  ['DROP', TK_DROP], ['END', TK_END], ['EACH', TK_EACH], ['ELSE', TK_ELSE],
  ['ESCAPE', TK_ESCAPE], ['EXCEPT', TK_EXCEPT], ['EXCLUSIVE', TK_EXCLUSIVE],
  ['EXCLUDE', TK_EXCLUDE], ['EXISTS', TK_EXISTS], ['EXPLAIN', TK_EXPLAIN], ['FAIL', TK_FAIL],
  ['FILTER', TK_FILTER], ['FIRST', TK_FIRST], ['FOLLOWING', TK_FOLLOWING], ['FOR', TK_FOR],
  ['FOREIGN', TK_FOREIGN], ['FROM', TK_FROM], ['FULL', TK_JOIN_KW], ['GENERATED', TK_GENERATED],
  ['GLOB', TK_LIKE_KW], ['GROUP', TK_GROUP], ['GROUPS', TK_GROUPS], ['HAVING', TK_HAVING],
  ['IF', TK_IF], ['IGNORE', TK_IGNORE], ['IMMEDIATE', TK_IMMEDIATE], ['IN', TK_IN],
  ['INDEX', TK_INDEX], ['INDEXED', TK_INDEXED], ['INITIALLY', TK_INITIALLY],
  ['INNER', TK_JOIN_KW], ['INSERT', TK_INSERT], ['INSTEAD', TK_INSTEAD],
  ['INTERSECT', TK_INTERSECT], ['INTO', TK_INTO], ['IS', TK_IS], ['ISNULL', TK_ISNULL],
  ['JOIN', TK_JOIN], ['KEY', TK_KEY], ['LAST', TK_LAST], ['LEFT', TK_JOIN_KW],
  ['LIKE', TK_LIKE_KW], ['LIMIT', TK_LIMIT], ['MATCH', TK_MATCH],
  ['MATERIALIZED', TK_MATERIALIZED], ['NATURAL', TK_JOIN_KW], ['NO', TK_NO], ['NOT', TK_NOT],
  ['NOTHING', TK_NOTHING], ['NOTNULL', TK_NOTNULL], ['NULL', TK_NULL], ['NULLS', TK_NULLS],
  ['OF', TK_OF], ['OFFSET', TK_OFFSET], ['ON', TK_ON], ['OR', TK_OR], ['ORDER', TK_ORDER],
  ['OTHERS', TK_OTHERS], ['OUTER', TK_JOIN_KW], ['OVER', TK_OVER], ['PARTITION', TK_PARTITION],
  ['PLAN', TK_PLAN], ['PRAGMA', TK_PRAGMA], ['PRECEDING', TK_PRECEDING],
  ['PRIMARY', TK_PRIMARY], ['QUERY', TK_QUERY], ['RAISE', TK_RAISE], ['RANGE', TK_RANGE],
  ['RECURSIVE', TK_RECURSIVE], ['REFERENCES', TK_REFERENCES], ['REGEXP', TK_LIKE_KW],
  ['REINDEX', TK_REINDEX], ['RELEASE', TK_RELEASE], ['RENAME', TK_RENAME],
  ['REPLACE', TK_REPLACE], ['RESTRICT', TK_RESTRICT], ['RETURNING', TK_RETURNING],
  ['RIGHT', TK_JOIN_KW], ['ROLLBACK', TK_ROLLBACK], ['ROW', TK_ROW], ['ROWS', TK_ROWS],
  ['SAVEPOINT', TK_SAVEPOINT], ['SELECT', TK_SELECT], ['SET', TK_SET], ['TABLE', TK_TABLE],
  ['TEMP', TK_TEMP], ['TEMPORARY', TK_TEMP], ['THEN', TK_THEN], ['TIES', TK_TIES],
  ['TO', TK_TO], ['TRANSACTION', TK_TRANSACTION], ['TRIGGER', TK_TRIGGER],
  ['UNBOUNDED', TK_UNBOUNDED], ['UNION', TK_UNION], ['UNIQUE', TK_UNIQUE],
  ['UPDATE', TK_UPDATE], ['USING', TK_USING], ['VACUUM', TK_VACUUM], ['VALUES', TK_VALUES],
  ['VIEW', TK_VIEW], ['VIRTUAL', TK_VIRTUAL], ['WHEN', TK_WHEN], ['WHERE', TK_WHERE],
  ['WINDOW', TK_WINDOW], ['WITH', TK_WITH], ['WITHOUT', TK_WITHOUT],
];

// Keywords bucketed by (length, first letter, last letter); a bucket holds
// the keyword texts (upper case) and their codes. Lookup compares in place,
// so recognising a keyword allocates nothing.
const BUCKETS = 512;
const bucketWords: string[][] = [];
const bucketCodes: number[][] = [];
for (let i = 0; i < BUCKETS; i++) {
  bucketWords.push([]);
  bucketCodes.push([]);
}

function bucketOf(len: number, first: number, last: number): number {
  return ((first | 0x20) * 7 + (last | 0x20) * 3 + len) & (BUCKETS - 1);
}

for (const [word, code] of KEYWORDS) {
  const b = bucketOf(word.length, word.charCodeAt(0), word.charCodeAt(word.length - 1));
  bucketWords[b].push(word);
  bucketCodes[b].push(code);
}

/**
 * The keyword code for `sql[start, end)`, or TK_ID. The caller guarantees
 * the range holds only ASCII letters and underscores.
 */
export function keywordCode(sql: string, start: number, end: number): number {
  const len = end - start;
  if (len < 2 || len > 17) return TK_ID;
  const b = bucketOf(len, sql.charCodeAt(start), sql.charCodeAt(end - 1));
  const words = bucketWords[b];
  outer: for (let w = 0; w < words.length; w++) {
    const word = words[w];
    if (word.length !== len) continue;
    for (let i = 0; i < len; i++) {
      // Upper-case the source letter; '_' (0x5F) is unaffected by clearing 0x20.
      if ((sql.charCodeAt(start + i) & 0xdf) !== word.charCodeAt(i)) continue outer;
    }
    return bucketCodes[b][w];
  }
  return TK_ID;
}
