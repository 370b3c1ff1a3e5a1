/**
 * Renders `BenchResults` as the Markdown report (`latest.md`): machine and
 * versions, the settings each engine reported back, the main table (median
 * and min–max over runs per engine, and the Shoal ÷ better-sqlite3 ratio per
 * run), the (g) growth check, the (i) verdicts, checksum verification, and
 * every failure in full.
 */
import { ENGINE_DESCRIPTIONS, type EngineName } from '../engine/engines.js';
import {
  failedRuns,
  metricSpread,
  shoalRatio,
  successfulRuns,
  type BenchResults,
  type WorkloadResults,
} from './bench-results.js';
import type { Spread } from './statistics.js';

export function renderMarkdown(results: BenchResults): string {
  const footnotes = new Footnotes();
  const table = resultsTable(results, footnotes);
  return [
    '# Shoal benchmarks',
    '',
    `Run ${results.startedAt}, took ${formatDuration(results.durationSeconds)}: \`${results.command}\`.`,
    `Each cell is the median (min–max) of ${results.runs} run${results.runs === 1 ? '' : 's'}; each job ran in a fresh child process and a fresh directory.`,
    '',
    ...machineSection(results),
    ...settingsSection(results),
    '## Results',
    '',
    'The ratio column is Shoal ÷ better-sqlite3, computed run by run (↑: higher is better, so a ratio above 1 favours Shoal; ↓: lower is better, so a ratio below 1 favours Shoal).',
    '',
    ...table,
    '',
    ...growthSection(results),
    ...verdictSection(results),
    ...checksumSection(results),
    ...footnotes.render(),
  ].join('\n');
}

function machineSection(results: BenchResults): string[] {
  const m = results.machine;
  return [
    '## Machine',
    '',
    `- CPU: ${m.cpuModel}, ${m.cores} cores; memory ${m.memoryGiB} GiB; ${m.os}; Node ${m.node}`,
    `- Load average (1 min) at start ${m.loadAverageAtStart}, at end ${results.loadAverageAtEnd} (other work on the machine widens the spreads)`,
    ...results.engines.map((engine) => `- \`${engine}\`: ${m.engineVersions[engine]} — ${ENGINE_DESCRIPTIONS[engine]}`),
    '',
  ];
}

function settingsSection(results: BenchResults): string[] {
  const lines = [
    '## Settings',
    '',
    'Requested from every engine through `pragma()`: `journal_mode=WAL`, `synchronous=NORMAL` (FULL where stated), `cache_size=-16000` (16 MB), `busy_timeout=5000` (and `timeout: 5000` at open). What each engine reported back:',
    '',
  ];
  for (const engine of results.engines) {
    const seen = new Set<string>();
    for (const workload of results.workloads) {
      for (const job of successfulRuns(workload, engine)) {
        if (job.settings === undefined) continue;
        seen.add(Object.entries(job.settings).map(([name, value]) => `${name}=${value}`).join(', '));
      }
    }
    lines.push(`- \`${engine}\`: ${seen.size === 0 ? 'no job opened a database' : [...seen].join('; ')}`);
  }
  lines.push('');
  return lines;
}

function resultsTable(results: BenchResults, footnotes: Footnotes): string[] {
  const header = ['Workload', 'Metric', ...results.engines.map((engine) => `\`${engine}\``), 'Shoal ÷ better-sqlite3', 'Checksums'];
  const rows = [header, header.map(() => '---')];
  for (const workload of results.workloads) {
    workload.metrics.forEach((metric, index) => {
      const cells = results.engines.map((engine) => engineCell(workload, engine, metric.key, footnotes));
      const ratio = shoalRatio(workload, metric.key);
      rows.push([
        index === 0 ? workload.title : '',
        `${metric.label} ${metric.better === 'higher' ? '↑' : '↓'}`,
        ...cells,
        ratio === null ? '—' : formatSpread(ratio, (value) => `${value.toFixed(2)}×`),
        index === 0 ? checksumCell(workload) : '',
      ]);
    });
  }
  return rows.map((cells) => `| ${cells.join(' | ')} |`);
}

function engineCell(workload: WorkloadResults, engine: EngineName, metric: string, footnotes: Footnotes): string {
  if (!workload.engines.includes(engine)) return '—';
  const failures = failedRuns(workload, engine);
  const marks = [...new Set(failures.map((failure) => footnotes.mark(`\`${engine}\`: ${failure.error}`)))].join('');
  const spread = metricSpread(workload, engine, metric);
  const verdicts = [...new Set(successfulRuns(workload, engine).flatMap((job) => (job.verdict === undefined ? [] : [job.verdict])))];
  const verdict = verdicts.length === 0 ? '' : ` **${verdicts.includes('FAIL') ? 'FAIL' : 'PASS'}**`;
  if (spread === null) return failures.length === 0 ? 'n/a' : `✗ ${marks}`;
  const partial = failures.length === 0 ? '' : ` (${failures.length} of ${failures.length + successfulRuns(workload, engine).length} runs failed ${marks})`;
  return `${formatSpread(spread, formatNumber)}${verdict}${partial}`;
}

