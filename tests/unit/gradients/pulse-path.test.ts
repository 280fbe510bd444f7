/**
 * The pulse's route along a wire: Svelte Flow's Bézier path sampled from its target back to its
 * source (checked against the curve written out by hand and against Svelte Flow's own path).
 */
import { describe, expect, test } from 'vitest';
import { getBezierPath, Position } from '@xyflow/system';
import { backwardPoints } from '../../../src/lib/gradients/pulse-path';

describe('backwardPoints', () => {
  test('runs from the end of a cubic segment back to its start, through the curve', () => {
    const points = backwardPoints('M0,0 C100,0 100,200 200,200', 3);
    expect(points).toHaveLength(3);
    expect(points[0]).toEqual({ x: 200, y: 200 });
    expect(points[2]).toEqual({ x: 0, y: 0 });
    // B(1/2) = (P0 + 3 P1 + 3 P2 + P3) / 8.
    expect(points[1].x).toBeCloseTo((0 + 300 + 300 + 200) / 8, 10);
    expect(points[1].y).toBeCloseTo((0 + 0 + 600 + 200) / 8, 10);
  });

  test("follows Svelte Flow's edge path between two handles", () => {
    const [path] = getBezierPath({
      sourceX: 10.5,
      sourceY: -20,
      sourcePosition: Position.Right,
      targetX: 310,
      targetY: 140.25,
      targetPosition: Position.Left,
    });
    const points = backwardPoints(path, 12);
    expect(points).toHaveLength(12);
    expect(points[0].x).toBeCloseTo(310, 10);
    expect(points[0].y).toBeCloseTo(140.25, 10);
    expect(points[11].x).toBeCloseTo(10.5, 10);
    expect(points[11].y).toBeCloseTo(-20, 10);
    // Heading back towards the source the whole way.
    for (let i = 1; i < points.length; i++) expect(points[i].x).toBeLessThan(points[i - 1].x);
  });

  test('any other path: the straight line between its first and last point', () => {
    expect(backwardPoints('M0,0 L10,20 L40,-8', 3)).toEqual([
      { x: 40, y: -8 },
      { x: 20, y: -4 },
      { x: 0, y: 0 },
    ]);
  });

  test('no route without two points', () => {
    expect(backwardPoints('')).toEqual([]);
    expect(backwardPoints('M5,5')).toEqual([]);
  });
});
