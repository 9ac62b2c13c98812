import { basename, dirname, join } from 'node:path';

/**
 * logrotate names: `kern.log.3.gz`, `kern.log.1`, `kern.log` (numbers: higher is older) or
 * `messages-20261120.gz`, `messages-2026-11-20`, `messages-2026112003` (dateext: earlier is
 * older), with an optional compression suffix.
 */
const ROTATED = /^(?<base>.+?)(?:\.(?<n>\d{1,4})|-(?<date>\d{4}-?\d{2}-?\d{2}(?:-?\d{2})?))?(?:\.(?:gz|bz2|xz|zst|lz4|lz|Z|zip))?$/;

interface Place {
  set: string;
  /** Sort key within the set: dated files by date, then numbered files from the highest, then the live file. */
  rank: [number, number | string];
}

function placeOf(path: string): Place {
  const g = ROTATED.exec(basename(path))!.groups!;
  const set = join(dirname(path), g.base!);
  if (g.date !== undefined) return { set, rank: [0, g.date.replaceAll('-', '')] };
  if (g.n !== undefined) return { set, rank: [1, -Number(g.n)] };
  return { set, rank: [2, 0] };
}

/**
 * Orders files so that each rotation set reads oldest to newest (`kern.log.2.gz`, `kern.log.1`,
 * `kern.log`), keeping the sets in the order they first appear. A file that belongs to no set
 * is a set of its own.
 */
export function rotationOrder(paths: readonly string[]): string[] {
  const sets = new Map<string, { path: string; place: Place }[]>();
  for (const path of paths) {
    const place = placeOf(path);
    const members = sets.get(place.set) ?? [];
    members.push({ path, place });
    sets.set(place.set, members);
  }
  const out: string[] = [];
  for (const members of sets.values()) {
    members.sort((a, b) => compare(a.place.rank, b.place.rank));
    out.push(...members.map((m) => m.path));
  }
  return out;
}

function compare(a: Place['rank'], b: Place['rank']): number {
  if (a[0] !== b[0]) return a[0] - b[0];
  return a[1] < b[1] ? -1 : a[1] > b[1] ? 1 : 0;
}
