import { describe, expect, it } from 'vitest';
import { DecodeContext } from '../parsers/decode/decodeContext.js';
import { decodeLine } from '../parsers/decode/decodeLine.js';
import type { DecodedLine } from '../parsers/decode/decodedLine.js';

function decode(text: string, options = {}): DecodedLine[] {
  const ctx = new DecodeContext({ year: 2026, tz: 'UTC', ...options });
  const out: DecodedLine[] = [];
  decodeLine(text, ctx, (l) => out.push(l));
  return out;
}
const one = (text: string, options = {}) => decode(text, options)[0]!;
const MSG = 'main invoked oom-killer: gfp_mask=0x24000c0, order=0, oom_score_adj=0';

describe('prefix styles', () => {
  it('raw dmesg', () => {
    expect(one(`[14808.063890] ${MSG}`)).toMatchObject({ uptime: 14808.06389, host: null, time: null, message: MSG });
  });
  it('raw dmesg with boot time gives wall time', () => {
    expect(one(`[   10.500000] ${MSG}`, { bootTimeMs: Date.UTC(2026, 10, 26) }).time).toBe(Date.UTC(2026, 10, 26) + 10500);
  });
  it('kernel console caller ids', () => {
    expect(one(`[   23.346650][ T5096] ${MSG}`)).toMatchObject({ caller: 'T5096', message: MSG });
    expect(one(`[    5.000001][    C2] ${MSG}`)).toMatchObject({ caller: 'C2' });
    expect(one(`[   30.745678] [  T116] ${MSG}`)).toMatchObject({ caller: 'T116', message: MSG });
  });
  it('dmesg -T in C and other locales', () => {
    expect(one(`[Thu Nov 26 06:13:05 2026] ${MSG}`)).toMatchObject({ time: Date.UTC(2026, 10, 26, 6, 13, 5), message: MSG });
    expect(one(`[Di Aug 12 03:54:03 2025] ${MSG}`).time).toBe(Date.UTC(2025, 7, 12, 3, 54, 3));
    expect(one(`[Mo Dez  1 03:54:03 2025] ${MSG}`).time).toBe(Date.UTC(2025, 11, 1, 3, 54, 3));
    expect(one(`[月  1月 26 01:49:41 2026] ${MSG}`).time).toBe(Date.UTC(2026, 0, 26, 1, 49, 41));
  });
  it('dmesg --time-format iso', () => {
    expect(one(`2026-11-26T06:13:05,123456+00:00 ${MSG}`)).toMatchObject({ host: null, message: MSG });
    expect(one(`2026-11-26T06:13:05,123456+0100 ${MSG}`).time).toBe(Date.UTC(2026, 10, 26, 5, 13, 5, 123) + 0.456);
  });
  it('syslog RFC 3164 with and without the printk time, with and without a host', () => {
    expect(one(`Nov 26 06:13:05 web-1 kernel: [14808.063890] ${MSG}`)).toMatchObject({
      host: 'web-1', ident: 'kernel', uptime: 14808.06389, time: Date.UTC(2026, 10, 26, 6, 13, 5), message: MSG,
    });
    expect(one(`Jun  4 17:19:10 iZ23tpcto8eZ kernel: ${MSG}`)).toMatchObject({ host: 'iZ23tpcto8eZ', uptime: null, message: MSG });
    expect(one(`Jan  5 15:19:27 kernel: [ 1.0] ${MSG}`)).toMatchObject({ host: null, ident: 'kernel', message: MSG });
    expect(one('Jan  5 15:19:27 host CRON[123]: (root) CMD (x)')).toMatchObject({ ident: 'CRON' });
  });
  it('rsyslog RFC 3339 and journalctl short-iso', () => {
    expect(one(`2026-11-26T06:13:05.123456+00:00 web-1 kernel: ${MSG}`)).toMatchObject({
      host: 'web-1', time: Date.UTC(2026, 10, 26, 6, 13, 5, 123) + 0.456, message: MSG,
    });
    expect(one(`2026-11-26T06:13:05+0000 web-1 kernel: ${MSG}`).time).toBe(Date.UTC(2026, 10, 26, 6, 13, 5));
  });
  it('RFC 5424', () => {
    expect(one(`<4>1 2026-11-26T06:13:05.123456+00:00 web-1 kernel - - - ${MSG}`)).toMatchObject({ host: 'web-1', ident: 'kernel', message: MSG });
  });
  it('journalctl short, short-precise, short-monotonic, short-full, short-unix', () => {
    expect(one(`Dec 04 17:13:12 host kernel: ${MSG}`)).toMatchObject({ host: 'host', time: Date.UTC(2026, 11, 4, 17, 13, 12) });
    expect(one(`Dec 04 17:13:12.250000 host kernel: ${MSG}`).time).toBe(Date.UTC(2026, 11, 4, 17, 13, 12, 250));
    expect(one(`[ 1234.567890] host kernel: ${MSG}`)).toMatchObject({ host: 'host', uptime: 1234.56789, message: MSG });
    expect(one(`Thu 2026-11-26 06:13:05 UTC host kernel: ${MSG}`)).toMatchObject({ host: 'host', time: Date.UTC(2026, 10, 26, 6, 13, 5) });
    expect(one(`1764137585.123456 host kernel: ${MSG}`)).toMatchObject({ host: 'host', time: 1764137585123.456 });
  });
  it('journalctl -o json, with MESSAGE as a string or a byte array', () => {
    const entry = { MESSAGE: MSG, _HOSTNAME: 'h', __REALTIME_TIMESTAMP: '1764137585123456', _SOURCE_MONOTONIC_TIMESTAMP: '14808063890', _TRANSPORT: 'kernel' };
    expect(one(JSON.stringify(entry))).toMatchObject({ host: 'h', time: 1764137585123.456, uptime: 14808.06389, ident: 'kernel', message: MSG });
    const bytes = { ...entry, MESSAGE: [...Buffer.from('anon 1\nfile 2')] };
    expect(decode(JSON.stringify(bytes)).map((l) => l.message)).toEqual(['anon 1', 'file 2']);
    // A newline in a name is part of the name, not a line of its own.
    const forged = { ...entry, MESSAGE: 'Task in /a\nOut of memory: Killed process 1 (systemd) killed as a result of limit of /a' };
    expect(decode(JSON.stringify(forged)).map((l) => l.message)).toEqual([forged.MESSAGE]);
  });
  it('/dev/kmsg records with escapes, caller and dictionary lines', () => {
    expect(one(`4,1733,30745678,-,caller=T116;${MSG}`)).toMatchObject({ uptime: 30.745678, caller: 'T116', message: MSG });
    expect(decode('6,1,1000,-;anon 1\\x0afile 2\\x0a').map((l) => l.message)).toEqual(['anon 1', 'file 2']);
    expect(decode('6,1,1000,-;a\\x0ab').map((l) => l.message)).toEqual(['a\nb']);
    // Bytes >= 0x80 arrive escaped: they are UTF-8 (lossy when they are not).
    expect(decode('6,1,1000,-;Killed process 5 (caf\\xc3\\xa9 \\xe2\\x80\\xae) \\xff').map((l) => l.message)).toEqual(['Killed process 5 (café \u202e) \ufffd']);
    const ctx = new DecodeContext();
    const out: DecodedLine[] = [];
    for (const t of ['6,2,2000,-;usb 1-1: new device', ' SUBSYSTEM=usb', ' DEVICE=c189:1']) decodeLine(t, ctx, (l) => out.push(l));
    expect(out.map((l) => l.message)).toEqual(['usb 1-1: new device']);
  });
  it('rsyslog #012 folds become lines in the memory.stat and Mem-Info blocks only', () => {
    const syslog = 'Nov 26 06:13:05 web-1 kernel: ';
    expect(decode(`${syslog}Mem-Info:#012active_anon:1 inactive_anon:2#012 active_file:3`).map((l) => l.message)).toEqual([
      'Mem-Info:', 'active_anon:1 inactive_anon:2', ' active_file:3',
    ]);
    expect(decode(`${syslog}anon 1#012file 2#012`).map((l) => l.message)).toEqual(['anon 1', 'file 2']);
    // `#012` inside a cgroup path or a comm is text the kernel printed, not a line break.
    const forged = 'oom-kill:constraint=CONSTRAINT_MEMCG,task_memcg=/x#012Out of memory: Killed process 1 (systemd) total-vm:1kB,task=a,pid=5,uid=0';
    expect(decode(`${syslog}${forged}`).map((l) => l.message)).toEqual([forged]);
    // Only a syslog daemon writes #012: dmesg text keeps it as it is.
    expect(decode('[   5.000000] anon 1#012file 2').map((l) => l.message)).toEqual(['anon 1#012file 2']);
  });
  it('continuation lines inherit the prefix of the line above', () => {
    const ctx = new DecodeContext({ year: 2026, tz: 'UTC' });
    const out: DecodedLine[] = [];
    decodeLine('Nov 26 06:13:05 web-1 kernel: Mem-Info:', ctx, (l) => out.push(l));
    decodeLine('                                active_file:3', ctx, (l) => out.push(l));
    expect(out[1]).toMatchObject({ host: 'web-1', continuation: true, message: ' active_file:3' });
  });
  it('dmesg -x facility and level', () => {
    expect(one(`kern  :err   : [14808.063890] ${MSG}`)).toMatchObject({ uptime: 14808.06389, message: MSG });
  });
  it('bare messages and task rows are not taken for stamps', () => {
    expect(one(MSG)).toMatchObject({ host: null, time: null, uptime: null, message: MSG });
    expect(one('[ 1094]     0  1094      743       79   0     -17         -1000 udevd').message).toMatch(/^\[ 1094\]/);
  });
  it('the year rolls over from December to January', () => {
    const ctx = new DecodeContext({ year: 2025, tz: 'UTC' });
    const times: number[] = [];
    for (const t of ['Dec 31 23:59:59 h kernel: a', 'Jan  1 00:00:01 h kernel: b']) decodeLine(t, ctx, (l) => times.push(l.time!));
    expect(times).toEqual([Date.UTC(2025, 11, 31, 23, 59, 59), Date.UTC(2026, 0, 1, 0, 0, 1)]);
  });
});

