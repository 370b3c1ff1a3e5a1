/** One line that says what went wrong: an error's first message line, prefixed with its code when it has one. */

export function describeError(error: unknown): string {
  if (error instanceof Error) {
    const code = (error as { code?: unknown }).code;
    const firstLine = error.message.split('\n')[0] ?? '';
    return typeof code === 'string' && !firstLine.includes(code) ? `${code}: ${firstLine}` : firstLine;
  }
  return String(error);
}
