#!/usr/bin/env -S node --max-semi-space-size=2 --expose-gc
// The executable: everything lives in the compiled CLI (npm install builds it via `prepare`).
// The flags keep memory flat on long scans (a small young generation; `gc` for HeapPacer).
import { main, reportCrash } from '../dist/src/cli/main.js';

const argv = process.argv.slice(2);
main(argv).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.exitCode = reportCrash(err, argv);
  },
);
