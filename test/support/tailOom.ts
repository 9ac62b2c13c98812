import { spawn } from 'node:child_process';
import { existsSync, mkdirSync, rmdirSync, writeFileSync } from 'node:fs';
import { join } from 'node:path';

const MEMCG_V1 = '/sys/fs/cgroup/memory';

/** True where a test can make a real OOM kill: root, with the cgroup v1 memory controller. */
export function canMakeRealOom(): boolean {
  return process.getuid?.() === 0 && existsSync(join(MEMCG_V1, 'cgroup.procs'));
}

/**
 * Makes the kernel kill one process of ours: a small-limit cgroup `oomlens-t-<name>-<pid>`,
 * `tail /dev/zero` inside it (it buffers an endless line), and the cgroup removed afterwards in
 * every outcome. Resolves to the victim's pid once it was killed.
 */
export async function realOomKill(name: string, limitBytes = 16 << 20): Promise<number> {
  const cgroup = join(MEMCG_V1, `oomlens-t-${name}-${process.pid}`);
  mkdirSync(cgroup);
  try {
    writeFileSync(join(cgroup, 'memory.limit_in_bytes'), String(limitBytes));
    try {
      writeFileSync(join(cgroup, 'memory.memsw.limit_in_bytes'), String(limitBytes), { flag: 'r+' });
    } catch {
      // no swap accounting: the memory limit alone
    }
    // The shell joins the cgroup, then becomes tail (same pid, comm `tail`).
    const child = spawn('sh', ['-c', `echo $$ > ${cgroup}/cgroup.procs && exec tail /dev/zero`], { stdio: 'ignore' });
    const pid = child.pid!;
    let timedOut = false;
    const signal = await new Promise<NodeJS.Signals | null>((resolve) => {
      const timer = setTimeout(() => {
        timedOut = true;
        child.kill('SIGKILL');
      }, 20_000);
      child.on('exit', (_code, sig) => {
        clearTimeout(timer);
        resolve(sig);
      });
    });
    if (timedOut) throw new Error(`tail (${pid}) was not OOM-killed within 20 s`);
    if (signal !== 'SIGKILL') throw new Error(`tail (${pid}) ended by ${signal ?? 'exit'}, not by the OOM killer`);
    return pid;
  } finally {
    for (let i = 0; i < 50; i++) {
      try {
        rmdirSync(cgroup);
        break;
      } catch {
        await new Promise((r) => setTimeout(r, 100));
      }
    }
  }
}
