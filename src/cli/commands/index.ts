/** Every command, in the order `--help` lists them. */
import type { Command } from '../command';
import { benchCommand } from './bench';
import { exportCommand } from './export';
import { gradCommand } from './grad';
import { gradcheckCommand } from './gradcheck';
import { initCommand } from './init';
import { predictCommand } from './predict';
import { trainCommand } from './train';

export const COMMANDS: readonly Command[] = [
  initCommand,
  trainCommand,
  predictCommand,
  gradCommand,
  gradcheckCommand,
  exportCommand,
  benchCommand,
];