function checksumCell(workload: WorkloadResults): string {
  if (workload.checksumMismatches.length > 0) return '**✗ MISMATCH**';
  const engines = workload.engines.filter((engine) => successfulRuns(workload, engine).some((job) => job.checksum !== undefined));
  if (engines.length === 0) return '—';
  return engines.length === 1 ? `one engine` : `✓ ${engines.length} agree`;
}

function growthSection(results: BenchResults): string[] {
  const lookups = results.workloads.filter((workload) => workload.group === 'g');
  if (lookups.length < 2) return [];
  const sizes = lookups.map((workload) => Number(workload.id.slice(2)));
  const smallest = sizes[0]!;
  const largest = sizes[sizes.length - 1]!;
  const bound = Math.log(largest) / Math.log(smallest);
  const lines = [
    '## (g) Cost per point select against table size',
    '',
    `Median µs per select. Growth is cost at ${largest.toLocaleString('en-US')} rows ÷ cost at ${smallest.toLocaleString('en-US')} rows; growing no faster than log(n) means at most log(${largest}) ÷ log(${smallest}) = ${bound.toFixed(2)}. ` +
      'Lookups are uniformly random over the table, so once a table outgrows the 16 MB cache most selects also read a leaf page (and some interior pages) from the file: the check measures the engine as configured, I/O included.',
    '',
    `| Engine | ${sizes.map((size) => `${size.toLocaleString('en-US')} rows`).join(' | ')} | Growth | Within log(n)? |`,
    `| --- | ${sizes.map(() => '---').join(' | ')} | --- | --- |`,
  ];
  for (const engine of results.engines) {
    const costs = lookups.map((workload) => {
      const spread = metricSpread(workload, engine, 'selectsPerSecond');
      return spread === null ? null : 1e6 / spread.median;
    });
    if (costs.every((cost) => cost === null)) continue;
    const first = costs[0];
    const last = costs[costs.length - 1];
    const growth = first != null && last != null ? last / first : null;
    lines.push(
      `| \`${engine}\` | ${costs.map((cost) => (cost === null ? '✗' : formatNumber(cost))).join(' | ')} | ${growth === null ? '—' : `${growth.toFixed(2)}×`} | ${growth === null ? '—' : growth <= bound ? 'yes' : '**no**'} |`,
    );
  }
  lines.push('');
  return lines;
}

function verdictSection(results: BenchResults): string[] {
  const lines: string[] = [];
  for (const workload of results.workloads) {
    for (const engine of workload.engines) {
      const jobs = successfulRuns(workload, engine).filter((job) => job.verdict !== undefined);
      if (jobs.length === 0) continue;
      if (lines.length === 0) lines.push('## Assertions', '');
      for (const job of jobs) {
        const counts = Object.entries(job.metrics).map(([name, value]) => `${name} = ${value}`).join(', ');
        const notes = (job.notes ?? []).join('; ');
        lines.push(`- ${workload.title}, \`${engine}\`, run ${job.run}: **${job.verdict}** (${counts})${notes === '' ? '' : `; ${notes}`}`);
      }
    }
  }
  if (lines.length > 0) lines.push('');
  return lines;
}

function checksumSection(results: BenchResults): string[] {
  const mismatches = results.workloads.flatMap((workload) =>
    workload.checksumMismatches.map(
      (m) => `- **CHECKSUM MISMATCH** in ${workload.title}, run ${m.run}: \`${m.engine}\` gave \`${m.checksum}\`, \`${m.reference}\` gave \`${m.expected}\``,
    ),
  );
  return [
    '## Result checksums',
    '',
    mismatches.length === 0
      ? 'Every engine that completed a workload returned the same rows as the others in every run (rows hashed after the timed section).'
      : 'Engines returned different rows:',
    ...mismatches,
    '',
  ];
}

class Footnotes {
  private readonly messages: string[] = [];

  mark(message: string): string {
    let index = this.messages.indexOf(message);
    if (index < 0) index = this.messages.push(message) - 1;
    return `[${index + 1}]`;
  }

  render(): string[] {
    if (this.messages.length === 0) return [];
    return ['## Failures', '', ...this.messages.map((message, index) => `${index + 1}. ${message.replaceAll('|', '\\|')}`), ''];
  }
}

function formatSpread(spread: Spread, format: (value: number) => string): string {
  if (spread.min === spread.max) return format(spread.median);
  return `${format(spread.median)} (${format(spread.min)}–${format(spread.max)})`;
}

export function formatNumber(value: number): string {
  if (Math.abs(value) >= 100) return Math.round(value).toLocaleString('en-US');
  if (value === 0) return '0';
  return value.toPrecision(3);
}

function formatDuration(seconds: number): string {
  const minutes = Math.floor(seconds / 60);
  return minutes === 0 ? `${seconds.toFixed(1)} s` : `${minutes} min ${Math.round(seconds % 60)} s`;
}
