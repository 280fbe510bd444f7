/**
 * Writing a file whole or not at all (DESIGN.md §4): the bytes go to a temporary file beside the
 * target, are flushed to disk and their size checked, and only then is the temporary file renamed
 * over the target. A full disk, a file size limit (a write that stops short) or a crash midway
 * leaves the old file as it was, and the half-written temporary file is removed.
 */
import { open, rename, unlink, type FileHandle } from 'node:fs/promises';
import { basename, dirname, join } from 'node:path';

/** Puts `bytes` into an open file: the real loop below, or one that fails midway in tests. */
export type BytesWriter = (handle: FileHandle, bytes: Uint8Array) => Promise<void>;

/** A write may take fewer bytes than asked (a size limit): go on until all are in, or it fails. */
const writeAll: BytesWriter = async (handle, bytes) => {
  let offset = 0;
  while (offset < bytes.length) {
    const { bytesWritten } = await handle.write(bytes, offset, bytes.length - offset);
    if (bytesWritten <= 0) throw new Error('the disk took no more bytes');
    offset += bytesWritten;
  }
};

/** Beside the target (same folder, so the rename is atomic), hidden, unique to this process. */
export function temporaryPathFor(path: string): string {
  const unique = `${process.pid}-${Date.now().toString(36)}-${Math.random().toString(36).slice(2, 8)}`;
  return join(dirname(path), `.${basename(path)}.${unique}.tmp`);
}

export async function writeFileAtomic(
  path: string,
  text: string,
  writer: BytesWriter = writeAll,
): Promise<void> {
  const bytes = new TextEncoder().encode(text);
  const temporary = temporaryPathFor(path);
  const handle = await open(temporary, 'wx');
  try {
    try {
      await writer(handle, bytes);
      await handle.sync();
      // Whatever the writer said, only a file of the full size replaces the old one.
      const { size } = await handle.stat();
      if (size !== bytes.length)
        throw Object.assign(new Error(`only ${size} of ${bytes.length} bytes could be written`), {
          code: 'ESHORT',
        });
    } finally {
      await handle.close();
    }
    await rename(temporary, path);
  } catch (error) {
    await unlink(temporary).catch(() => undefined);
    throw error;
  }
}
