/** A generator of floats in [0, 1) from `seed` (its low 32 bits); the same seed, the same sequence. */
export function mulberry32(seed: number): () => number;
