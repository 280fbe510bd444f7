/**
 * Writing a file whole or not at all (DESIGN.md §4): the text goes to a temporary file beside the
 * target, is flushed to disk, and only then renamed over it. A full disk, a size limit or a crash
 * midway leaves the old file as it was, and the half-written temporary file is removed.
 */
import { open, rename, unlink } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Writes `text` into an open file (the real one, or a failing one in tests). */
export type TextWriter = (
  handle: { write(text: string): Promise<unknown> },
  text: string,
) => Promise<void>;

const writeAll: TextWriter = async (handle, text) => {
  await handle.write(text);
};

/** Beside the target (same folder, so the rename is atomic), hidden, unique to this process. */
export function temporaryPathFor(path: string): string {
  const unique = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  return join(dirname(path), `.${basename(path)}.${unique}.tmp`);
}

export async function writeFileAtomic(
  path: string,
  text: string,
  writer: TextWriter = writeAll,
): Promise<void> {
  const temporary = temporaryPathFor(path);
  const handle = await open(temporary, 'wx');
  try {
    try {
      await writer(handle, text);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
