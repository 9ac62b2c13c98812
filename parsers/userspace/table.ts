import { int } from '../kinds/lineKind.js';
import { num, userspaceKind } from './lineKind.js';
import { systemdBytes, systemdSeconds } from './systemdText.js';

/**
 * Every line of systemd-oomd, systemd (PID 1 / user manager) and earlyoom that tells of a kill,
 * as data. Formats come from the daemons' sources (systemd src/oom/oomd-manager.c, oomd-util.c,
 * src/core/unit.c; earlyoom main.c, kill.c) across releases; each sample says which release
 * prints it. The assembler never sees a regex.
 */

const DECIMAL = String.raw`\d+(?:\.\d+)?`;

// ---- systemd-oomd ---------------------------------------------------------------------------

/** The kill by memory pressure: `Killed` (248-257), `Marked ... for killing` (258+, prekill hooks). */
export const oomdPressureKill = userspaceKind({
  name: 'oomdPressureKill',
  daemon: 'systemd-oomd',
  fields: { victim: 'string', reason: 'object' },
  role: { role: 'kill' },
  hint: 'due to memory pressure for ',
  pattern: new RegExp(
    String.raw`^(?<verb>Killed|Marked) (?<victim>\S+) (?:for killing )?due to memory pressure for (?<monitored>\S+)` +
      String.raw`(?: being (?<pressure>${DECIMAL})% > (?<limit>${DECIMAL})% for > (?<duration>.+?) with reclaim activity)?`,
  ),
  convert: (g) => ({
    victim: g.victim!,
    reason: {
      kind: 'memory-pressure' as const,
      cgroup: g.monitored!,
      pressurePercent: num(g.pressure),
      limitPercent: num(g.limit),
      durationSec: systemdSeconds(g.duration),
    },
  }),
  samples: [
    {
      version: 'systemd 248',
      line: 'Killed /user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-firefox-4121.scope due to memory pressure for /user.slice/user-1000.slice/user@1000.service being 63.28% > 50.00% for > 20s with reclaim activity',
      fields: { victim: '/user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-firefox-4121.scope', reason: { kind: 'memory-pressure', cgroup: '/user.slice/user-1000.slice/user@1000.service', pressurePercent: 63.28, limitPercent: 50, durationSec: 20 } },
    },
    {
      version: 'systemd 255',
      line: 'Killed /system.slice/nightly-report.service due to memory pressure for /system.slice being 91.07% > 80.00% for > 1min 30s with reclaim activity',
      fields: { reason: { kind: 'memory-pressure', cgroup: '/system.slice', pressurePercent: 91.07, limitPercent: 80, durationSec: 90 } },
    },
    {
      version: 'systemd 258',
      line: 'Marked /system.slice/batch-import.service for killing due to memory pressure for /system.slice being 84.12% > 80.00% for > 2s with reclaim activity',
      fields: { victim: '/system.slice/batch-import.service', reason: { kind: 'memory-pressure', cgroup: '/system.slice', pressurePercent: 84.12, limitPercent: 80, durationSec: 2 } },
    },
    {
      version: 'systemd 249 (line cut off by the pager)',
      line: 'Killed /workload.slice/bloat.service due to memory pressure for /workload.slice be>',
      fields: { victim: '/workload.slice/bloat.service', reason: { kind: 'memory-pressure', cgroup: '/workload.slice', pressurePercent: null, limitPercent: null, durationSec: null } },
    },
  ],
});

