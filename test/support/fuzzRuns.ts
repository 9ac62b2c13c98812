/** Property-test budget: small and seeded in `npm test`, larger via `npm run fuzz` (FUZZ_RUNS). */
export const FUZZ_RUNS = Number(process.env.FUZZ_RUNS ?? 60);
export const FUZZ_SEED = Number(process.env.FUZZ_SEED ?? 20261126);
