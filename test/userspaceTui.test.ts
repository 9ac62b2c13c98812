import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { afterEach, describe, expect, it } from 'vitest';
import { parseLogText } from '../parsers/index.js';
import { parseKillQuery } from '../src/tui/killQuery.js';
import { TmuxScreen } from './support/tmuxScreen.js';

const ROOT = join(import.meta.dirname, '..');
let screen: TmuxScreen | null = null;
afterEach(() => {
  screen?.kill();
  screen = null;
});

// The TUI on a journal where the kernel, earlyoom and systemd-oomd killed: a KILLER column, and
// a userspace kill's detail in its own terms.
describe('oomlens tui with userspace kills', () => {
  it('lists every kill with its killer; the oomd group is recurring; the detail says why', async () => {
    screen = TmuxScreen.start(['node', 'bin/oomlens.js', 'tui', 'fixtures/mixed-journal.jsonl'], { cols: 140, rows: 40, cwd: ROOT });
    const text = await screen.waitFor('6 kills, 4 processes, 1 host');
    expect(text).toMatch(/app-gnome-code-4471\.scope\s+3 recurring/);
    expect(text).toMatch(/KILLER/);
    const killers = text.split('\n').flatMap((l) => /\b(kernel|oomd|earlyoom)\s+(\d+|-)\s/.exec(l)?.[1] ?? []);
    expect(killers).toEqual(['oomd', 'oomd', 'oomd']);
    expect(text).toContain('killed by systemd-oomd on ws-1');
    expect(text).toContain('Memory pressure on /user.slice/user-1000.slice/user@1000.service was 61.42%');
  });
});

describe('the kill query on userspace kills', () => {
  const records = parseLogText(readFileSync(join(ROOT, 'fixtures', 'mixed-journal.jsonl'), 'utf8'), { decode: { year: 2026, tz: 'UTC' } });
  const count = (q: string) => records.filter(parseKillQuery(q)).length;
  it('killer:, scope:userspace, the unit as a name, the cgroup, the earlyoom pid', () => {
    expect(count('killer:oomd')).toBe(3);
    expect(count('killer:kernel')).toBe(2);
    expect(count('scope:userspace')).toBe(4);
    expect(count('comm:app-gnome-code')).toBe(3);
    expect(count('cgroup:app.slice')).toBe(3);
    expect(count('23110')).toBe(1);
  });
});
