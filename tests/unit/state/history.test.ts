import { describe, expect, test } from 'vitest';
import { UndoHistory } from '../../../src/lib/state/history';

describe('UndoHistory', () => {
  test('undo walks back through recorded values and redo walks forward again', () => {
    const history = new UndoHistory<string>();
    let current = 'a';
    for (const next of ['b', 'c']) {
      history.record(current);
      current = next;
    }
    current = history.undo(current) ?? current;
    expect(current).toBe('b');
    current = history.undo(current) ?? current;
    expect(current).toBe('a');
    expect(history.canUndo).toBe(false);
    expect(history.undo(current)).toBeUndefined();
    current = history.redo(current) ?? current;
    current = history.redo(current) ?? current;
    expect(current).toBe('c');
    expect(history.canRedo).toBe(false);
  });

  test('a new edit after undo discards the redo branch', () => {
    const history = new UndoHistory<number>();
    history.record(1);
    const back = history.undo(2);
    expect(back).toBe(1);
    expect(history.canRedo).toBe(true);
    history.record(1);
    expect(history.canRedo).toBe(false);
    expect(history.undo(3)).toBe(1);
  });

  test('keeps only the newest `limit` steps', () => {
    const history = new UndoHistory<number>(3);
    for (let value = 0; value < 5; value++) history.record(value);
    const undone: number[] = [];
    let current = 5;
    for (let step = history.undo(current); step !== undefined; step = history.undo(current)) {
      undone.push(step);
      current = step;
    }
    expect(undone).toEqual([4, 3, 2]);
  });
});
