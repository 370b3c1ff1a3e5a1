/**
 * The unit of compiled code: an expression becomes an `Evaluate` closure
 * that computes its value for the rows its captured sources currently point
 * at. Closures are built once per statement by `src/compile` and called per
 * row; they never look at the syntax tree.
 */
import type { SqlValue } from './values/value.js';

export type Evaluate = () => SqlValue;
