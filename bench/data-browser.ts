/**
 * The ingest in the browser worker (`npm run bench:data -- --browser`): the benchmark's CSV
 * uploaded in the built app in Chromium, as a person would: choose the file (read in the worker,
 * first rows previewed), pick the target, "Use this dataset" (parsed and stored in the worker),
 * until Train is enabled (the training load: split, standardize, one-hot). Reports each phase's
 * seconds, the main-thread tasks over 50 ms, and the tab's resident memory (the renderer process,
 * page and worker together): before the upload, its peak (VmHWM) once the file was read and by the
 * end (so a peak set while reading is told apart from one set while preparing), and what stays
 * resident when Train is enabled once the page and its worker were garbage collected. With `trace`
 * (`--trace`), the app is built unminified and a Chromium trace says what each long task was
 * made of (ui-trace.ts).
 */
import { basename } from 'node:path';
import {
  longTasksSince,
  tabMemory,
  waitFor,
  watchLongTasks,
  withBuiltApp,
  withChromium,
} from './browser-app';
import { traceMainThread, type MainThreadTask } from '../tests/browser/main-thread';
import { startTrace } from './ui-trace';

export interface BrowserIngest {
  readSeconds: number;
  prepareSeconds: number;
  totalSeconds: number;
  longTasks: number;
  longestMs: number;
  /**
   * The same window's main-thread tasks from a Chromium trace (without --trace): how many ran
   * over 50 ms of CPU time, and the longest's CPU ms (wall time is stretched on a busy machine).
   */
  longCpuTasks?: number;
  longestCpuMs?: number;
  tabBeforeMb: number;
  /** The peak once the file was read and previewed (before "Use this dataset"). */
  tabReadPeakMb: number;
  tabPeakMb: number;
  /** Resident when Train is enabled (garbage not yet collected included). */
  tabEndMb: number;
  /** Resident when Train is enabled, after a garbage collection in the page and every worker. */
  tabAfterGcMb: number;
  /** With `trace`: what the long tasks were made of. */
  trace?: string;
}

export function browserIngest(
  file: string,
  target: string,
  { trace = false }: { trace?: boolean } = {},
): Promise<BrowserIngest> {
  return withBuiltApp(
    'data',
    (url) =>
      withChromium(
        async (browser, pid) => {
          const page = await browser.newPage({ viewport: { width: 1280, height: 900 } });
          await watchLongTasks(page);
          await page.goto(url);
          // A network with 10 outputs, as the file's label 0-9 needs (the Input takes 784 from it).
          await page.getByLabel('Templates').selectOption({ label: 'Digits' });
          const panel = page.getByRole('region', { name: 'Training' });
          await waitFor(
            () => panel.getByRole('button', { name: 'Train', exact: true }).isEnabled(),
            'the Digits template',
          );
          await page.waitForTimeout(1000);
          await panel.getByRole('button', { name: 'Upload CSV…' }).click();
          const tabBeforeMb = tabMemory(pid).rss;
          // Started first, and given a moment: the profiler's start is itself a long task.
          const stopTrace = trace ? await startTrace(page, 50) : null;
          if (stopTrace) await page.waitForTimeout(1000);
          const stopTasks = trace ? null : await traceMainThread(page);
          const since = await page.evaluate(() => performance.now());
          const t0 = Date.now();
          await panel.getByLabel('CSV file', { exact: true }).setInputFiles(file);
          const targetSelect = panel.getByLabel('Target column');
          await waitFor(async () => (await targetSelect.count()) === 1, 'the preview');
          const t1 = Date.now();
          const tabReadPeakMb = tabMemory(pid).peak;
          await targetSelect.selectOption(target);
          const t2 = Date.now();
          await panel.getByRole('button', { name: 'Use this dataset' }).click();
          const key = `upload:${basename(file)}`;
          await waitFor(
            async () => (await panel.getByLabel('Dataset').inputValue()) === key,
            'the uploaded dataset',
          );
          const train = panel.getByRole('button', { name: 'Train', exact: true });
          await waitFor(() => train.isEnabled(), 'the Train button');
          const t3 = Date.now();
          const traced = stopTrace ? await stopTrace() : undefined;
          const tasks: MainThreadTask[] | null = stopTasks ? await stopTasks() : null;
          const long = await longTasksSince(page, since);
          const { peak: tabPeakMb, rss: tabEndMb } = tabMemory(pid);
          const collect = () => (globalThis as { gc?: () => void }).gc?.();
          await page.evaluate(collect);
          for (const worker of page.workers()) await worker.evaluate(collect);
          await page.waitForTimeout(1000);
          const tabAfterGcMb = tabMemory(pid).rss;
          return {
            readSeconds: (t1 - t0) / 1000,
            prepareSeconds: (t3 - t2) / 1000,
            totalSeconds: (t1 - t0 + t3 - t2) / 1000,
            longTasks: long.count,
            longestMs: long.longestMs,
            ...(tasks
              ? {
                  longCpuTasks: tasks.filter((t) => t.cpuMs > 50).length,
                  longestCpuMs: Math.round(Math.max(0, ...tasks.map((t) => t.cpuMs))),
                }
              : {}),
            tabBeforeMb,
            tabReadPeakMb,
            tabPeakMb,
            tabEndMb,
            tabAfterGcMb,
            ...(traced ? { trace: traced } : {}),
          };
        },
        { exposeGc: true },
      ),
    { minify: !trace },
  );
}
