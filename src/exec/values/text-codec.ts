/**
 * TEXT <-> BLOB bytes. The database text encoding is UTF-8: a BLOB read as
 * TEXT is decoded as UTF-8 (invalid sequences become U+FFFD), TEXT read as
 * a BLOB is its UTF-8 bytes. Numeric parsing of a BLOB looks at raw bytes,
 * so `blobToLatin1` maps each byte to one char code for the number parsers.
 */

const encoder = new TextEncoder();

/** The UTF-8 bytes (a fresh, exactly sized array) of `text`. */
export function textToBlob(text: string): Uint8Array {
  return encoder.encode(text);
}

/** `blob` decoded as UTF-8. */
export function blobToText(blob: Uint8Array): string {
  return Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength).toString('utf8');
}

/** `blob` with one char per byte, for byte-level ASCII parsing. */
export function blobToLatin1(blob: Uint8Array): string {
  return Buffer.from(blob.buffer, blob.byteOffset, blob.byteLength).toString('latin1');
}

/** Number of bytes `text` takes in UTF-8. */
export function utf8Length(text: string): number {
  return Buffer.byteLength(text, 'utf8');
}
