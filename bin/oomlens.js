#!/usr/bin/env node
// The executable: everything lives in the compiled CLI (npm install builds it via `prepare`).
import { main } from '../dist/src/cli/main.js';

main(process.argv.slice(2)).then(
  (code) => {
    process.exitCode = code;
  },
  (err) => {
    process.stderr.write(`oomlens: ${err instanceof Error ? err.message : String(err)}\n`);
    process.exitCode = 2;
  },
);