/** The kill by swap use: swap only (248-249), memory and swap (250+), `Marked` (258+). */
export const oomdSwapKill = userspaceKind({
  name: 'oomdSwapKill',
  daemon: 'systemd-oomd',
  fields: { victim: 'string', reason: 'object' },
  role: { role: 'kill' },
  hint: 'swap used (',
  pattern: new RegExp(
    String.raw`^(?<verb>Killed|Marked) (?<victim>\S+) (?:for killing )?due to ` +
      String.raw`(?:memory used \((?<memUsed>\d+)\) / total \((?<memTotal>\d+)\) and )?` +
      String.raw`swap used \((?<swapUsed>\d+)\) / total \((?<swapTotal>\d+)\) being more than (?<limit>${DECIMAL})%`,
  ),
  convert: (g) => ({
    victim: g.victim!,
    reason: {
      kind: 'swap' as const,
      memoryUsedBytes: int(g.memUsed),
      memoryTotalBytes: int(g.memTotal),
      swapUsedBytes: int(g.swapUsed),
      swapTotalBytes: int(g.swapTotal),
      limitPercent: num(g.limit),
    },
  }),
  samples: [
    {
      version: 'systemd 248',
      line: 'Killed /user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-code-2210.scope due to swap used (4290772992) / total (4294963200) being more than 90.00%',
      fields: { reason: { kind: 'swap', memoryUsedBytes: null, memoryTotalBytes: null, swapUsedBytes: 4290772992, swapTotalBytes: 4294963200, limitPercent: 90 } },
    },
    {
      version: 'systemd 250',
      line: 'Killed /system.slice/httpd.service due to memory used (16323162112) / total (16735670272) and swap used (8556351488) / total (8589930496) being more than 90.00%',
      fields: { victim: '/system.slice/httpd.service', reason: { kind: 'swap', memoryUsedBytes: 16323162112, memoryTotalBytes: 16735670272, swapUsedBytes: 8556351488, swapTotalBytes: 8589930496, limitPercent: 90 } },
    },
    {
      version: 'systemd 258',
      line: 'Marked /user.slice/user-1000.slice/user@1000.service/app.slice/app-org.chromium.Chromium-5150.scope for killing due to memory used (23991779328) / total (24681861120) and swap used (8589672448) / total (8589930496) being more than 90.00%',
      fields: { victim: '/user.slice/user-1000.slice/user@1000.service/app.slice/app-org.chromium.Chromium-5150.scope' },
    },
  ],
});

/** v247 announced the pressure kill before trying it, without naming the victim. */
export const oomdPressureActionV247 = userspaceKind({
  name: 'oomdPressureActionV247',
  daemon: 'systemd-oomd',
  fields: { reason: 'object' },
  role: { role: 'announce' },
  hint: ' is greater than ',
  pattern: /^Memory pressure for (?<monitored>\S+) is greater than (?<limit>\d+) for more than (?<seconds>\d+) seconds and there was reclaim activity/,
  convert: (g) => ({
    reason: { kind: 'memory-pressure' as const, cgroup: g.monitored!, pressurePercent: null, limitPercent: num(g.limit), durationSec: num(g.seconds) },
  }),
  samples: [
    {
      version: 'systemd 247',
      line: 'Memory pressure for /user.slice/user-1000.slice is greater than 10 for more than 30 seconds and there was reclaim activity',
      fields: { reason: { kind: 'memory-pressure', cgroup: '/user.slice/user-1000.slice', pressurePercent: null, limitPercent: 10, durationSec: 30 } },
    },
  ],
});

/**
 * v247's swap announcement (an integer limit). Later releases print the same words at debug
 * level with a decimal limit (`90.00%`) before the real kill line, so those do not match.
 */
export const oomdSwapActionV247 = userspaceKind({
  name: 'oomdSwapActionV247',
  daemon: 'systemd-oomd',
  fields: { reason: 'object' },
  role: { role: 'announce' },
  hint: 'Swap used (',
  pattern: /^Swap used \((?<swapUsed>\d+)\) \/ total \((?<swapTotal>\d+)\) is more than (?<limit>\d+)%$/,
  convert: (g) => ({
    reason: {
      kind: 'swap' as const,
      memoryUsedBytes: null,
      memoryTotalBytes: null,
      swapUsedBytes: int(g.swapUsed),
      swapTotalBytes: int(g.swapTotal),
      limitPercent: num(g.limit),
    },
  }),
  samples: [
    {
      version: 'systemd 247',
      line: 'Swap used (2038431744) / total (2147479552) is more than 90%',
      fields: { reason: { kind: 'swap', memoryUsedBytes: null, memoryTotalBytes: null, swapUsedBytes: 2038431744, swapTotalBytes: 2147479552, limitPercent: 90 } },
    },
  ],
});

