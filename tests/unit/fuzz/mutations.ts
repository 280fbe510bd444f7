/**
 * Mutations of valid files for the fuzz properties (DESIGN.md §6): structural ones on the parsed
 * JSON (replace, delete, duplicate, rename ids to names of Object's properties, nest deeply, fill
 * a list with wrong values, blow up numbers) and textual ones on the file's text (cut, insert,
 * change a character). Each is a plain description fast-check generates and shrinks.
 */
import fc from 'fast-check';

/** Ids and keys that break code which looks things up on plain objects. */
export const HOSTILE_NAMES = [
  '__proto__',
  'constructor',
  'hasOwnProperty',
  'toString',
  'valueOf',
  'prototype',
  '',
  ' ',
  'n1',
  'a"b',
  '\u0000',
  '💥',
] as const;

export type JsonMutation =
  | { kind: 'replace'; at: number; value: unknown }
  | { kind: 'delete'; at: number }
  | { kind: 'duplicate'; at: number }
  | { kind: 'rename'; at: number; name: string }
  | { kind: 'nest'; at: number; depth: number }
  | { kind: 'fill'; at: number; length: number; value: unknown }
  | { kind: 'number'; at: number; value: number };

export type TextMutation =
  | { kind: 'cut'; at: number }
  | { kind: 'insert'; at: number; text: string }
  | { kind: 'change'; at: number; char: string };

const place = fc.nat();
const odd = fc.oneof(
  fc.jsonValue({ maxDepth: 3 }),
  fc.constantFrom(...HOSTILE_NAMES),
  fc.constantFrom(null, true, -1, 0, 1e308, -1e308, 5e-324, 4097, 1_000_000, 2 ** 53),
);

export const jsonMutation: fc.Arbitrary<JsonMutation> = fc.oneof(
  fc.record({ kind: fc.constant('replace' as const), at: place, value: odd }),
  fc.record({ kind: fc.constant('delete' as const), at: place }),
  fc.record({ kind: fc.constant('duplicate' as const), at: place }),
  fc.record({
    kind: fc.constant('rename' as const),
    at: place,
    name: fc.oneof(fc.constantFrom(...HOSTILE_NAMES), fc.string({ maxLength: 8 })),
  }),
  fc.record({
    kind: fc.constant('nest' as const),
    at: place,
    depth: fc.integer({ min: 1, max: 5000 }),
  }),
  fc.record({
    kind: fc.constant('fill' as const),
    at: place,
    length: fc.integer({ min: 0, max: 2000 }),
    value: odd,
  }),
  fc.record({
    kind: fc.constant('number' as const),
    at: place,
    value: fc.oneof(fc.double(), fc.integer(), fc.constantFrom(0, -0, 1e308, 4096, 4097, 1e6)),
  }),
);

export const textMutation: fc.Arbitrary<TextMutation> = fc.oneof(
  fc.record({ kind: fc.constant('cut' as const), at: place }),
  fc.record({ kind: fc.constant('insert' as const), at: place, text: fc.string({ maxLength: 6 }) }),
  fc.record({
    kind: fc.constant('change' as const),
    at: place,
    char: fc.constantFrom('{', '}', '[', ']', '"', ',', ':', '0', 'e', '-', '\\', '\n', 'x'),
  }),
);

type Container = Record<string, unknown> | unknown[];

/**
 * Every place in the tree a value sits: its container and its key (the root is left out). Not
 * below depth 20, so a deep nest is not nested again past what JSON.stringify itself can write.
 */
function places(root: unknown): [Container, string | number][] {
  const found: [Container, string | number][] = [];
  const stack: [unknown, number][] = [[root, 0]];
  while (stack.length > 0 && found.length < 5000) {
    const [value, depth] = stack.pop()!;
    if (depth > 20) continue;
    if (Array.isArray(value))
      value.forEach((v, i) => {
        found.push([value, i]);
        stack.push([v, depth + 1]);
      });
    else if (typeof value === 'object' && value !== null)
      for (const key of Object.keys(value)) {
        found.push([value as Record<string, unknown>, key]);
        stack.push([(value as Record<string, unknown>)[key], depth + 1]);
      }
  }
  return found;
}

