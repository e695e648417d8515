/**
 * The lesson's terms, each defined in words a student understands. A term's first use in a
 * chapter is a button that shows its definition in place (tap, click or keyboard, never hover
 * alone); the glossary at the end lists them all.
 */
export const GLOSSARY = {
  'sgd-noise': {
    term: 'SGD noise',
    definition:
      'The randomness of training with stochastic gradient descent: which examples go into each batch, in which order, and (for CIFAR-10) how each image is randomly cropped and flipped. Two copies trained with different SGD noise see the same data in different orders.',
  },
  k: {
    term: 'k (the step the copies are made at)',
    definition:
      'The training step at which one network is copied into two. k = 0 means the copies start from the random initialisation itself; k = 500 means the network was first trained for 500 steps.',
  },
  T: {
    term: 'T (training steps)',
    definition: 'How many optimiser steps a full training run takes. Each copy made at step k trains on for the remaining T − k steps.',
  },
  alpha: {
    term: 'α (alpha)',
    definition:
      'A position on the straight line between the two trained copies: the weights (1 − α)·W¹ + α·W². α = 0 is the first copy, α = 1 the second, α = 0.5 the average of the two.',
  },
  path: {
    term: 'error along the path',
    definition:
      'The test error of the network at each α on the straight line between the two copies. If it stays flat, the copies sit in one connected valley of low error; a hump means a ridge of high error between them.',
  },
  barrier: {
    term: 'error barrier',
    definition:
      'The height of the hump: the highest error along the path minus the average error of the two copies at its ends. Measured in percentage points of error.',
  },
  instability: {
    term: 'instability',
    definition:
      'The error barrier between two copies trained from the same network with different SGD noise. The paper calls a network unstable when SGD noise sends its copies to places with a ridge between them.',
  },
  stable: {
    term: 'stable (to SGD noise)',
    definition:
      'Instability below 2 percentage points: whatever the SGD noise, the copies end up linearly connected. The paper chose 2 points as the margin for noise.',
  },
  lmc: {
    term: 'linear mode connectivity',
    definition: 'Two trained networks are linearly mode connected when the error stays low along the straight line between them (no barrier).',
  },
  pruning: {
    term: 'pruning',
    definition: 'Removing weights from a network by fixing them at zero. What remains is a subnetwork, described by a mask of kept and removed weights.',
  },
  density: {
    term: 'density',
    definition: 'The share of weights a subnetwork keeps. 3.5% density means 96.5% of the prunable weights were removed.',
  },
  imp: {
    term: 'IMP (iterative magnitude pruning)',
    definition:
      'Train the network, remove the 20% of remaining weights with the smallest magnitudes, rewind the rest to their values at step k, and repeat. Each round leaves 80% of the weights of the round before.',
  },
  rewinding: {
    term: 'rewinding',
    definition:
      'Setting the weights a pruned network keeps back to their values at an early step k of the original training, instead of training them from where training ended. k = 0 is the original lottery ticket experiment.',
  },
  matching: {
    term: 'matching',
    definition: 'A subnetwork is matching when, trained on its own, it reaches the accuracy of the full network: within 0.2 percentage points in the paper.',
  },
  ticket: {
    term: 'lottery ticket (winning ticket)',
    definition:
      'A subnetwork at initialisation (k = 0) that trains on its own to the full network’s accuracy. The lottery ticket hypothesis says IMP finds them; the paper shows it does so only where they are stable.',
  },
  'random-prune': {
    term: 'random pruning',
    definition:
      'A baseline: a subnetwork with the same density as IMP’s, but with the removed weights chosen at random, trained from the same starting weights.',
  },
  'random-reinit': {
    term: 'random reinitialisation',
    definition: 'A baseline: IMP’s mask kept, but the remaining weights given fresh random values, so only the structure IMP found is kept.',
  },
  batchnorm: {
    term: 'BatchNorm statistics',
    definition:
      'ResNet-20 normalises each layer with a running mean and variance of its activations. Along the path they can be averaged like the weights (the paper) or measured again for each α on a few training batches (recomputed).',
  },
} as const;

/** A glossary entry's key. */
export type TermKey = keyof typeof GLOSSARY;