/** The attempt failed: cancels a v247 announcement (later releases log no kill line then). */
export const oomdKillFailed = userspaceKind({
  name: 'oomdKillFailed',
  daemon: 'systemd-oomd',
  fields: { monitored: 'string?', basis: 'string' },
  role: { role: 'withdraw' },
  hint: 'Failed to kill any cgroup',
  pattern: /^Failed to kill any cgroup(?:\(s\)|s) (?:under (?<monitored>\S+) )?based on (?<basis>pressure|swap)/,
  convert: (g) => ({ monitored: g.monitored ?? null, basis: g.basis as 'pressure' | 'swap' }),
  samples: [
    { version: 'systemd 247', line: 'Failed to kill any cgroup(s) under /user.slice/user-1000.slice based on pressure', fields: { monitored: '/user.slice/user-1000.slice', basis: 'pressure' } },
    { version: 'systemd 247', line: 'Failed to kill any cgroup(s) based on swap', fields: { monitored: null, basis: 'swap' } },
    { version: 'systemd 255', line: 'Failed to kill any cgroups based on swap: Invalid argument', fields: { basis: 'swap' } },
  ],
});

/** The head of the ranked candidate list (251+), logged at the kill. */
export const oomdCandidatesHeader = userspaceKind({
  name: 'oomdCandidatesHeader',
  daemon: 'systemd-oomd',
  fields: { considered: 'int?' },
  role: { role: 'section' },
  hint: 'cgroups for killing',
  pattern: /^Considered (?<n>\d+) cgroups for killing, top candidates were:/,
  convert: (g) => ({ considered: int(g.n) }),
  samples: [{ version: 'systemd 251', line: 'Considered 43 cgroups for killing, top candidates were:', fields: { considered: 43 } }],
});

/** One candidate starts (tab-indented in the journal, spaces in `journalctl` text). */
export const oomdCandidatePath = userspaceKind({
  name: 'oomdCandidatePath',
  daemon: 'systemd-oomd',
  fields: { cgroup: 'string' },
  role: { role: 'item', starts: true },
  hint: 'Path: ',
  pattern: /^\s*Path: (?<cgroup>\S.*?)\s*$/,
  convert: (g) => ({ cgroup: g.cgroup! }),
  samples: [
    { version: 'systemd 255', line: '\tPath: /user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-firefox\\x2dw-9120.scope', fields: { cgroup: '/user.slice/user-1000.slice/user@1000.service/app.slice/app-gnome-firefox\\x2dw-9120.scope' } },
    { version: 'systemd 256 (journalctl text)', line: '        Path: /system.slice/nix-daemon.service', fields: { cgroup: '/system.slice/nix-daemon.service' } },
  ],
});

const PRESSURE = new RegExp(String.raw`Avg10: (${DECIMAL})%?,? Avg60: (${DECIMAL})%?,? Avg300: (${DECIMAL})%?`);

