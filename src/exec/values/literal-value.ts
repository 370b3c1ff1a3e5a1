/**
 * The value of a literal token, as SQLite reads it: decimal integers that
 * fit int64 are INTEGER (larger ones become REAL), hexadecimal integers are
 * 64-bit two's complement INTEGERs ("hex literal too big" past 16 digits),
 * floats are REAL, strings TEXT, `X'..'` BLOB, NULL, and TRUE/FALSE 1/0.
 */
import { SqliteError } from '../../sqlite-error.js';
import type { Literal } from '../../sql/ast.js';
import { integerFromBigInt, realValue, type SqlValue } from './value.js';

const INT64_MAX = 9223372036854775807n;
const INT64_MIN = -9223372036854775808n;

export function literalValue(literal: Literal): SqlValue {
  switch (literal.type) {
    case 'null':
      return null;
    case 'boolean':
      return literal.value.toLowerCase() === 'true' ? 1 : 0;
    case 'string':
      return literal.value;
    case 'blob':
      return hexToBytes(literal.value);
    case 'float':
      return realValue(Number(literal.value));
    case 'integer':
      return integerLiteral(literal.value);
  }
}

/**
 * The value of `-literal` for a numeric literal, which SQLite codes as one
 * constant rather than a subtraction from zero: `-9223372036854775808` is the
 * smallest INTEGER, `-0.0` is a negative-zero REAL, and `-0x8000000000000000`
 * is "hex literal too big".
 */
export function negatedLiteralValue(literal: Literal): SqlValue {
  const text = literal.value;
  if (literal.type === 'float') return realValue(-Number(text));
  if (!isHex(text)) {
    const negated = -BigInt(text);
    return negated < INT64_MIN ? realValue(-Number(text)) : integerFromBigInt(negated);
  }
  const value = BigInt(integerLiteral(text) as number | bigint);
  if (value === INT64_MIN) throw new SqliteError(`hex literal too big: -${text}`, 'SQLITE_ERROR');
  return integerFromBigInt(-value);
}

function isHex(text: string): boolean {
  return text.length > 2 && (text[1] === 'x' || text[1] === 'X');
}

function integerLiteral(text: string): SqlValue {
  if (isHex(text)) {
    const digits = text.slice(2).replace(/^0+/, '');
    if (digits.length > 16) throw new SqliteError(`hex literal too big: ${text}`, 'SQLITE_ERROR');
    return integerFromBigInt(BigInt.asIntN(64, BigInt(`0x${digits || '0'}`)));
  }
  if (text.length < 16) return Number(text);
  const big = BigInt(text);
  if (big > INT64_MAX) return realValue(Number(text));
  return integerFromBigInt(big);
}

function hexToBytes(hex: string): Uint8Array {
  const out = new Uint8Array(hex.length >> 1);
  for (let i = 0; i < out.length; i++) out[i] = parseInt(hex.substr(i * 2, 2), 16);
  return out;
}
