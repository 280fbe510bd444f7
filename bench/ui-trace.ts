/**
 * `npm run bench:ui -- --trace`: what the page's long main-thread tasks are made of. Records a
 * Chromium trace (timeline and JS samples) over the training window through CDP and, for each
 * task over 50 ms on the page's main thread, lists what took the time: the top-level events
 * inside it (script, style, layout, paint, garbage collection) and the JS functions with the most
 * samples (the app is then built without minifying, so functions keep their names). Beside wall
 * time it reports each task's CPU (thread) time, which a loaded machine does not stretch; the
 * harness's own tasks (page.evaluate, the profiler starting) are left out.
 */
import { writeFileSync } from 'node:fs';
import type { CDPSession, Page } from 'playwright-core';

interface TraceEvent {
  name: string;
  ph: string;
  ts: number;
  dur?: number;
  /** Thread (CPU) time of a complete event: what the task cost, however loaded the machine. */
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string; data?: Record<string, unknown> };
  id?: string;
}

interface ProfileNode {
  id: number;
  callFrame: { functionName: string; url: string; lineNumber: number };
  parent?: number;
}

const CATEGORIES = [
  'devtools.timeline',
  'disabled-by-default-devtools.timeline',
  'v8.execute',
  'disabled-by-default-v8.cpu_profiler',
].join(',');

/** Start tracing `page`; the returned function stops it and summarizes the tasks over `longMs`. */
export async function startTrace(page: Page, longMs: number): Promise<() => Promise<string>> {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', { categories: CATEGORIES, transferMode: 'ReportEvents' });
  return async () => {
    await stopTracing(cdp);
    // BENCH_TRACE_FILE=path: keep the raw events too (chrome://tracing or Perfetto opens them).
    const keep = process.env.BENCH_TRACE_FILE;
    if (keep) writeFileSync(keep, JSON.stringify({ traceEvents: events }));
    return summarize(events, longMs);
  };
}

async function stopTracing(cdp: CDPSession): Promise<void> {
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.end');
  await done;
}

/** The renderer's main thread: the thread named CrRendererMain with the most task time. */
function mainThread(events: TraceEvent[]): { pid: number; tid: number } | null {
  const named = events.filter(
    (e) => e.ph === 'M' && e.name === 'thread_name' && e.args?.name === 'CrRendererMain',
  );
  let best: { pid: number; tid: number } | null = null;
  let bestTime = -1;
  for (const t of named) {
    const time = events
      .filter((e) => e.pid === t.pid && e.tid === t.tid && e.name === 'RunTask')
      .reduce((sum, e) => sum + (e.dur ?? 0), 0);
    if (time > bestTime) [best, bestTime] = [{ pid: t.pid, tid: t.tid }, time];
  }
  return best;
}

/** JS samples of the main thread's CPU profile: time (µs) and the function sampled. */
function samples(events: TraceEvent[], pid: number, tid: number) {
  const nodes = new Map<number, ProfileNode>();
  const out: { ts: number; node: number }[] = [];
  const profiles = new Map<string, number>();
  for (const e of events) {
    if (e.pid !== pid) continue;
    if (e.name === 'Profile' && e.tid === tid)
      profiles.set(e.id ?? '', Number((e.args?.data as { startTime?: number })?.startTime ?? e.ts));
  }
  const clock = new Map(profiles);
  for (const e of events) {
    if (e.name !== 'ProfileChunk' || e.pid !== pid || !clock.has(e.id ?? '')) continue;
    const data = e.args?.data as {
      cpuProfile?: { nodes?: ProfileNode[]; samples?: number[] };
      timeDeltas?: number[];
    };
    for (const n of data.cpuProfile?.nodes ?? []) nodes.set(n.id, n);
    const ids = data.cpuProfile?.samples ?? [];
    const deltas = data.timeDeltas ?? [];
    let t = clock.get(e.id ?? '')!;
    ids.forEach((id, i) => {
      t += deltas[i] ?? 0;
      out.push({ ts: t, node: id });
    });
    clock.set(e.id ?? '', t);
  }
  return { nodes, samples: out };
}

function top(counts: Map<string, number>, n: number, unit: (v: number) => string): string {
  return [...counts.entries()]
    .sort((a, b) => b[1] - a[1])
    .slice(0, n)
    .map(([k, v]) => `${k} ${unit(v)}`)
    .join('; ');
}