/**
 * Deep nesting is written into the text after JSON.stringify (which recurses, as the readers must
 * not): the tree holds a marker string, replaced by `[{"x":[{"x":...1...}]}]` of `depth` levels.
 */
const NEST_MARKER = /"~~nest:(\d+)~~"/g;

function nestedText(depth: number): string {
  let open = '',
    close = '';
  for (let i = 0; i < depth; i++) {
    open += i % 2 === 0 ? '[' : '{"x":';
    close = (i % 2 === 0 ? ']' : '}') + close;
  }
  return `${open}1${close}`;
}

/** JSON text of a mutated tree, nests written out. */
export function mutatedText(root: unknown): string {
  return JSON.stringify(root).replace(NEST_MARKER, (_, depth: string) => nestedText(Number(depth)));
}

/** Set a key as an own property, even "__proto__" (as JSON.parse would). */
function setOwn(container: Container, key: string | number, value: unknown): void {
  Object.defineProperty(container, key, {
    value,
    enumerable: true,
    writable: true,
    configurable: true,
  });
}

/** Apply `mutations` to a deep copy of `value` (a parsed JSON file). */
export function mutateJson(value: unknown, mutations: readonly JsonMutation[]): unknown {
  const root = JSON.parse(JSON.stringify(value)) as unknown;
  for (const m of mutations) {
    const all = places(root);
    if (all.length === 0) break;
    const [container, key] = all[m.at % all.length];
    const current = (container as Record<string | number, unknown>)[key];
    switch (m.kind) {
      case 'replace':
        setOwn(container, key, m.value);
        break;
      case 'delete':
        if (Array.isArray(container)) container.splice(key as number, 1);
        else delete container[key as string];
        break;
      case 'duplicate':
        if (Array.isArray(container)) container.splice(key as number, 0, structuredClone(current));
        else setOwn(container, `${String(key)}2`, structuredClone(current));
        break;
      case 'rename':
        if (typeof current === 'string') setOwn(container, key, m.name);
        else if (!Array.isArray(container)) {
          delete container[key as string];
          setOwn(container, m.name, current);
        }
        break;
      case 'nest':
        setOwn(container, key, `~~nest:${m.depth}~~`);
        break;
      case 'fill':
        setOwn(
          container,
          key,
          // Copies, not one shared value: a later mutation inside one entry changes only it.
          Array.from({ length: m.length }, () => structuredClone(m.value)),
        );
        break;
      case 'number':
        setOwn(container, key, m.value);
        break;
    }
  }
  return root;
}

/** Apply text mutations to `text`. */
export function mutateText(text: string, mutations: readonly TextMutation[]): string {
  let out = text;
  for (const m of mutations) {
    const at = out.length === 0 ? 0 : m.at % (out.length + 1);
    if (m.kind === 'cut') out = out.slice(0, at);
    else if (m.kind === 'insert') out = out.slice(0, at) + m.text + out.slice(at);
    else out = out.slice(0, at) + m.char + out.slice(at + 1);
  }
  return out;
}

/** JSON text of a mutated file: JSON.stringify keeps own "__proto__" keys as they are. */
export const mutatedJsonText = (base: readonly unknown[]) =>
  fc.oneof(
    fc
      .tuple(fc.constantFrom(...base), fc.array(jsonMutation, { minLength: 1, maxLength: 4 }))
      .map(([value, ms]) => mutatedText(mutateJson(value, ms))),
    fc
      .tuple(fc.constantFrom(...base), fc.array(textMutation, { minLength: 1, maxLength: 3 }))
      .map(([value, ms]) => mutateText(JSON.stringify(value, null, 1), ms)),
    fc.string({ maxLength: 40 }),
    fc.jsonValue({ maxDepth: 4 }).map((v) => JSON.stringify(v)),
  );
