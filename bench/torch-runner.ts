/**
 * PyTorch CPU in the benchmark, as an optional peer: Debian's /usr/bin/python3 with torch (one
 * thread, float32 or float64) runs bench/torch_peer.py on the same network, initial weights, data,
 * batch order and momentum SGD. It times its own steps (a Python step cannot be called from
 * here one at a time without the pipe's cost), so the runner answers `timed`, not `step`.
 * Where /usr/bin/python3 cannot import torch, `torchAvailable()` is false and the rows are left out.
 */
import { spawn, spawnSync, type ChildProcessWithoutNullStreams } from 'node:child_process';
import { mkdtempSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { createInterface, type Interface } from 'node:readline';
import { fileURLToPath } from 'node:url';
import { LEARNING_RATE, MOMENTUM, type BenchData, type BenchNetwork } from './networks';
import type { Runner } from './runner';

export const TORCH_PYTHON = '/usr/bin/python3';
const SCRIPT = fileURLToPath(new URL('./torch_peer.py', import.meta.url));

/** What keeps PyTorch's BLAS (OpenBLAS, or MKL/OpenMP builds) to the calling thread. */
export const ONE_THREAD = { OPENBLAS_NUM_THREADS: '1', OMP_NUM_THREADS: '1', MKL_NUM_THREADS: '1' };

let available: boolean | null = null;

/** Whether /usr/bin/python3 imports torch and numpy (asked once). */
export function torchAvailable(): boolean {
  available ??=
    spawnSync(TORCH_PYTHON, ['-c', 'import torch, numpy'], { stdio: 'ignore', timeout: 60_000 })
      .status === 0;
  return available;
}

/** X, Y, then W_0, b_0, ... as float64, the order torch_peer.py reads them in. */
function dataFile(network: BenchNetwork, data: BenchData, dir: string): string {
  const parts: Float64Array[] = [data.X.data, data.Y.data];
  for (let i = 0; i + 1 < network.sizes.length; i++) {
    const w = data.initialWeights[`dense${i + 1}`];
    parts.push(Float64Array.from(w.W.flat()), Float64Array.from(w.b));
  }
  const path = join(dir, 'data.f64');
  writeFileSync(
    path,
    Buffer.concat(parts.map((p) => Buffer.from(p.buffer, p.byteOffset, p.byteLength))),
  );
  return path;
}

export interface TorchRunner extends Runner {
  /** The peer process's OS threads once its BLAS is loaded (1: PyTorch really is one thread). */
  threads: number;
  timed(seconds: number): Promise<{ rate: number; loss: number }>;
  /** The losses of the next `count` steps (to compare with the engine's). */
  losses(count: number): Promise<number[]>;
}

export function torchRunner(
  dtype: 'float32' | 'float64',
): (network: BenchNetwork, data: BenchData) => Promise<TorchRunner> {
  return async (network, data) => {
    if (!torchAvailable())
      throw new Error(`PyTorch is not available: ${TORCH_PYTHON} cannot import torch and numpy.`);
    const dir = mkdtempSync(join(tmpdir(), 'bench-torch-'));
    // One thread for real: torch.set_num_threads(1) alone leaves OpenBLAS's own worker thread,
    // which busy-waits on the second core and lets large products use both (measured: process
    // CPU time 1.99x the wall time). The BLAS reads these when it loads.
    const child: ChildProcessWithoutNullStreams = spawn(TORCH_PYTHON, [SCRIPT], {
      env: { ...process.env, ...ONE_THREAD },
    });
    let stderr = '';
    child.stderr.on('data', (chunk: Buffer) => (stderr += chunk.toString()));
    const lines: Interface = createInterface({ input: child.stdout });
    const iterator = lines[Symbol.asyncIterator]();
    const reply = async <T = Record<string, number>>(): Promise<T> => {
      const next = await iterator.next();
      if (next.done) throw new Error(`PyTorch stopped: ${stderr.trim() || 'no output'}`);
      return JSON.parse(next.value as string) as T;
    };
    const job = {
      sizes: network.sizes,
      batchSize: network.batchSize,
      rows: data.X.rows,
      dtype,
      lr: LEARNING_RATE,
      momentum: MOMENTUM,
      data: dataFile(network, data, dir),
    };
    child.stdin.write(`${JSON.stringify(job)}\n`);
    const ready = await reply<{ blas: string; threads: number }>();
    return {
      note: `PyTorch ${dtype} uses the BLAS ${ready.blas}, in ${ready.threads} OS thread${ready.threads === 1 ? '' : 's'}.`,
      threads: ready.threads,
      activate() {},
      step() {
        throw new Error('PyTorch times its own steps: use timed().');
      },
      async timed(seconds: number) {
        child.stdin.write(`time ${seconds}\n`);
        const r = await reply();
        return { rate: r.samples / r.seconds, loss: r.loss };
      },
      async losses(count: number) {
        child.stdin.write(`steps ${count}\n`);
        return (await reply<{ losses: number[] }>()).losses;
      },
      dispose() {
        child.stdin.end('quit\n');
        lines.close();
        rmSync(dir, { recursive: true, force: true });
      },
    };
  };
}