/** A figure of the current candidate; the keys depend on the kind of kill (pressure or swap). */
export const oomdCandidateStat = userspaceKind({
  name: 'oomdCandidateStat',
  daemon: 'systemd-oomd',
  fields: { pressureLimitPercent: 'decimal?', pressureAvg10: 'decimal?', pressureAvg60: 'decimal?', pressureAvg300: 'decimal?', swapBytes: 'bytes?', memoryBytes: 'bytes?', pgscan: 'int?', lastPgscan: 'int?' },
  role: { role: 'item', starts: false },
  hint: ': ',
  pattern: /^\s*(?<key>Memory Pressure Limit|Memory Pressure Duration|Pressure|Current Memory [Uu]sage|Memory Min|Memory Low|Pgscan|Last Pgscan|Swap Usage): (?<value>.*?)\s*$/,
  convert: (g) => {
    const v = g.value!;
    switch (g.key) {
      case 'Memory Pressure Limit':
        return { pressureLimitPercent: num(/^([\d.]+)%$/.exec(v)?.[1]) };
      case 'Pressure': {
        const p = PRESSURE.exec(v);
        return { pressureAvg10: num(p?.[1]), pressureAvg60: num(p?.[2]), pressureAvg300: num(p?.[3]) };
      }
      case 'Swap Usage':
        return { swapBytes: systemdBytes(v) };
      case 'Pgscan':
        return { pgscan: int(/^\d+$/.exec(v)?.[0]) };
      case 'Last Pgscan':
        return { lastPgscan: int(/^\d+$/.exec(v)?.[0]) };
      case 'Memory Pressure Duration':
      case 'Memory Min':
      case 'Memory Low':
        return {};
      default:
        return { memoryBytes: systemdBytes(v) };
    }
  },
  samples: [
    { version: 'systemd 255', line: '\t\tMemory Pressure Limit: 0.00%', fields: { pressureLimitPercent: 0 } },
    { version: 'systemd 255', line: '\t\tPressure: Avg10: 85.87 Avg60: 73.87 Avg300: 50.24 Total: 6min 30s', fields: { pressureAvg10: 85.87, pressureAvg60: 73.87, pressureAvg300: 50.24 } },
    { version: 'systemd 258', line: '\t\tPressure: Avg10: 0.18, Avg60: 0.03, Avg300: 0.00, Total: 60ms', fields: { pressureAvg10: 0.18, pressureAvg60: 0.03, pressureAvg300: 0 } },
    { version: 'systemd 255', line: '\t\tCurrent Memory Usage: 43.3G', fields: { memoryBytes: 46493020979 } },
    { version: 'systemd 255', line: '\t\tPgscan: 3033791', fields: { pgscan: 3033791 } },
    { version: 'systemd 255', line: '\t\tLast Pgscan: 2934276', fields: { lastPgscan: 2934276 } },
    { version: 'systemd 255', line: '\t\tSwap Usage: 477.8M', fields: { swapBytes: 501009613 } },
    { version: 'systemd 255', line: '\t\tSwap Usage: (see System Context)', fields: { swapBytes: null } },
    { version: 'systemd 255', line: '\t\tMemory Min: 0B', fields: {} },
    { version: 'systemd 258', line: '\t\tMemory Pressure Duration: 20s', fields: {} },
  ],
});

// ---- systemd (PID 1 or the user manager) ----------------------------------------------------

/** The unit's own line, logged when the cgroup's oomd kill counter (xattr) grows (248+). */
export const unitOomdKilled = userspaceKind({
  name: 'unitOomdKilled',
  daemon: 'systemd',
  fields: { unit: 'string', processesKilled: 'int?' },
  role: { role: 'corroborates' },
  hint: ': systemd-oomd killed ',
  pattern: /^(?<unit>\S+): systemd-oomd killed (?:(?<n>\d+)|some) process\(es\) in this unit\.?/,
  convert: (g) => ({ unit: g.unit!, processesKilled: int(g.n) }),
  samples: [
    { version: 'systemd 250', line: 'app-gnome-firefox-4121.scope: systemd-oomd killed 27 process(es) in this unit.', fields: { unit: 'app-gnome-firefox-4121.scope', processesKilled: 27 } },
    { version: 'systemd 255 (kill count not yet written)', line: 'vte-spawn-3f2c9a.scope: systemd-oomd killed some process(es) in this unit.', fields: { unit: 'vte-spawn-3f2c9a.scope', processesKilled: null } },
  ],
});

// ---- earlyoom --------------------------------------------------------------------------------

