// Module resolution hook that makes the name `better-sqlite3` resolve to
// Shoal, as `npm install better-sqlite3@npm:shoal` does for an application
// (used by drizzle-alias-child.ts, registered with module.register()).
import type { ResolveHook } from 'node:module';

const shoalEntry = new URL('../../src/index.js', import.meta.url).href;

export const resolve: ResolveHook = (specifier, context, nextResolve) =>
  specifier === 'better-sqlite3' ? { url: shoalEntry, shortCircuit: true } : nextResolve(specifier, context);
