import { describe, expect, test } from 'vitest';
import { createTemplateDocument } from '../../../src/lib/graph/templates';
import {
  COLUMN_WIDTH,
  ROW_HEIGHT,
  columnsFor,
  wrapRows,
} from '../../../src/lib/components/canvas/wrap-layout';

describe('wrap layout', () => {
  test('columns that fit a width (at least two)', () => {
    expect(columnsFor(COLUMN_WIDTH * 6 * 0.9)).toBe(6);
    expect(columnsFor(790)).toBe(3);
    expect(columnsFor(100)).toBe(2);
    expect(columnsFor(0)).toBe(Number.POSITIVE_INFINITY);
  });

  test('a chain that fits stays as it is', () => {
    const iris = createTemplateDocument('iris');
    expect(wrapRows(iris, 6)).toBe(iris);
  });

  test('longer chains wrap into even rows, in reading order, keeping ids and wires', () => {
    const runge = createTemplateDocument('runge'); // 7 nodes
    const wrapped = wrapRows(runge, 6);
    const cell = (i: number) => [
      wrapped.nodes[i].position.x / COLUMN_WIDTH,
      wrapped.nodes[i].position.y / ROW_HEIGHT,
    ];
    expect(wrapped.nodes.map((_, i) => cell(i))).toEqual([
      [0, 0],
      [1, 0],
      [2, 0],
      [3, 0],
      [0, 1],
      [1, 1],
      [2, 1],
    ]);
    expect(wrapped.nodes.map((n) => [n.id, n.type, n.params])).toEqual(
      runge.nodes.map((n) => [n.id, n.type, n.params]),
    );
    expect(wrapped.edges).toEqual(runge.edges);
    expect(wrapRows(createTemplateDocument('iris'), 3).nodes.map((n) => n.position.y)).toEqual([
      0,
      0,
      0,
      ROW_HEIGHT,
      ROW_HEIGHT,
      ROW_HEIGHT,
    ]);
  });
});
