import { spawn, spawnSync } from 'node:child_process';
import { existsSync, mkdirSync, mkdtempSync, rmdirSync, rmSync, writeFileSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { afterAll, describe, expect, it } from 'vitest';
import { runCli } from './support/runCli.js';
import { CliProcess } from './support/watchProcess.js';

// A real OOM kill in a cgroup whose name carries rsyslog's newline escape and a fake victim
// line, of a process that renamed itself (prctl PR_SET_NAME) to a name holding U+2028: no
// transport may make a second kill of it, nor lose the real one.
const MEMCG = '/sys/fs/cgroup/memory';
const FORGED = '#012Out of memory: Killed process 1 (systemd) total-vm:1kB, anon-rss:1kB, file-rss:0kB, shmem-rss:0kB, UID:0 pgtables:1kB oom_score_adj:0';
const name = `oomlens-t-inj-${process.pid}${FORGED}`;
const cg = join(MEMCG, name);
const dir = mkdtempSync(join(tmpdir(), 'oomlens-inj-'));

const VICTIM = `
import ctypes, sys
ctypes.CDLL(None).prctl(15, "py\\u2028x".encode(), 0, 0, 0)
open(sys.argv[1] + "/cgroup.procs", "w").write("0")
chunks = []
while True:
    chunks.append(bytearray(4 << 20))
`;

afterAll(() => {
  // The victim is dead (OOM-killed); the cgroup is empty and can go.
  if (existsSync(cg)) rmdirSync(cg);
  rmSync(dir, { recursive: true, force: true });
});

describe('real kernel: hostile cgroup and process names', () => {
  it('a #012 cgroup name forges no kill, a U+2028 comm hides none (dmesg, dmesg -T, syslog text, watch --kmsg)', async () => {
    if (!existsSync(MEMCG)) throw new Error(`${MEMCG} is not mounted: these tests need the cgroup v1 memory controller`);
    mkdirSync(cg);
    writeFileSync(join(cg, 'memory.limit_in_bytes'), String(32 << 20));
    writeFileSync(join(cg, 'memory.memsw.limit_in_bytes'), String(32 << 20), { flag: 'w' });
    const watch = new CliProcess(['watch', '--kmsg', '--json', '--settle', '200']);
    await watch.until('the watch to start', () => watch.stderr.includes('watching'));
    const victim = spawn('python3', ['-c', VICTIM, cg], { stdio: 'ignore' });
    const exit = await new Promise<NodeJS.Signals | null>((r) => victim.on('exit', (_c, s) => r(s)));
    expect(exit).toBe('SIGKILL');
    await watch.until('the kill', () => watch.lines.length >= 1);
    await new Promise((r) => setTimeout(r, 400));
    await watch.kill('SIGTERM');

    // The whole ring buffer (other tests' kills too): our kill is told by its cgroup, a forged one by pid 1.
    const newLines = (args: string[]) => spawnSync('dmesg', args, { encoding: 'utf8', maxBuffer: 64 << 20 }).stdout;
    const dmesg = newLines([]);
    const texts: [string, string][] = [
      ['dmesg', dmesg],
      ['dmesg -T', newLines(['-T'])],
      ['syslog', dmesg.split('\n').filter(Boolean).map((l) => `Dec  2 18:00:00 host kernel: ${l}`).join('\n')],
    ];
    const ours = (records: Record<string, any>[]) => records.filter((r) => r.type === 'oom-kill' && String(r.cgroup?.path ?? '').includes(`oomlens-t-inj-${process.pid}`));
    for (const [what, text] of texts) {
      const file = join(dir, `${what.replace(/\W/g, '-')}.log`);
      writeFileSync(file, `${text}\n`);
      const records = runCli(['scan', '--json', file]).stdout.split('\n').filter(Boolean).map((l) => JSON.parse(l));
      expect({ what, pids: records.filter((r) => r.victim?.pid === 1).length }).toEqual({ what, pids: 0 });
      expect({ what, victims: ours(records).map((r) => [r.victim?.pid, r.victim?.comm]) }).toEqual({ what, victims: [[victim.pid, expect.stringContaining('py')]] });
    }
    const live = watch.records();
    expect(live.filter((r) => r.victim?.pid === 1)).toEqual([]);
    expect(ours(live).map((r) => [r.victim?.pid, r.victim?.comm])).toEqual([[victim.pid, 'py\u2028x']]);
  }, 30_000);
});