/**
 * The memory report, printed periodically and, at warning level, next to each kill: with
 * totals and `%2d %%` (1.2-1.3), `PRIPCT` percentages (1.4+), without totals (0.x-1.1).
 */
export const earlyoomMemReport = userspaceKind({
  name: 'earlyoomMemReport',
  daemon: 'earlyoom',
  fields: { memAvailableMiB: 'int?', memTotalMiB: 'int?', memAvailablePercent: 'decimal?', swapFreeMiB: 'int?', swapTotalMiB: 'int?', swapFreePercent: 'decimal?' },
  role: { role: 'context', context: 'memory-report' },
  hint: 'mem avail: ',
  pattern: new RegExp(
    String.raw`^mem avail: +(?<avail>\d+)(?: of +(?<total>\d+))? MiB(?: \( *(?<availPct>${DECIMAL}) ?%\))?, ` +
      String.raw`swap free: +(?<swap>\d+)(?: of +(?<swapTotal>\d+))? MiB(?: \( *(?<swapPct>${DECIMAL}) ?%\))?`,
  ),
  convert: (g) => ({
    memAvailableMiB: int(g.avail),
    memTotalMiB: int(g.total),
    memAvailablePercent: num(g.availPct),
    swapFreeMiB: int(g.swap),
    swapTotalMiB: int(g.swapTotal),
    swapFreePercent: num(g.swapPct),
  }),
  samples: [
    { version: 'earlyoom 1.7', line: 'mem avail:   812 of 15876 MiB ( 5.11%), swap free:  204 of 4095 MiB ( 4.98%)', fields: { memAvailableMiB: 812, memTotalMiB: 15876, memAvailablePercent: 5.11, swapFreeMiB: 204, swapTotalMiB: 4095, swapFreePercent: 4.98 } },
    { version: 'earlyoom 1.3', line: 'mem avail:  310 of 7841 MiB ( 3 %), swap free:   99 of 2047 MiB ( 4 %)', fields: { memAvailableMiB: 310, memTotalMiB: 7841, memAvailablePercent: 3, swapFreePercent: 4 } },
    { version: 'earlyoom 1.0', line: 'mem avail: 5115 MiB (65 %), swap free: 1023 MiB (100 %)', fields: { memAvailableMiB: 5115, memTotalMiB: null, memAvailablePercent: 65, swapFreeMiB: 1023, swapTotalMiB: null, swapFreePercent: 100 } },
  ],
});

/** The trigger: `low memory! at or below ... limits: mem 10.00%, swap 10.00%` (1.4+), `Low Memory! ... (mem: 10 %, ...)` (1.2-1.3). */
export const earlyoomLowMemory = userspaceKind({
  name: 'earlyoomLowMemory',
  daemon: 'earlyoom',
  fields: { limitSignal: 'string?', memLimitPercent: 'decimal?', swapLimitPercent: 'decimal?', memLimitMiB: 'int?', memAvailableMiB: 'int?' },
  role: { role: 'context', context: 'trigger' },
  hint: 'emory! ',
  pattern: new RegExp(
    String.raw`^[Ll]ow [Mm]emory! [Aa]t or below (?<sig>SIGTERM|SIGKILL) limits` +
      String.raw`(?::? \(?mem:? +(?<mem>${DECIMAL}) ?%, swap:? +(?<swap>${DECIMAL}) ?%\)?)?`,
  ),
  convert: (g) => ({ limitSignal: g.sig as 'SIGTERM' | 'SIGKILL' | null, memLimitPercent: num(g.mem), swapLimitPercent: num(g.swap), memLimitMiB: null, memAvailableMiB: null }),
  samples: [
    { version: 'earlyoom 1.7', line: 'low memory! at or below SIGTERM limits: mem 10.00%, swap 10.00%', fields: { limitSignal: 'SIGTERM', memLimitPercent: 10, swapLimitPercent: 10 } },
    { version: 'earlyoom 1.4', line: 'low memory! at or below SIGKILL limits: mem  5 %, swap  5 %', fields: { limitSignal: 'SIGKILL', memLimitPercent: 5, swapLimitPercent: 5 } },
    { version: 'earlyoom 1.2', line: 'Low Memory! At or below SIGTERM limits (mem: 10 %, swap: 10 %)', fields: { limitSignal: 'SIGTERM', memLimitPercent: 10, swapLimitPercent: 10 } },
    { version: 'earlyoom 1.2', line: 'Low memory! At or below SIGKILL limits (mem: 5 %, swap: 5 %)', fields: { limitSignal: 'SIGKILL' } },
  ],
});

