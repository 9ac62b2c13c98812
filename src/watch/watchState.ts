import { randomBytes } from 'node:crypto';
import { open, readFile, rename, stat, unlink } from 'node:fs/promises';
import { z } from 'zod';
import { errnoText } from '../render/errnoText.js';

/** Where a followed file was read up to: enough to find the same bytes again after a rotation. */
export const FilePosition = z.object({
  kind: z.literal('file'),
  path: z.string(),
  dev: z.number(),
  ino: z.number(),
  /** Bytes read (whole lines). */
  offset: z.number().int().nonnegative(),
  /** Lines before `offset` in that file. */
  line: z.number().int().nonnegative(),
  /** Base64 of the bytes just before `offset`: finds a copytruncate copy by content. */
  tail: z.string(),
  /** At offset 0: base64 of the file's first bytes read after the save (from the journal), to find it when rotated. */
  head: z.string().optional(),
  /** With no file yet (inode 0): when we started waiting for it; rotated files written since are its content. */
  since: z.number().optional(),
});
export type FilePosition = z.infer<typeof FilePosition>;

export const KmsgPosition = z.object({
  kind: z.literal('kmsg'),
  path: z.string(),
  /** The boot the sequence numbers belong to (`/proc/sys/kernel/random/boot_id`). */
  bootId: z.string().nullable(),
  /** Sequence number of the last record read. */
  seq: z.number().int().nullable(),
  line: z.number().int().nonnegative(),
});
export type KmsgPosition = z.infer<typeof KmsgPosition>;

export const JournalPosition = z.object({
  kind: z.literal('journal'),
  /** `__CURSOR` of the last entry read. */
  cursor: z.string().nullable(),
  line: z.number().int().nonnegative(),
});
export type JournalPosition = z.infer<typeof JournalPosition>;

export const SourcePosition = z.discriminatedUnion('kind', [FilePosition, KmsgPosition, JournalPosition]);
export type SourcePosition = z.infer<typeof SourcePosition>;

/**
 * What `watch --state` keeps between runs. `replay` holds the input from the first line of the
 * oldest report still in progress up to `position`; a restart feeds it again, so a dump cut by
 * a restart is rebuilt whole. `reported` names the records already written whose lines are in
 * `replay`, so feeding it again writes none of them twice.
 */
/** stdout when it is a regular file: its size before a record says whether the record got there. */
export const OutputMark = z.object({ dev: z.number(), ino: z.number(), size: z.number().int().nonnegative() });
export type OutputMark = z.infer<typeof OutputMark>;

/** What the `--exec` hook has not confirmed yet: records (by parser key), and the overflow summary. */
export const HookBacklog = z.object({
  pending: z.array(z.object({ key: z.string(), record: z.unknown() })),
  overflow: z.object({ count: z.number().int().nonnegative(), items: z.array(z.unknown()) }).nullable(),
});
export type HookBacklog = z.infer<typeof HookBacklog>;

export const WatchState = z.object({
  version: z.literal(1),
  position: SourcePosition,
  replay: z.object({ line: z.number().int().nonnegative(), text: z.string() }).nullable(),
  reported: z.array(z.object({ key: z.string(), line: z.number().int() })),
  /** Names the journal lines (`STATE.journal`) written after this checkpoint (see DeliveryLog). */
  epoch: z.string().optional(),
  output: OutputMark.nullable().optional(),
  hook: HookBacklog.nullable().optional(),
});
export type WatchState = z.infer<typeof WatchState>;

export class StateFileError extends Error {}

/** Reads a state file; null when it does not exist yet. */
export async function loadState(path: string): Promise<WatchState | null> {
  let text: string;
  try {
    // Not a device or a directory: reading /dev/zero never ends, and saving renames over the path.
    if (!(await stat(path)).isFile()) throw new Error('not a regular file');
    text = await readFile(path, 'utf8');
  } catch (err) {
    if ((err as NodeJS.ErrnoException).code === 'ENOENT') return null;
    throw new StateFileError(`cannot read state file ${path}: ${errnoText(err)}`);
  }
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    throw new StateFileError(`state file ${path} is not JSON (not written by oomlens watch?)`);
  }
  const parsed = WatchState.safeParse(json);
  if (!parsed.success) throw new StateFileError(`state file ${path} is not an oomlens watch state (version 1)`);
  return parsed.data;
}

/** Writes the state atomically: a crash leaves the old file or the new one, never half of one. */
export async function saveState(path: string, state: WatchState): Promise<void> {
  const tmp = `${path}.${randomBytes(4).toString('hex')}.tmp`;
  const handle = await open(tmp, 'w', 0o600);
  try {
    try {
      await handle.writeFile(`${JSON.stringify(state)}\n`);
      await handle.sync();
    } finally {
      await handle.close();
    }
    await rename(tmp, path);
  } catch (err) {
    // A full disk must not fill up with half-written copies, one per save.
    await unlink(tmp).catch(() => undefined);
    throw err;
  }
}
