/**
 * The command line of `npm run bench -- …`: which workloads and engines, how
 * many runs, which sizes, and where the results go. Unknown or malformed
 * arguments are errors with a usage message, never silently ignored.
 */
import { ENGINE_NAMES, isEngineName, type EngineName } from '../engine/engines.js';
import { WORKLOAD_GROUPS } from '../workloads/index.js';
import { FULL_SIZES, SMOKE_SIZES, type BenchSizes } from './bench-sizes.js';

export interface BenchOptions {
  readonly workloadGroups: readonly string[];
  readonly engines: readonly EngineName[];
  readonly runs: number;
  readonly sizes: BenchSizes;
  readonly smoke: boolean;
  /** Directory the results are written to. */
  readonly outputDirectory: string | null;
  /** True when every workload and engine runs at full size: the results are the suite's `latest`. */
  readonly complete: boolean;
}

export const USAGE = `usage: npm run bench -- [options]
  --workload LIST     comma-separated workloads to run: ${WORKLOAD_GROUPS.join(', ')} (default: all)
  --engine LIST       comma-separated engines: ${ENGINE_NAMES.join(', ')} (default: all)
  --runs N            runs of each job; the report gives median and min–max (default 3)
  --lookup-rows LIST  table sizes of (g) (default ${FULL_SIZES.lookupTableRows.join(',')})
  --scan-mib N        size of the (h) table in MiB (default ${FULL_SIZES.scanTableBytes / 1024 / 1024})
  --smoke             tiny sizes and 1 run: proves the harness works, measures nothing
  --out DIR           write the results to DIR (default bench/results)
Writes latest.md/latest.json for a run of every workload and engine, partial.md/partial.json otherwise.`;

export class UsageError extends Error {}

export function parseBenchOptions(args: readonly string[]): BenchOptions {
  const values = new Map<string, string>();
  let smoke = false;
  for (let i = 0; i < args.length; i++) {
    const arg = args[i]!;
    if (arg === '--smoke') {
      smoke = true;
      continue;
    }
    if (arg === '--help' || arg === '-h') throw new UsageError(USAGE);
    const [name, inline] = arg.split(/=(.*)/s, 2) as [string, string | undefined];
    if (!['--workload', '--engine', '--runs', '--lookup-rows', '--scan-mib', '--out'].includes(name)) {
      throw new UsageError(`unknown argument ${arg}\n${USAGE}`);
    }
    const value = inline ?? args[++i];
    if (value === undefined || value === '') throw new UsageError(`${name} needs a value\n${USAGE}`);
    values.set(name, value);
  }

  const workloadGroups = listOption(values.get('--workload'), WORKLOAD_GROUPS, '--workload');
  const engines = listOption(values.get('--engine'), ENGINE_NAMES, '--engine').filter(isEngineName);
  const baseSizes = smoke ? SMOKE_SIZES : FULL_SIZES;
  const lookupRows = values.get('--lookup-rows');
  const scanMib = values.get('--scan-mib');
  const sizes: BenchSizes = {
    ...baseSizes,
    ...(lookupRows === undefined ? {} : { lookupTableRows: lookupRows.split(',').map((n) => positiveInteger(n, '--lookup-rows')) }),
    ...(scanMib === undefined ? {} : { scanTableBytes: positiveInteger(scanMib, '--scan-mib') * 1024 * 1024 }),
  };
  const runsText = values.get('--runs');
  const runs = runsText === undefined ? (smoke ? 1 : 3) : positiveInteger(runsText, '--runs');
  return {
    workloadGroups,
    engines,
    runs,
    sizes,
    smoke,
    outputDirectory: values.get('--out') ?? null,
    complete: !smoke && workloadGroups.length === WORKLOAD_GROUPS.length && engines.length === ENGINE_NAMES.length,
  };
}

function listOption(value: string | undefined, allowed: readonly string[], name: string): string[] {
  if (value === undefined) return [...allowed];
  const chosen = value.split(',').map((item) => item.trim());
  for (const item of chosen) {
    if (!allowed.includes(item)) throw new UsageError(`${name}: unknown value "${item}" (choose from ${allowed.join(', ')})`);
  }
  return allowed.filter((item) => chosen.includes(item));
}

function positiveInteger(text: string, name: string): number {
  const value = Number(text);
  if (!Number.isSafeInteger(value) || value <= 0) throw new UsageError(`${name}: expected a positive integer, got "${text}"`);
  return value;
}
