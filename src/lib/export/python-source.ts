/**
 * Writing Python source safely from outside data: literals (numbers that read back as the same
 * float64, strings that cannot break out of their quotes) and variable names for node ids, which
 * may be any string ("__proto__", "n 2", "class").
 */

const PYTHON_KEYWORDS = new Set(
  (
    'False None True and as assert async await break class continue def del elif else except ' +
    'finally for from global if import in is lambda nonlocal not or pass raise return try while with yield ' +
    'match case type'
  ).split(' '),
);

/**
 * Names the generated files use themselves (modules, helpers, nn.Module's own attributes): a node
 * id equal to one of them gets a prefix instead.
 */
const RESERVED = new Set(
  (
    'torch nn np F json csv math os sys argparse dist self features logits x y X T P Z mean std W b ' +
    'forward training eval train state_dict parameters buffers modules children apply to cuda cpu ' +
    'double float half register_buffer register_parameter add_module load_state_dict zero_grad ' +
    'sigmoid softmax relu tanh identity leaky_relu elu predict load_model main Model WEIGHTS dense_layers load_weights data_loss ' +
    'MODEL_FILE FEATURES CLASSES TARGET TASK MEAN STD INIT_DRAWS module ' +
    // nn.Module's public attributes (torch 1.13 and later): a submodule must not shadow them.
    'T_destination add_module apply bfloat16 buffers children cpu cuda double dump_patches eval ' +
    'extra_repr float forward get_buffer get_extra_state get_parameter get_submodule half ipu ' +
    'load_state_dict modules named_buffers named_children named_modules named_parameters ' +
    'parameters register_backward_hook register_buffer register_forward_hook ' +
    'register_forward_pre_hook register_full_backward_hook register_full_backward_pre_hook ' +
    'register_load_state_dict_post_hook register_load_state_dict_pre_hook ' +
    'register_state_dict_pre_hook register_state_dict_post_hook register_module ' +
    'register_parameter requires_grad_ set_extra_state set_submodule share_memory state_dict to ' +
    'to_empty train type xpu mtia compile call_super_init zero_grad smart_apply'
  ).split(' '),
);

const IDENTIFIER = /^[A-Za-z_][A-Za-z0-9_]*$/;

/**
 * A Python identifier per id, unique among them: the id itself when it is a plain, free name,
 * otherwise `node_` and the id with other characters replaced by `_` (and a number if taken).
 */
export function pythonNames(ids: readonly string[]): Map<string, string> {
  const names = new Map<string, string>();
  const taken = new Set<string>();
  for (const id of ids) {
    let name =
      IDENTIFIER.test(id) && !id.startsWith('_') && !PYTHON_KEYWORDS.has(id) && !RESERVED.has(id)
        ? id
        : `node_${id.replace(/[^A-Za-z0-9_]/g, '_').slice(0, 40)}`;
    if (taken.has(name)) {
      let k = 2;
      while (taken.has(`${name}_${k}`)) k++;
      name = `${name}_${k}`;
    }
    taken.add(name);
    names.set(id, name);
  }
  return names;
}

/** A float64 as Python source that reads back as the same number (always with a point or exponent). */
export function pythonFloat(x: number): string {
  if (Number.isNaN(x)) return 'float("nan")';
  if (x === Infinity) return 'float("inf")';
  if (x === -Infinity) return '-float("inf")';
  const text = String(x);
  return /[.eE]/.test(text) ? text : `${text}.0`;
}

/**
 * A string literal. JSON's escaping is valid Python (\n, \", \\, \uXXXX) and escapes every control
 * character, so no id or label can end the literal or the line.
 */
export function pythonString(s: string): string {
  return JSON.stringify(s)
    .replace(/\u2028/g, '\\u2028')
    .replace(/\u2029/g, '\\u2029');
}

/** Text for a docstring: one line, no quote or backslash that could end or bend it. */
export function docstringText(s: string): string {
  return commentText(s).replace(/\\/g, '/').replace(/"/g, "'");
}

/** A line comment's text: one line, whatever the id or label contains. */
export function commentText(s: string): string {
  // Control characters (below U+0020, and DEL) and the Unicode line separators become spaces.
  return Array.from(s, (c) => {
    const code = c.codePointAt(0)!;
    return code < 0x20 || code === 0x7f || code === 0x2028 || code === 0x2029 ? ' ' : c;
  }).join('');
}

/** A list of numbers on one line. */
export function pythonFloatList(values: ArrayLike<number>): string {
  return `[${Array.from(values, pythonFloat).join(', ')}]`;
}

/** A matrix as a list of rows, one row per line, indented by `indent`. */
export function pythonMatrix(rows: readonly (readonly number[])[], indent: string): string {
  if (rows.length === 0) return '[]';
  return `[\n${rows.map((r) => `${indent}    ${pythonFloatList(r)},`).join('\n')}\n${indent}]`;
}

/**
 * Any JSON value (a parsed model file) as a Python literal: None/True/False, floats, strings,
 * lists and dicts, nested with `indent`; lists of plain values stay on one line.
 */
export function pythonLiteral(value: unknown, indent = ''): string {
  if (value === null || value === undefined) return 'None';
  if (value === true) return 'True';
  if (value === false) return 'False';
  if (typeof value === 'number')
    return Number.isSafeInteger(value) ? String(value) : pythonFloat(value);
  if (typeof value === 'string') return pythonString(value);
  const inner = `${indent}    `;
  if (Array.isArray(value)) {
    if (value.length === 0) return '[]';
    if (value.every((v) => v === null || typeof v !== 'object'))
      return `[${value.map((v) => pythonLiteral(v)).join(', ')}]`;
    return `[\n${value.map((v) => `${inner}${pythonLiteral(v, inner)},`).join('\n')}\n${indent}]`;
  }
  const entries = Object.entries(value as Record<string, unknown>).filter(
    ([, v]) => v !== undefined,
  );
  if (entries.length === 0) return '{}';
  return `{\n${entries.map(([k, v]) => `${inner}${pythonString(k)}: ${pythonLiteral(v, inner)},`).join('\n')}\n${indent}}`;
}