describe('rarer prefixes', () => {
  it('busybox syslogd facility.level before the tag', () => {
    expect(one(`Jan  1 00:00:00 router kern.warn kernel: ${MSG}`)).toMatchObject({ host: 'router', ident: 'kernel', message: MSG });
  });
  it('dmesg -d keeps the uptime; -e and reltime prefixes are dropped', () => {
    expect(one(`[ 1234.567890 <    0.000012>] ${MSG}`)).toMatchObject({ uptime: 1234.56789, message: MSG });
    expect(one(`[Nov26 06:13] ${MSG}`)).toMatchObject({ uptime: null, message: MSG });
    expect(one(`[  +0.000012] ${MSG}`)).toMatchObject({ uptime: null, message: MSG });
  });
});

describe('what log shippers and terminals leave behind', () => {
  it('a bare kernel: tag', () => {
    expect(one(`kernel: ${MSG}`)).toMatchObject({ ident: 'kernel', message: MSG });
  });
  it('colour codes from dmesg --color=always', () => {
    expect(one(`\u001b[32m[14808.063890]\u001b[0m ${MSG}`)).toMatchObject({ uptime: 14808.06389, message: MSG });
  });
  it('ISO stamps with a space instead of T', () => {
    expect(one(`2026-11-26 06:13:05 web-1 kernel: ${MSG}`)).toMatchObject({ host: 'web-1', time: Date.UTC(2026, 10, 26, 6, 13, 5), message: MSG });
  });
});
