import { terminalSafe } from '../render/terminalSafe.js';

/** An input that could not be read (or only in part): the rest is still scanned. Exit code 1. */
export interface InputProblem {
  input: string;
  message: string;
}

/** What to do about a file the user may not read, on the usual distributions. */
export const PERMISSION_HINT = 'permission denied: run as root, or join the group that may read the logs (adm on Debian/Ubuntu: sudo usermod -aG adm $USER, then log in again)';

/** Root refused: file modes are not why, so "run as root" would send the user in a circle. */
export const ROOT_DENIED_HINT =
  'permission denied even to root: a security module (SELinux, AppArmor), a root-squashing network file system or a container without the capability refuses it';

/** The permission hint for the user we run as (`uid` for tests). */
export function permissionHint(uid: number | undefined = process.getuid?.()): string {
  return uid === 0 ? ROOT_DENIED_HINT : PERMISSION_HINT;
}

/** One clear line for an error reading `input`: no stack, no errno jargon where a hint helps. */
export function problemFrom(input: string, err: unknown, uid: number | undefined = process.getuid?.()): InputProblem {
  const e = err as NodeJS.ErrnoException;
  switch (e.code) {
    case 'ENOENT':
      return { input, message: 'no such file or directory' };
    case 'EACCES':
    case 'EPERM':
      return { input, message: permissionHint(uid) };
    case 'EISDIR':
      return { input, message: 'is a directory' };
    case 'Z_DATA_ERROR':
    case 'Z_BUF_ERROR':
    case 'Z_NEED_DICT':
      return { input, message: `corrupt gzip data (${e.message}); the records before the damage were still reported` };
  }
  return { input, message: e instanceof Error ? e.message : String(err) };
}

/** `oomlens: FILE: problem`, safe to print on a terminal (file names can hold anything). */
export function formatProblem(p: InputProblem): string {
  return `oomlens: ${terminalSafe(p.input)}: ${terminalSafe(p.message)}\n`;
}