/** Where the main thread's time went over the whole window: busy time, by kind, by function. */
function overall(
  onMain: TraceEvent[],
  nodes: Map<number, ProfileNode>,
  jsSamples: { ts: number; node: number }[],
): string {
  const runs = onMain.filter((e) => e.name === 'RunTask');
  const busy = runs.reduce((t, e) => t + (e.dur ?? 0), 0);
  const cpu = runs.reduce((t, e) => t + (e.tdur ?? 0), 0);
  const longCpu = runs.filter((e) => (e.tdur ?? 0) > LONG_CPU_US);
  const longestCpu = Math.max(0, ...runs.map((e) => e.tdur ?? 0));
  const kinds = new Map<string, number>();
  for (const e of onMain)
    if (KINDS.has(e.name)) kinds.set(e.name, (kinds.get(e.name) ?? 0) + (e.dur ?? 0));
  const functions = new Map<string, number>();
  for (const s of jsSamples) {
    const frame = nodes.get(s.node)?.callFrame;
    if (!frame || frame.functionName === '(idle)') continue;
    const key = `${frame.functionName || '(anonymous)'}@${(frame.url ?? '').split('/').pop()}:${frame.lineNumber + 1}`;
    functions.set(key, (functions.get(key) ?? 0) + 1);
  }
  return (
    `busy ${(busy / 1000).toFixed(0)} ms (CPU ${(cpu / 1000).toFixed(0)} ms); tasks over 50 ms of CPU: ` +
    `${longCpu.length}, the longest ${(longestCpu / 1000).toFixed(0)} ms of CPU\n` +
    `    by kind: ${top(kinds, 8, (v) => `${(v / 1000).toFixed(0)} ms`)}\n` +
    `    JS samples: ${top(functions, 12, (v) => `×${v}`)}`
  );
}

/** A task is long in CPU time past this (µs): 50 ms, the browser's own bound for wall time. */
const LONG_CPU_US = 50_000;

/** Top-level kinds of main-thread work (script, style, layout, paint, GC). */
const KINDS = new Set([
  'FunctionCall',
  'TimerFire',
  'HandlePostMessage',
  'UpdateLayoutTree',
  'Layout',
  'PrePaint',
  'Paint',
  'Layerize',
  'Commit',
  'MajorGC',
  'MinorGC',
  'FireAnimationFrame',
]);

function summarize(events: TraceEvent[], longMs: number): string {
  const main = mainThread(events);
  if (!main) return '  (no renderer main thread in the trace)';
  const all = events.filter((e) => e.pid === main.pid && e.tid === main.tid && e.ph === 'X');
  // Tasks the harness runs (page.evaluate, the profiler starting) are not the app's.
  const harness = all
    .filter((e) => e.name === 'EvaluateScript')
    .map((e) => all.find((t) => t.name === 'RunTask' && t.ts <= e.ts && e.ts < t.ts + (t.dur ?? 0)))
    .filter((t): t is TraceEvent => t !== undefined);
  const onMain = all.filter(
    (e) => !harness.some((t) => t.ts <= e.ts && e.ts < t.ts + (t.dur ?? 0)),
  );
  const tasks = onMain
    .filter((e) => e.name === 'RunTask' && (e.dur ?? 0) > longMs * 1000)
    .sort((a, b) => (b.dur ?? 0) - (a.dur ?? 0));
  const { nodes, samples: jsSamples } = samples(events, main.pid, main.tid);
  const lines = [`  all tasks: ${overall(onMain, nodes, jsSamples)}`];
  if (tasks.length === 0) lines.push(`  no task over ${longMs} ms in the trace`);
  for (const task of tasks.slice(0, 5)) {
    const end = task.ts + (task.dur ?? 0);
    const inside = onMain.filter((e) => e !== task && e.ts >= task.ts && e.ts < end);
    const parts = new Map<string, number>();
    for (const e of inside) {
      if (e.name === 'RunTask') continue;
      const label =
        e.name === 'FunctionCall' || e.name === 'EventDispatch' || e.name === 'TimerFire'
          ? `${e.name}(${String((e.args?.data as { functionName?: string; type?: string })?.functionName ?? (e.args?.data as { type?: string })?.type ?? '')})`
          : e.name;
      parts.set(label, (parts.get(label) ?? 0) + (e.dur ?? 0));
    }
    const functions = new Map<string, number>();
    for (const s of jsSamples) {
      if (s.ts < task.ts || s.ts >= end) continue;
      const frame = nodes.get(s.node)?.callFrame;
      if (!frame) continue;
      const file = (frame.url ?? '').split('/').pop() ?? '';
      const key = `${frame.functionName || '(anonymous)'}@${file}:${frame.lineNumber + 1}`;
      functions.set(key, (functions.get(key) ?? 0) + 1);
    }
    lines.push(
      `  task ${((task.dur ?? 0) / 1000).toFixed(0)} ms (CPU ${((task.tdur ?? 0) / 1000).toFixed(0)} ms): ${top(parts, 6, (v) => `${(v / 1000).toFixed(1)} ms`)}`,
      `    JS samples: ${top(functions, 8, (v) => `×${v}`) || '(none)'}`,
    );
  }
  return lines.join('\n');
}
