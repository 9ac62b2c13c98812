import { join } from 'node:path';

/** A command to time, and what it stands for in the comparison. */
export interface Contender {
  name: string;
  argv: string[];
  /** Run through `sh -c` (a pipe from the generator). */
  shell?: boolean;
}

export const OOMLENS = join(import.meta.dirname, '..', '..', 'bin', 'oomlens.js');
export const GENERATOR = join(import.meta.dirname, 'genKernlog.js');

// Run as users run it, through its shebang (its node flags are part of the design).
export const scan = (file: string): Contender => ({ name: 'oomlens scan --json', argv: [OOMLENS, 'scan', '--json', '--quiet', file] });
export const report = (file: string): Contender => ({ name: 'oomlens report', argv: [OOMLENS, 'report', '--quiet', file] });

/** How fast the bytes can be searched at all. */
export const grep = (file: string): Contender => ({ name: "grep -c 'Killed process'", argv: ['grep', '-c', 'Killed process', file] });

/** What node costs before any of our code runs. */
export const nodeStart: Contender = { name: 'node -e 0', argv: [process.execPath, '-e', '0'] };

/** A plain line loop with one regex: the floor of "look at every line" in Python. */
export const pythonLoop = (file: string): Contender => ({
  name: 'python3 line loop + 1 regex',
  argv: [
    'python3',
    '-c',
    [
      'import re, sys',
      "rx = re.compile(rb'Killed process (\\d+) \\(([^)]*)\\)')",
      'n = 0',
      "for line in open(sys.argv[1], 'rb'):",
      '    m = rx.search(line)',
      '    if m: n += 1',
      'print(n)',
    ].join('\n'),
    file,
  ],
});

/** The same loop as a newcomer writes it in node: readline and one regex per line. */
export const nodeReadline = (file: string): Contender => ({
  name: 'node readline + 1 regex',
  argv: [
    process.execPath,
    '-e',
    [
      "const rl = require('node:readline').createInterface({ input: require('node:fs').createReadStream(process.argv[1]), crlfDelay: Infinity });",
      'const rx = /Killed process (\\d+) \\(([^)]*)\\)/; let n = 0;',
      "rl.on('line', (l) => { if (rx.exec(l)) n++; }).on('close', () => console.log(n));",
    ].join(' '),
    file,
  ],
});

/** A generated log that is never stored: the generator piped into the command. */
export const piped = (name: string, genArgs: string[], command: string): Contender => ({
  name,
  shell: true,
  argv: [`${process.execPath} ${GENERATOR} ${genArgs.join(' ')} --out - 2>/dev/null | ${command}`],
});
