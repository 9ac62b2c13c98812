#!/usr/bin/env node
// The executable: everything lives in the compiled CLI (npm install builds it via `prepare`).
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
