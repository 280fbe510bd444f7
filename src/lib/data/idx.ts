/**
 * The IDX file format of (Fashion-)MNIST: a big-endian header, then the values as bytes. Decodes
 * label files (magic 0x00000801: one dimension) and image files (0x00000803: count, rows, cols),
 * keeping the values as one Uint8Array (never one JS value per pixel), with a clear DataError for
 * anything else.
 *
 * Header: two zero bytes, a type byte (0x08 = unsigned byte, the only type read here), the
 * number of dimensions, then each dimension's size as a big-endian uint32.
 */
import { DataError, aboutSource } from './errors';

const UNSIGNED_BYTE = 0x08;
const TYPE_NAMES = new Map<number, string>([
  [0x08, 'unsigned byte'],
  [0x09, 'signed byte'],
  [0x0b, 'short'],
  [0x0c, 'int'],
  [0x0d, 'float'],
  [0x0e, 'double'],
]);

export interface IdxArray {
  /** Size of each dimension, outermost first. */
  dims: number[];
  /** The values, row-major; a view into the file's bytes. */
  values: Uint8Array;
}

function hex(value: number): string {
  return `0x${value.toString(16).padStart(8, '0')}`;
}

/** Decode an IDX file of unsigned bytes with exactly `dimCount` dimensions. */
export function decodeIdx(bytes: Uint8Array, dimCount: number, name: string): IdxArray {
  const fail = (text: string) => new DataError(aboutSource(name, text));
  if (bytes.length < 4)
    throw fail(`the file has ${bytes.length} bytes, too few for an IDX header (4 or more).`);
  const view = new DataView(bytes.buffer, bytes.byteOffset, bytes.byteLength);
  const magic = view.getUint32(0);
  const expected = (UNSIGNED_BYTE << 8) | dimCount;
  if (bytes[0] !== 0 || bytes[1] !== 0)
    throw fail(
      `not an IDX file: it starts with ${hex(magic)}, expected ${hex(expected)} (is it still gzip-compressed?).`,
    );
  const type = bytes[2];
  if (type !== UNSIGNED_BYTE)
    throw fail(
      `the values are of type 0x${type.toString(16).padStart(2, '0')} (${TYPE_NAMES.get(type) ?? 'unknown'}); only unsigned bytes (0x08) are read.`,
    );
  if (bytes[3] !== dimCount)
    throw fail(
      `the file has ${bytes[3]} ${bytes[3] === 1 ? 'dimension' : 'dimensions'} (magic ${hex(magic)}), expected ${dimCount} (magic ${hex(expected)}).`,
    );
  const headerLength = 4 + 4 * dimCount;
  if (bytes.length < headerLength)
    throw fail(`the header is cut short: ${bytes.length} bytes, expected ${headerLength}.`);
  const dims: number[] = [];
  for (let d = 0; d < dimCount; d++) dims.push(view.getUint32(4 + 4 * d));
  const count = dims.reduce((a, b) => a * b, 1);
  const available = bytes.length - headerLength;
  if (available < count)
    throw fail(
      `the data is cut short: the header announces ${dims.join(' × ')} = ${count} values, the file holds ${available}.`,
    );
  if (available > count)
    throw fail(
      `the file has ${available - count} bytes after the ${dims.join(' × ')} values its header announces.`,
    );
  return { dims, values: bytes.subarray(headerLength) };
}

export interface IdxImages {
  count: number;
  rows: number;
  cols: number;
  /** count × rows × cols bytes, image after image, each row-major. */
  pixels: Uint8Array;
}

export interface IdxLabels {
  count: number;
  labels: Uint8Array;
}

/** An image file (magic 0x00000803). */
export function decodeIdxImages(bytes: Uint8Array, name: string): IdxImages {
  const { dims, values } = decodeIdx(bytes, 3, name);
  return { count: dims[0], rows: dims[1], cols: dims[2], pixels: values };
}

/** A label file (magic 0x00000801). */
export function decodeIdxLabels(bytes: Uint8Array, name: string): IdxLabels {
  const { dims, values } = decodeIdx(bytes, 1, name);
  return { count: dims[0], labels: values };
}

/** Images and their labels, checked to be as many. */
export function decodeIdxPair(
  images: { bytes: Uint8Array; name: string },
  labels: { bytes: Uint8Array; name: string },
): { images: IdxImages; labels: IdxLabels } {
  const decodedImages = decodeIdxImages(images.bytes, images.name);
  const decodedLabels = decodeIdxLabels(labels.bytes, labels.name);
  if (decodedImages.count !== decodedLabels.count)
    throw new DataError(
      `${images.name} holds ${decodedImages.count} images but ${labels.name} holds ${decodedLabels.count} labels; they must be as many.`,
    );
  return { images: decodedImages, labels: decodedLabels };
}
