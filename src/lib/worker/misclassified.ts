/**
 * The misclassified images chart's data, computed in the worker: the first `count` rows of a split
 * whose predicted class is not the true one, as grey-level pixels. The split's features were
 * standardized for training, so the pixels are brought back to raw units: x = x' · std + mean.
 */
import {
  featureBlock,
  isFeatureRows,
  rawFeature,
  type FeatureMatrix,
} from '../engine/feature-rows';
import type { Matrix } from '../engine/matrix';
import { rowClass } from '../engine/metrics';
import type { ImageShape, Standardization } from '../data/types';
import type { MisclassifiedData, MisclassifiedImage } from './dataset-api';

export interface ImageSplit {
  X: FeatureMatrix;
  Y: Matrix;
  name: 'test' | 'train';
}

/**
 * Row `row` of X as 0-255 grey levels, un-standardized when `s` is given. Stored rows hold the
 * raw pixels (standardized only as they are read), so their raw values are copied as they are.
 */
export function rowPixels(
  X: FeatureMatrix,
  row: number,
  s: Standardization | null,
): Uint8ClampedArray {
  const out = new Uint8ClampedArray(X.cols);
  if (isFeatureRows(X)) {
    for (let j = 0; j < X.cols; j++) out[j] = rawFeature(X, row, j);
    return out;
  }
  const start = row * X.cols;
  for (let j = 0; j < X.cols; j++) {
    const v = X.data[start + j];
    // Uint8ClampedArray rounds and clamps to 0..255.
    out[j] = s ? v * s.std[j] + s.mean[j] : v;
  }
  return out;
}

/** Rows predicted at a time: the search stops at the first chunk that completes the count. */
export const MISCLASSIFIED_CHUNK_ROWS = 500;

/**
 * The first `count` wrongly classified rows of `split`, predicting a chunk of rows at a time;
 * `checked` and `wrong` count the rows looked at until then.
 */
export function misclassifiedImages(
  predict: (X: Matrix) => Matrix,
  split: ImageSplit,
  image: ImageShape,
  classes: string[],
  standardization: Standardization | null,
  count: number,
): MisclassifiedData {
  const images: MisclassifiedImage[] = [];
  let wrong = 0;
  let checked = 0;
  let buffer: Matrix | undefined;
  while (checked < split.X.rows && images.length < count) {
    const end = Math.min(split.X.rows, checked + MISCLASSIFIED_CHUNK_ROWS);
    // A Matrix's rows are a view; bytes are converted (and standardized) into `buffer`.
    buffer = featureBlock(split.X, checked, end, buffer);
    const P = predict(buffer);
    for (let r = 0; r < P.rows; r++) {
      const i = checked + r;
      const trueClass = rowClass(split.Y, i);
      const predictedClass = rowClass(P, r);
      if (trueClass === predictedClass) continue;
      wrong++;
      if (images.length < count)
        images.push({
          pixels: rowPixels(split.X, i, standardization),
          trueClass,
          predictedClass,
          row: i,
        });
    }
    checked = end;
  }
  return {
    width: image.width,
    height: image.height,
    classes: [...classes],
    split: split.name,
    images,
    checked,
    wrong,
  };
}
