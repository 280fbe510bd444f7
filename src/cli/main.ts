/** Entry of `npm run cli -- <command> [flags]` (see run.ts and DESIGN.md §5). */
import './relaxed-simd';
import { processIo } from './io';
import { runCli } from './run';

process.exitCode = await runCli(process.argv.slice(2), processIo());
