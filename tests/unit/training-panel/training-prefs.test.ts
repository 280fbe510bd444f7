import { describe, expect, it } from 'vitest';
import { DEFAULT_TRAINING } from '../../../src/lib/engine/settings';
import {
  TRAINING_PREFS_KEY,
  loadTrainingPrefs,
  saveTrainingPrefs,
} from '../../../src/lib/state/training-prefs';

/** A Storage over a Map (what localStorage does, minus the browser). */
function memoryStorage(): Storage {
  const map = new Map<string, string>();
  return {
    get length() {
      return map.size;
    },
    clear: () => map.clear(),
    getItem: (key) => map.get(key) ?? null,
    key: (i) => [...map.keys()][i] ?? null,
    removeItem: (key) => void map.delete(key),
    setItem: (key, value) => void map.set(key, String(value)),
  };
}

describe('training prefs in localStorage', () => {
  it('round-trips the dataset and the settings', () => {
    const storage = memoryStorage();
    const settings = {
      ...DEFAULT_TRAINING,
      optimizer: { name: 'adam' as const, learningRate: 0.003, beta1: 0.8, beta2: 0.99 },
      epochs: 75,
    };
    saveTrainingPrefs(storage, { dataset: 'wine', settings });
    expect(loadTrainingPrefs(storage)).toEqual({ dataset: 'wine', settings });
  });

  it('has nothing to say without storage or a saved value', () => {
    expect(loadTrainingPrefs(null)).toBeNull();
    expect(loadTrainingPrefs(memoryStorage())).toBeNull();
  });

  it('ignores what it cannot use: broken JSON, wrong shapes, unknown datasets, bad numbers', () => {
    const storage = memoryStorage();
    const good = { dataset: 'iris', settings: DEFAULT_TRAINING };
    const cases: unknown[] = [
      '{ not json',
      { ...good, dataset: 'mnist' },
      { ...good, settings: { ...DEFAULT_TRAINING, batchSize: 2.5 } },
      { ...good, settings: { ...DEFAULT_TRAINING, epochs: -1 } },
      { ...good, settings: { ...DEFAULT_TRAINING, testFraction: 1 } },
      {
        ...good,
        settings: { ...DEFAULT_TRAINING, optimizer: { name: 'momentum', learningRate: -1 } },
      },
      {
        ...good,
        settings: {
          ...DEFAULT_TRAINING,
          optimizer: { name: 'adam', learningRate: 0.01, beta1: 1 },
        },
      },
      { ...good, settings: { ...DEFAULT_TRAINING, optimizer: { name: 'lbfgs', learningRate: 1 } } },
      { dataset: 'iris' },
    ];
    for (const value of cases) {
      storage.setItem(
        TRAINING_PREFS_KEY,
        typeof value === 'string' ? value : JSON.stringify(value),
      );
      expect(loadTrainingPrefs(storage), JSON.stringify(value)).toBeNull();
    }
    storage.setItem(TRAINING_PREFS_KEY, JSON.stringify(good));
    expect(loadTrainingPrefs(storage)).toEqual(good);
  });

  it('a storage that refuses writes costs nothing but the convenience', () => {
    const full = {
      ...memoryStorage(),
      setItem: () => {
        throw new Error('QuotaExceededError');
      },
    };
    expect(() =>
      saveTrainingPrefs(full, { dataset: 'iris', settings: DEFAULT_TRAINING }),
    ).not.toThrow();
  });
});
