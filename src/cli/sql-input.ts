/**
 * SQL input splitting for the shell: finds where each statement ends, as
 * `sqlite3_complete()` decides it, so the shell knows when to run what was
 * typed, when to show the continuation prompt, and which line a statement
 * began on (for "near line N" in error messages).
 *
 * A statement ends at a `;` outside string literals, quoted identifiers and
 * comments, except inside a `CREATE [TEMP] TRIGGER` body, which ends only at
 * `END ;`.
 */

export interface SqlPiece {
  /** The statement text including its `;`. */
  readonly sql: string;
  /** 1-based line, within the scanned text, where the statement starts. */
  readonly line: number;
}

export interface SplitResult {
  readonly statements: SqlPiece[];
  /** Text after the last complete statement (an unfinished statement, or blank). */
  readonly rest: string;
}

/** Splits `text` into complete statements and an unfinished remainder. */
export function splitStatements(text: string): SplitResult {
  const statements: SqlPiece[] = [];
  let start = 0;
  let k = 0;
  let line = 1;
  let startLine = 1;
  let words: string[] = [];
  let word = '';
  let pieceHasContent = false;
  const n = text.length;

  const endWord = (): void => {
    if (word !== '') {
      if (words.length < 4) words.push(word.toUpperCase());
      else words[3] = word.toUpperCase();
      word = '';
    }
  };

  while (k < n) {
    const c = text[k];
    if (!pieceHasContent && c !== '\n' && c !== ';' && !/\s/.test(c)) {
      pieceHasContent = true;
      startLine = line;
    }
    if (c === "'" || c === '"' || c === '`' || c === '[') {
      endWord();
      const close = c === '[' ? ']' : c;
      let j = k + 1;
      while (j < n && text[j] !== close) {
        if (text[j] === '\n') line++;
        j++;
      }
      k = j + 1;
      markNonWord(words);
      continue;
    }
    if (c === '-' && text[k + 1] === '-') {
      endWord();
      while (k < n && text[k] !== '\n') k++;
      continue;
    }
    if (c === '/' && text[k + 1] === '*') {
      endWord();
      let j = k + 2;
      while (j < n && !(text[j] === '*' && text[j + 1] === '/')) {
        if (text[j] === '\n') line++;
        j++;
      }
      k = j + 2;
      continue;
    }
    if (c === ';') {
      endWord();
      if (!insideTriggerBody(words)) {
        const sql = text.slice(start, k + 1);
        if (sql.trim() !== ';') statements.push({ sql, line: startLine });
        start = k + 1;
        words = [];
        pieceHasContent = false;
      } else {
        markNonWord(words, ';');
      }
      k++;
      continue;
    }
    if (c === '\n') line++;
    if (/[A-Za-z0-9_$]/.test(c) || c.charCodeAt(0) > 127) {
      word += c;
    } else {
      endWord();
      if (!/\s/.test(c)) markNonWord(words);
    }
    k++;
  }
  return { statements, rest: text.slice(start) };
}

/** True when `text` has only whitespace and comments. */
export function isBlank(text: string): boolean {
  return text.replace(/--[^\n]*|\/\*[\s\S]*?\*\//g, '').trim() === '';
}

/**
 * `words` keeps the first three words of the statement (to recognise
 * `CREATE [TEMP|TEMPORARY] TRIGGER`) and, in slot 3, the last token, so
 * `END` directly before `;` can be seen.
 */
function insideTriggerBody(words: readonly string[]): boolean {
  if (words[0] !== 'CREATE') return false;
  const isTrigger = words[1] === 'TRIGGER' || ((words[1] === 'TEMP' || words[1] === 'TEMPORARY') && words[2] === 'TRIGGER');
  if (!isTrigger) return false;
  return words[3] !== 'END';
}

function markNonWord(words: string[], token = '?'): void {
  if (words.length >= 4) words[3] = token;
  else words.push(token);
}