/** The trigger up to 1.1, which always sent SIGKILL: `Out of memory! avail: 93 MiB < min: 156 MiB`. */
export const earlyoomOutOfMemory = userspaceKind({
  name: 'earlyoomOutOfMemory',
  daemon: 'earlyoom',
  fields: { limitSignal: 'string?', memLimitPercent: 'decimal?', swapLimitPercent: 'decimal?', memLimitMiB: 'int?', memAvailableMiB: 'int?' },
  role: { role: 'context', context: 'trigger' },
  hint: 'Out of memory! avail: ',
  pattern: /^Out of memory! avail: (?<avail>\d+) MiB < min: (?<min>\d+) MiB/,
  // Up to 1.1 earlyoom always sent SIGKILL and printed no percentages.
  convert: (g) => ({ limitSignal: null, memLimitPercent: null, swapLimitPercent: null, memAvailableMiB: int(g.avail), memLimitMiB: int(g.min) }),
  samples: [{ version: 'earlyoom 1.0', line: 'Out of memory! avail: 93 MiB < min: 156 MiB', fields: { memAvailableMiB: 93, memLimitMiB: 156 } }],
});

/**
 * The kill: `sending SIGTERM to process PID [uid UID] "NAME": FIELDS`, FIELDS being
 * `badness N, VmRSS N MiB` (1.2-1.8, uid since 1.4) or `oom_score N[, oom_score_adj N], VmRSS N
 * MiB, cmdline "..."` (after 1.8). The name may hold quotes: it ends at the `": ` before the
 * first field; the cmdline is last and runs to the final quote.
 */
