/**
 * What the page says about the trained work after an edit of the network: kept, dropped (with
 * Undo), or brought back by undo. Plain words from the worker's RespecResult.
 */
import type { RespecResult } from '../worker/api';

/** What happened to the trained work (an edit, a restore after reload), shown as a note. */
export interface KeptWorkNote {
  title: string;
  text: string;
  /** Offer Undo (an edit that dropped trained weights). */
  undo: boolean;
}

/** The note for an edit, or null when there is nothing worth saying (nothing was trained). */
export function keptWorkNote(result: RespecResult, trained: boolean): KeptWorkNote | null {
  const list = (ids: string[]) => ids.join(', ');
  switch (result.kind) {
    case 'same':
      return null;
    case 'restored':
      return {
        title: 'Training back.',
        text: 'This network was trained before: its weights, optimizer state and history are back.',
        undo: false,
      };
    case 'initializer':
      return trained
        ? {
            title: 'Trained weights kept.',
            text: 'The new initializer is used at the next Reset; the trained weights and history stay.',
            undo: false,
          }
        : null;
    case 'kept':
      return trained
        ? {
            title: 'Trained weights kept.',
            text: 'Every layer kept its shape, so the trained weights and history stay.',
            undo: false,
          }
        : null;
    case 'changed':
      if (!trained) return null;
      return {
        title: 'Some trained weights were dropped.',
        text:
          `${list(result.dropped)} changed shape and start again from the seed; ` +
          (result.kept.length > 0
            ? `${list(result.kept)} kept their trained weights. `
            : 'no layer kept its weights. ') +
          'The history starts again. Undo brings the weights and history back.',
        undo: true,
      };
  }
}
