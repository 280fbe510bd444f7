/**
 * The page's main-thread tasks while a test runs, measured from a Chromium trace (CDP Tracing,
 * category "toplevel"): each task's wall time and its CPU (thread) time. The browser tests assert
 * the catastrophe bound of DESIGN §6 (no task over 200 ms) on CPU time: a task that computes for
 * 200 ms blocks the page however idle the machine, while on a shared 2-core machine a 20 ms task
 * can take 300 ms by the wall clock waiting for a core (seen under a load average of 15), which
 * would make a wall-time bound fail by chance. The 50 ms target is measured by `npm run bench:ui`.
 */
import type { CDPSession, Page } from 'playwright-core';

export interface MainThreadTask {
  /** Wall time of the task, ms. */
  wallMs: number;
  /** CPU time the main thread spent in it, ms. */
  cpuMs: number;
}

interface TraceEvent {
  name: string;
  ph: string;
  dur?: number;
  tdur?: number;
  pid: number;
  tid: number;
  args?: { name?: string };
}

const TASK = 'ThreadControllerImpl::RunTask';

/** Start recording; the returned function stops and gives the page's main-thread tasks. */
export async function traceMainThread(page: Page): Promise<() => Promise<MainThreadTask[]>> {
  const cdp = await page.context().newCDPSession(page);
  const events: TraceEvent[] = [];
  cdp.on('Tracing.dataCollected', (e) => events.push(...(e.value as unknown as TraceEvent[])));
  await cdp.send('Tracing.start', {
    categories: '-*,toplevel,__metadata',
    transferMode: 'ReportEvents',
  });
  return async () => {
    await stopTracing(cdp);
    await cdp.detach().catch(() => undefined);
    return mainThreadTasks(events);
  };
}

async function stopTracing(cdp: CDPSession): Promise<void> {
  const done = new Promise<void>((resolve) => cdp.once('Tracing.tracingComplete', () => resolve()));
  await cdp.send('Tracing.end');
  await done;
}

/**
 * The tasks of the renderer's main thread (the thread named CrRendererMain with the most task
 * time: the page under test; a trace also holds the browser's and other processes' threads).
 */
function mainThreadTasks(events: TraceEvent[]): MainThreadTask[] {
  const tasksOf = (pid: number, tid: number) =>
    events.filter((e) => e.ph === 'X' && e.name === TASK && e.pid === pid && e.tid === tid);
  let best: TraceEvent[] = [];
  let bestTime = -1;
  for (const t of events) {
    if (t.ph !== 'M' || t.name !== 'thread_name' || t.args?.name !== 'CrRendererMain') continue;
    const tasks = tasksOf(t.pid, t.tid);
    const time = tasks.reduce((sum, e) => sum + (e.dur ?? 0), 0);
    if (time > bestTime) [best, bestTime] = [tasks, time];
  }
  return best.map((e) => ({ wallMs: (e.dur ?? 0) / 1000, cpuMs: (e.tdur ?? 0) / 1000 }));
}

/** One line for the test log: tasks over 50 ms by the wall clock, the longest in wall and CPU time. */
export function describeTasks(label: string, tasks: readonly MainThreadTask[]): string {
  const long = tasks.filter((t) => t.wallMs > 50);
  const wall = Math.max(0, ...tasks.map((t) => t.wallMs));
  const cpu = Math.max(0, ...tasks.map((t) => t.cpuMs));
  return `${label}: ${tasks.length} main-thread tasks, ${long.length} over 50 ms of wall time; longest ${wall.toFixed(0)} ms wall, ${cpu.toFixed(0)} ms CPU`;
}

/** The longest task's CPU time, ms (what the tests bound at 200 ms). */
export function longestCpuMs(tasks: readonly MainThreadTask[]): number {
  return Math.max(0, ...tasks.map((t) => t.cpuMs));
}
