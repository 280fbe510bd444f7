/** The network of a model file, with the file's weights (or, where allowed, the seed's). */
import { createNetwork, setWeights, type Network } from '../lib/engine/network';
import { createRng } from '../lib/engine/rng';
import type { LayerSpec } from '../lib/engine/spec';
import type { WeightsJson } from '../lib/engine/types';
import { withEngineChecks } from './errors';

/** With `weights`, those weights; without, the initial weights training would start from. */
export function networkWithWeights(
  spec: LayerSpec,
  weights: WeightsJson | null,
  seed: number,
): Network {
  return withEngineChecks(() => {
    const net = createNetwork(spec, createRng(seed));
    if (weights) setWeights(net, weights);
    return net;
  });
}
