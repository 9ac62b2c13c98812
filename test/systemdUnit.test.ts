import { spawnSync } from 'node:child_process';
import { readFileSync } from 'node:fs';
import { join } from 'node:path';
import { describe, expect, it } from 'vitest';
import { ROOT } from './support/runCli.js';

// One unit file, referenced by the README, that protects the watcher and still lets it read.
const unit = readFileSync(join(ROOT, 'docs', 'oomlens-watch.service'), 'utf8');
const readme = readFileSync(join(ROOT, 'README.md'), 'utf8');
const directives = (text: string) => text.split('\n').filter((l) => /^[A-Z][A-Za-z]+=/.test(l));

describe('docs/oomlens-watch.service', () => {
  it('is referenced by the README, not copied into it', () => {
    expect(readme).toContain('docs/oomlens-watch.service');
    expect(readme).not.toMatch(/^\[Service\]$/m);
    const readmeLines = new Set(readme.split('\n').map((l) => l.trim()));
    for (const d of directives(unit)) expect(readmeLines.has(d), d).toBe(false);
  });

  it('keeps the watcher out of the OOM killer’s reach and can still read kmsg, kern.log and the journal', () => {
    expect(directives(unit)).toEqual(
      expect.arrayContaining(['OOMScoreAdjust=-1000', 'AmbientCapabilities=CAP_SYSLOG', 'SupplementaryGroups=adm systemd-journal', 'ProtectSystem=strict', 'NoNewPrivileges=yes']),
    );
    // Nothing that would hide the logs or the device.
    expect(unit).not.toMatch(/^(PrivateDevices=yes|InaccessiblePaths=.*\/var\/log|ProtectKernelLogs=yes)/m);
  });

  it('passes systemd-analyze verify where systemd-analyze exists', () => {
    const probe = spawnSync('systemd-analyze', ['--version'], { encoding: 'utf8' });
    if (probe.error) {
      // No systemd tools on this machine (a container): the directives above are what is checked.
      expect(directives(unit).length).toBeGreaterThan(10);
      return;
    }
    const r = spawnSync('systemd-analyze', ['verify', '--man=no', join(ROOT, 'docs', 'oomlens-watch.service')], { encoding: 'utf8' });
    // The ExecStart binary is not installed here; every other complaint is a fault in the unit.
    const complaints = r.stderr.split('\n').filter((l) => l.trim() && !/oomlens|oom-alert|Command .* is not executable|No such file/.test(l));
    expect(complaints).toEqual([]);
  });
});
