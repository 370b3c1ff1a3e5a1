/**
 * CURRENT_DATE, CURRENT_TIME and CURRENT_TIMESTAMP: the statement time as
 * UTC text in SQLite's formats (`YYYY-MM-DD`, `HH:MM:SS`,
 * `YYYY-MM-DD HH:MM:SS`).
 */
export function currentTimeText(keyword: 'CURRENT_DATE' | 'CURRENT_TIME' | 'CURRENT_TIMESTAMP', now: number): string {
  const iso = new Date(now).toISOString();
  const date = iso.slice(0, 10);
  const time = iso.slice(11, 19);
  if (keyword === 'CURRENT_DATE') return date;
  if (keyword === 'CURRENT_TIME') return time;
  return `${date} ${time}`;
}
