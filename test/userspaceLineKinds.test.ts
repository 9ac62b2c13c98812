import { describe, expect, it } from 'vitest';
import { hasType, type FieldType } from '../parsers/kinds/fieldTypes.js';
import { CandidateFilter } from '../parsers/scan/candidateFilter.js';
import { classifyUserspace, daemonOf } from '../parsers/userspace/classify.js';
import { systemdBytes, systemdSeconds } from '../parsers/userspace/systemdText.js';
import { USERSPACE_LINE_KINDS } from '../parsers/userspace/table.js';

// Every entry of the userspace line-kind table carries sample lines in the format of the
// release it names; each must classify as its own kind, for its daemon, with the fields stated.
describe('userspace line kind samples', () => {
  for (const kind of USERSPACE_LINE_KINDS) {
    describe(kind.name, () => {
      it('has samples', () => expect(kind.samples.length).toBeGreaterThan(0));
      for (const sample of kind.samples) {
        it(`${sample.version}: ${sample.line.slice(0, 70)}`, () => {
          for (const daemon of [kind.daemon, null]) {
            const c = classifyUserspace(daemon, sample.line.trimStart());
            expect(c?.kind).toBe(kind.name);
            if (sample.fields) expect(c?.fields).toMatchObject(sample.fields as object);
            // Only declared fields, each of its declared type (a figure line yields one of them).
            const spec = kind.fields as Record<string, FieldType>;
            for (const [name, value] of Object.entries(c!.fields as Record<string, unknown>)) {
              expect(spec[name], `${name} is not declared`).toBeDefined();
              expect(hasType(spec[name]!, value), `${name}: ${spec[name]} = ${JSON.stringify(value)}`).toBe(true);
            }
          }
        });
      }
    });
  }

  it('no sample line is read by two kinds of its daemon', () => {
    const doubles: string[] = [];
    for (const owner of USERSPACE_LINE_KINDS) {
      for (const sample of owner.samples) {
        for (const other of USERSPACE_LINE_KINDS) {
          if (other === owner || other.daemon !== owner.daemon) continue;
          const text = sample.line.trimStart();
          if (text.includes(other.hint) && other.pattern.exec(text)) doubles.push(`${owner.name} sample also ${other.name}: ${sample.line}`);
        }
      }
    }
    expect(doubles).toEqual([]);
  });
});

describe('classifyUserspace', () => {
  it('reads a line only as its own daemon wrote it', () => {
    expect(classifyUserspace('earlyoom', 'vte-spawn-1.scope: systemd-oomd killed 3 process(es) in this unit.')).toBeNull();
    expect(classifyUserspace('systemd', 'sending SIGTERM to process 1 uid 0 "x": badness 1, VmRSS 1 MiB')).toBeNull();
    expect(daemonOf('systemd-oomd')).toBe('systemd-oomd');
    expect(daemonOf('CRON')).toBeNull();
  });
  it('leaves near misses alone', () => {
    // v248+ logs the swap check at debug level with a decimal limit, before the real kill line.
    expect(classifyUserspace('systemd-oomd', 'Swap used (2038431744) / total (2147479552) is more than 90.00%')).toBeNull();
    // earlyoom's startup banner names the signals too.
    expect(classifyUserspace('earlyoom', 'sending SIGTERM when mem <= 10.00% and swap <= 10.00%,')).toBeNull();
    // the self-test at startup sends signal 0.
    expect(classifyUserspace('earlyoom', 'sending 0 (no-op signal) to process 1 uid 0 "init": badness 0, VmRSS 9 MiB')).toBeNull();
    expect(classifyUserspace(null, 'Killed process 1234 (java) total-vm:100kB, anon-rss:50kB')).toBeNull();
  });
  it('never throws on junk', () => {
    for (const junk of ['', ' ', 'Killed ', 'sending SIGTERM to process', 'Path:', 'mem avail: ', '\u0000\u0001', ': systemd-oomd killed ']) {
      for (const daemon of ['systemd-oomd', 'systemd', 'earlyoom', null] as const) expect(() => classifyUserspace(daemon, junk)).not.toThrow();
    }
  });
});

describe('systemd size and time text', () => {
  it('reads FORMAT_BYTES (1024-based)', () => {
    expect(systemdBytes('0B')).toBe(0);
    expect(systemdBytes('388.4M')).toBe(Math.round(388.4 * 2 ** 20));
    expect(systemdBytes('43.3G')).toBe(Math.round(43.3 * 2 ** 30));
    expect(systemdBytes('(see System Context)')).toBeNull();
  });
  it('reads FORMAT_TIMESPAN', () => {
    expect(systemdSeconds('20s')).toBe(20);
    expect(systemdSeconds('1min 24s')).toBe(84);
    expect(systemdSeconds('6min 30s')).toBe(390);
    expect(systemdSeconds('60ms')).toBe(0.06);
    expect(systemdSeconds('1h 2min 3s')).toBe(3723);
    expect(systemdSeconds('infinity')).toBeNull();
    expect(systemdSeconds('20 s')).toBeNull();
  });
});

// Lines that begin or complete a kill must hold a needle of the scanner's candidate filter, or
// `scan` skips them undecoded; in the journal's JSON too. The candidate block's own lines and the
// lines that follow an earlyoom kill are read because the assembler then asks for every line.
const FOLLOWERS = new Set(['oomdCandidatePath', 'oomdCandidateStat', 'earlyoomCmdline', 'earlyoomEscalating', 'earlyoomExited', 'earlyoomDidNotExit', 'earlyoomKillFailed', 'earlyoomDryRun']);
describe('candidate needles for userspace lines', () => {
  const filter = new CandidateFilter();
  for (const kind of USERSPACE_LINE_KINDS.filter((k) => !FOLLOWERS.has(k.name))) {
    for (const sample of kind.samples) {
      it(`${kind.name}: ${sample.line.slice(0, 60)}`, () => {
        const syslog = Buffer.from(`Nov  6 06:13:05 ws-1 ${kind.daemon}[640]: ${sample.line}\n`);
        const journal = Buffer.from(`${JSON.stringify({ SYSLOG_IDENTIFIER: kind.daemon, MESSAGE: sample.line })}\n`);
        expect(filter.next(syslog, 0, syslog.length)).toBeGreaterThanOrEqual(0);
        expect(filter.next(journal, 0, journal.length)).toBeGreaterThanOrEqual(0);
      });
    }
  }
});