export const earlyoomSending = userspaceKind({
  name: 'earlyoomSending',
  daemon: 'earlyoom',
  fields: { signal: 'string?', pid: 'int', uid: 'int?', comm: 'string', badness: 'int?', oomScore: 'int?', oomScoreAdj: 'int?', vmRssMiB: 'decimal?', cmdline: 'string?' },
  role: { role: 'kill' },
  hint: ' to process ',
  pattern: /^sending (?<sig>SIGTERM|SIGKILL) to process (?<pid>\d+)(?: uid (?<uid>-?\d+))? "(?<name>.*?)": (?<fields>(?:badness|oom_score) .*)$/,
  convert: (g) => {
    const fields = g.fields!;
    const at = fields.indexOf(', cmdline "');
    const list = at < 0 ? fields : fields.slice(0, at);
    const values = new Map<string, string>();
    for (const part of list.split(', ')) {
      const m = /^(\w+) (-?\d+(?:\.\d+)?)/.exec(part);
      if (m) values.set(m[1]!, m[2]!);
    }
    return {
      signal: g.sig as 'SIGTERM' | 'SIGKILL' | null,
      pid: int(g.pid)!,
      uid: int(g.uid),
      comm: g.name!,
      badness: int(values.get('badness')),
      oomScore: int(values.get('oom_score')),
      oomScoreAdj: int(values.get('oom_score_adj')),
      vmRssMiB: num(values.get('VmRSS')),
      cmdline: at < 0 ? null : fields.slice(at + ', cmdline "'.length).replace(/"$/, ''),
    };
  },
  samples: [
    { version: 'earlyoom 1.3', line: 'sending SIGTERM to process 4410 "firefox": badness 873, VmRSS 5102 MiB', fields: { signal: 'SIGTERM', pid: 4410, uid: null, comm: 'firefox', badness: 873, vmRssMiB: 5102, oomScore: null, cmdline: null } },
    { version: 'earlyoom 1.7', line: 'sending SIGTERM to process 31337 uid 1000 "java": badness 912, VmRSS 9877 MiB', fields: { pid: 31337, uid: 1000, comm: 'java', badness: 912, vmRssMiB: 9877 } },
    { version: 'earlyoom 1.8', line: 'sending SIGKILL to process 2001 uid 1000 "(sd-pam)": badness 733, VmRSS 3 MiB', fields: { signal: 'SIGKILL', comm: '(sd-pam)' } },
    { version: 'earlyoom 1.9', line: 'sending SIGTERM to process 8123 uid 1000 "node": oom_score 702, VmRSS 3321 MiB, cmdline "node /srv/app/server.js --port 8080"', fields: { oomScore: 702, badness: null, oomScoreAdj: null, vmRssMiB: 3321, cmdline: 'node /srv/app/server.js --port 8080' } },
    { version: 'earlyoom 1.9+', line: 'sending SIGTERM to process 5521 uid 1000 "bun": oom_score 690, oom_score_adj 0, VmRSS 4380 MiB, cmdline "bun test --timeout 60000 ./src"', fields: { oomScore: 690, oomScoreAdj: 0, cmdline: 'bun test --timeout 60000 ./src' } },
    { version: 'earlyoom 1.7 (quote in the name)', line: 'sending SIGTERM to process 77 uid 0 "a"b": badness 10, VmRSS 1 MiB', fields: { comm: 'a"b' } },
  ],
});

/** Some 1.8-era builds logged the cmdline on a line of its own after the kill line. */
export const earlyoomCmdline = userspaceKind({
  name: 'earlyoomCmdline',
  daemon: 'earlyoom',
  fields: { pid: 'int', cmdline: 'string' },
  role: { role: 'outcome', outcome: 'cmdline' },
  hint: ' cmdline "',
  pattern: /^process (?<pid>\d+) cmdline "(?<cmdline>.*)"$/,
  convert: (g) => ({ pid: int(g.pid)!, cmdline: g.cmdline! }),
  samples: [{ version: 'earlyoom 1.8 (development builds)', line: 'process 31337 cmdline "java -Xmx12g -jar indexer.jar"', fields: { pid: 31337, cmdline: 'java -Xmx12g -jar indexer.jar' } }],
});

/** The kill up to 1.1: `Killing process PID NAME` (always SIGKILL then). */
export const earlyoomKillingOld = userspaceKind({
  name: 'earlyoomKillingOld',
  daemon: 'earlyoom',
  fields: { signal: 'string?', pid: 'int', uid: 'int?', comm: 'string', badness: 'int?', oomScore: 'int?', oomScoreAdj: 'int?', vmRssMiB: 'decimal?', cmdline: 'string?' },
  role: { role: 'kill' },
  hint: 'Killing process ',
  pattern: /^Killing process (?<pid>\d+) (?<name>.*?)\s*$/,
  // The signal is not printed (always SIGKILL then): null, as the record has it.
  convert: (g) => ({ signal: null, pid: int(g.pid)!, uid: null, comm: g.name!, badness: null, oomScore: null, oomScoreAdj: null, vmRssMiB: null, cmdline: null }),
  samples: [{ version: 'earlyoom 1.0', line: 'Killing process 2712 chromium', fields: { pid: 2712, comm: 'chromium' } }],
});

/** The process was still there when memory crossed the SIGKILL limits (1.3+). */
export const earlyoomEscalating = userspaceKind({
  name: 'earlyoomEscalating',
  daemon: 'earlyoom',
  fields: { afterSec: 'decimal?' },
  role: { role: 'outcome', outcome: 'escalated' },
  hint: 'escalating to SIGKILL',
  pattern: new RegExp(String.raw`^escalating to SIGKILL after (?<secs>${DECIMAL}) seconds`),
  convert: (g) => ({ afterSec: num(g.secs) }),
  samples: [
    { version: 'earlyoom 1.3', line: 'escalating to SIGKILL after 0.5 seconds', fields: { afterSec: 0.5 } },
    { version: 'earlyoom 1.8', line: 'escalating to SIGKILL after 1.204 seconds', fields: { afterSec: 1.204 } },
  ],
});

/** The process is gone: `process exited after` (1.3-1.7), `process PID exited after` (1.8+). */
export const earlyoomExited = userspaceKind({
  name: 'earlyoomExited',
  daemon: 'earlyoom',
  fields: { pid: 'int?', afterSec: 'decimal?' },
  role: { role: 'outcome', outcome: 'exited' },
  hint: 'exited after ',
  pattern: new RegExp(String.raw`^process (?:(?<pid>\d+) )?exited after (?<secs>${DECIMAL}) seconds`),
  convert: (g) => ({ pid: int(g.pid), afterSec: num(g.secs) }),
  samples: [
    { version: 'earlyoom 1.3', line: 'process exited after 0.2 seconds', fields: { pid: null, afterSec: 0.2 } },
    { version: 'earlyoom 1.8', line: 'process 8123 exited after 0.412 seconds', fields: { pid: 8123, afterSec: 0.412 } },
  ],
});

/** earlyoom waited 10 seconds and the process was still alive (1.8+). */
export const earlyoomDidNotExit = userspaceKind({
  name: 'earlyoomDidNotExit',
  daemon: 'earlyoom',
  fields: { pid: 'int' },
  role: { role: 'outcome', outcome: 'did-not-exit' },
  hint: ' did not exit',
  pattern: /^process (?<pid>\d+) did not exit/,
  convert: (g) => ({ pid: int(g.pid)! }),
  samples: [{ version: 'earlyoom 1.8', line: 'process 8123 did not exit', fields: { pid: 8123 } }],
});

/** kill(2) failed, usually EPERM: nothing was killed. */
export const earlyoomKillFailed = userspaceKind({
  name: 'earlyoomKillFailed',
  daemon: 'earlyoom',
  fields: { error: 'string' },
  role: { role: 'outcome', outcome: 'kill-failed' },
  hint: 'kill',
  pattern: /^(?:kill failed|Could not kill process): (?<error>.*)$/,
  convert: (g) => ({ error: g.error! }),
  samples: [
    { version: 'earlyoom 1.3', line: 'kill failed: Operation not permitted', fields: { error: 'Operation not permitted' } },
    { version: 'earlyoom 1.0', line: 'Could not kill process: Operation not permitted', fields: { error: 'Operation not permitted' } },
  ],
});

/** `--dryrun`: the line before named a victim, but no signal was sent (1.6+). */
export const earlyoomDryRun = userspaceKind({
  name: 'earlyoomDryRun',
  daemon: 'earlyoom',
  fields: {},
  role: { role: 'outcome', outcome: 'dry-run' },
  hint: 'dryrun',
  pattern: /^dryrun, not actually sending any signal/,
  convert: () => ({}),
  samples: [{ version: 'earlyoom 1.6', line: 'dryrun, not actually sending any signal', fields: {} }],
});

export const USERSPACE_LINE_KINDS = [
  oomdPressureKill,
  oomdSwapKill,
  oomdPressureActionV247,
  oomdSwapActionV247,
  oomdKillFailed,
  oomdCandidatesHeader,
  oomdCandidatePath,
  oomdCandidateStat,
  unitOomdKilled,
  earlyoomMemReport,
  earlyoomLowMemory,
  earlyoomOutOfMemory,
  earlyoomSending,
  earlyoomCmdline,
  earlyoomKillingOld,
  earlyoomEscalating,
  earlyoomExited,
  earlyoomDidNotExit,
  earlyoomKillFailed,
  earlyoomDryRun,
] as const;
