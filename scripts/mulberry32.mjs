// mulberry32: a small, fast, seeded PRNG. The same seed gives the same sequence, so the synthetic
// history (gen-history.mjs), the stress run and the fuzz tests are repeatable. Plain JS so that the
// bench scripts (run by bare node) and the TypeScript tests share it (types: mulberry32.d.mts).

/** A generator of floats in [0, 1) from `seed` (any number; its low 32 bits are used). */
export function mulberry32(seed) {
  let a = seed >>> 0;
  return () => {
    a = (a + 0x6d2b79f5) >>> 0;
    let t = a;
    t = Math.imul(t ^ (t >>> 15), t | 1);
    t ^= t + Math.imul(t ^ (t >>> 7), t | 61);
    return ((t ^ (t >>> 14)) >>> 0) / 4_294_967_296;
  };
}
