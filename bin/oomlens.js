#!/usr/bin/env -S node --max-semi-space-size=2 --expose-gc
// The executable: the CLI bundled per entry point (npm install builds it via `prepare`:
// tsc, then build/bundle.mjs), so that a start reads a few files, not hundreds of modules.
// The flags keep memory flat on long scans (a small young generation; `gc` for HeapPacer).
import { main, reportCrash } from '../dist/bundle/main.js';

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.exitCode = reportCrash(err, argv);
  },
);
