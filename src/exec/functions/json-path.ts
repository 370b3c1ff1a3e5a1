/**
 * JSON path lookup and in-place edits on a `JsonNode` tree, following
 * SQLite's jsonLookupStep step by step so that every path quirk matches:
 * `.key`, `."quoted key"` (escapes allowed), `[N]`, `[#]`, `[#-N]`; a path
 * is only checked as far as the walk gets (a malformed tail after a
 * missing element is "not found", not an error); object keys match the
 * first equal label; an index too large for the array is "not found".
 *
 * Promise: `walkPath(root, path, edit, value)` (with `path` being the text
 * after the leading '$') returns FOUND, NOT_FOUND or PATH_ERROR. In read
 * mode (Edit.NONE) the node found is left in `pathResult`. With an edit the
 * tree is changed exactly as SQLite changes its JSONB: DELETE removes the
 * element (and its label), REPLACE overwrites an existing element, INSERT
 * adds a missing one (creating missing objects/arrays along the rest of the
 * path), SET does both. Edits at the root itself are the callers' job.
 */
import { JsonKind, JsonNode, stringNodeValue, unescapeJsonText } from './json-node.js';

export const FOUND = 0;
export const NOT_FOUND = 1;
export const PATH_ERROR = 2;

export const Edit = {
  NONE: 0,
  DELETE: 1,
  REPLACE: 2,
  INSERT: 3,
  SET: 4,
} as const;
export type Edit = (typeof Edit)[keyof typeof Edit];

/** The node the last successful read-mode walk found. */
export let pathResult: JsonNode | null = null;

function isDigit(c: number): boolean {
  return c >= 0x30 && c <= 0x39;
}

function charAt(path: string, i: number): number {
  return i < path.length ? path.charCodeAt(i) : 0;
}

/** Applies the edit to `node`, which is `parent.children[index]`. */
function editFound(parent: JsonNode | null, index: number, edit: Edit, value: JsonNode | null): void {
  if (parent === null || edit === Edit.NONE || edit === Edit.INSERT) return;
  const children = parent.children!;
  if (edit === Edit.DELETE) {
    if (parent.kind === JsonKind.OBJECT) children.splice(index - 1, 2);
    else children.splice(index, 1);
  } else {
    children[index] = value!;
  }
}

let created: JsonNode | null = null;

/**
 * jsonCreateEditSubstructure: the node to insert for the path tail `path`
 * from `at` (the value itself, or new containers holding it) into `created`.
 */
function substructure(path: string, at: number, edit: Edit, value: JsonNode): number {
  if (at >= path.length) {
    created = value;
    return FOUND;
  }
  const container = new JsonNode(path.charCodeAt(at) === 0x2e ? JsonKind.OBJECT : JsonKind.ARRAY, '', []);
  const rc = step(container, path, at, edit, value, null, -1);
  created = container;
  return rc;
}

function step(node: JsonNode, path: string, at: number, edit: Edit, value: JsonNode | null, parent: JsonNode | null, index: number): number {
  if (at >= path.length) {
    editFound(parent, index, edit, value);
    pathResult = node;
    return FOUND;
  }
  const c = path.charCodeAt(at);
  if (c === 0x2e) return objectStep(node, path, at + 1, edit, value);
  if (c === 0x5b) return arrayStep(node, path, at, edit, value);
  return PATH_ERROR;
}

function objectStep(node: JsonNode, path: string, at: number, edit: Edit, value: JsonNode | null): number {
  let key: string;
  let rawKey = true;
  let rest: number;
  if (charAt(path, at) === 0x22) {
    let i = at + 1;
    while (i < path.length && path.charCodeAt(i) !== 0x22) {
      if (path.charCodeAt(i) === 0x5c && i + 1 < path.length) i++;
      i++;
    }
    if (i >= path.length) return PATH_ERROR;
    key = path.slice(at + 1, i);
    rawKey = key.indexOf('\\') < 0;
    rest = i + 1;
  } else {
    let i = at;
    while (i < path.length) {
      const d = path.charCodeAt(i);
      if (d === 0x2e || d === 0x5b) break;
      i++;
    }
    if (i === at) return PATH_ERROR;
    key = path.slice(at, i);
    rest = i;
  }
  if (node.kind !== JsonKind.OBJECT) return NOT_FOUND;
  const children = node.children!;
  const wanted = rawKey ? key : unescapeJsonText(key);
  for (let i = 0; i < children.length; i += 2) {
    const label = children[i]!;
    const matches = label.kind === JsonKind.TEXT || label.kind === JsonKind.TEXTRAW ? label.text === wanted : stringNodeValue(label) === wanted;
    if (matches) return step(children[i + 1]!, path, rest, edit, value, node, i + 1);
  }
  if (edit >= Edit.INSERT) {
    const rc = substructure(path, rest, edit, value!);
    if (rc === FOUND) children.push(new JsonNode(rawKey ? JsonKind.TEXTRAW : JsonKind.TEXT5, key, null), created!);
    return rc;
  }
  return NOT_FOUND;
}

function arrayStep(node: JsonNode, path: string, at: number, edit: Edit, value: JsonNode | null): number {
  if (node.kind !== JsonKind.ARRAY) return NOT_FOUND;
  const children = node.children!;
  let k = 0;
  let i = at + 1;
  while (isDigit(charAt(path, i))) {
    k = k * 10 + path.charCodeAt(i) - 0x30;
    i++;
  }
  if (i < at + 2 || charAt(path, i) !== 0x5d) {
    if (charAt(path, at + 1) !== 0x23) return PATH_ERROR;
    k = children.length;
    i = at + 2;
    if (charAt(path, i) === 0x2d && isDigit(charAt(path, i + 1))) {
      let nn = 0;
      i++;
      do {
        nn = nn * 10 + path.charCodeAt(i) - 0x30;
        i++;
      } while (isDigit(charAt(path, i)));
      if (nn > k) return NOT_FOUND;
      k -= nn;
    }
    if (charAt(path, i) !== 0x5d) return PATH_ERROR;
  }
  if (k < children.length) return step(children[k]!, path, i + 1, edit, value, node, k);
  if (k > children.length) return NOT_FOUND;
  if (edit >= Edit.INSERT) {
    const rc = substructure(path, i + 1, edit, value!);
    if (rc === FOUND) children.push(created!);
    return rc;
  }
  return NOT_FOUND;
}

/**
 * Walks `path` (the text after '$') from `root`, applying `edit` with
 * `value` (null for NONE and DELETE). Returns FOUND, NOT_FOUND or PATH_ERROR.
 */
export function walkPath(root: JsonNode, path: string, edit: Edit, value: JsonNode | null): number {
  pathResult = null;
  return step(root, path, 0, edit, value, null, -1);
}
