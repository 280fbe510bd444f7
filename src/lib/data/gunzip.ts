/**
 * gzip bytes -> bytes with the platform's DecompressionStream (browser, worker, and recent Node).
 * The Node-only loader uses node:zlib instead (load-node.ts), so this file imports nothing.
 */
import { DataError, aboutSource } from './errors';

/** Decompresses gzip bytes; what the dataset loaders take, so Node can pass node:zlib. */
export type Gunzip = (bytes: Uint8Array, name: string) => Promise<Uint8Array>;

/** gzip files start with the bytes 1f 8b. */
export function isGzip(bytes: Uint8Array): boolean {
  return bytes.length >= 2 && bytes[0] === 0x1f && bytes[1] === 0x8b;
}

export function notGzipError(name: string): DataError {
  return new DataError(aboutSource(name, `is not gzip-compressed (it does not start with 1f 8b).`));
}

/** gunzip with DecompressionStream('gzip'). */
export const gunzipWithStreams: Gunzip = async (bytes, name) => {
  if (typeof DecompressionStream !== 'function')
    throw new DataError(
      `This environment cannot decompress ${name}: it has no DecompressionStream.`,
    );
  if (!isGzip(bytes)) throw notGzipError(name);
  const stream = new Blob([bytes as Uint8Array<ArrayBuffer>])
    .stream()
    .pipeThrough(new DecompressionStream('gzip'));
  try {
    return new Uint8Array(await new Response(stream).arrayBuffer());
  } catch (error) {
    throw new DataError(
      aboutSource(
        name,
        `could not be decompressed (${error instanceof Error ? error.message : String(error)}).`,
      ),
    );
  }
};
