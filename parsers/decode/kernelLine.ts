import type { DecodedLine } from './decodedLine.js';

// Apart from decodedLine.ts on purpose: the parser needs this at run time and that module only
// as a type, so `oomlens scan` does not load zod (95 modules, ~45 ms of every start).

/** Tags the kernel's lines carry in syslog files (old sysklogd setups log them as `klogd`). */
const KERNEL_IDENTS = new Set(['kernel', 'klogd']);

/** Whether a line came from the kernel (or cannot tell, which we treat as kernel). */
export function isKernelLine(line: DecodedLine): boolean {
  return line.ident === null || KERNEL_IDENTS.has(line.ident);
}
