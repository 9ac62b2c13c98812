import type { DecodeContext } from '../decodeContext.js';
import type { DecodedLine } from '../decodedLine.js';
import { readBracketStamp } from './bracketStamp.js';
import type { Head } from './head.js';
import { readIsoStamp } from './isoStamp.js';
import { decodeJournalJson } from './journalJson.js';
import { decodeKmsg } from './kmsg.js';
import { readMonthStamp } from './monthStamp.js';
import { readRfc5424 } from './rfc5424.js';
import { readShortFull, readShortUnix } from './shortStamps.js';

/**
 * Every transport prefix we take off, as data like the line kinds: the characters a line in
 * that form starts with, how it is read, and real sample lines with what they must give. Three
 * forms:
 * - `head`: a prefix before one message (syslog, journalctl, dmesg stamps);
 * - `records`: the whole line is a record of its own encoding, possibly several lines folded
 *   into one (kmsg `\x0a`, journal JSON `\n`);
 * - `wrapper`: an outer layer (dmesg -x columns, mail quoting, indentation) that is removed,
 *   after which the rest is decoded again.
 * `decodeLine` tries the entries for a line's first character in table order.
 */
export type PrefixDecoder = { name: string; first: string; samples: PrefixSample[] } & (
  | { form: 'head'; read: (text: string, ctx: DecodeContext) => Head | null }
  | { form: 'records'; read: (text: string, ctx: DecodeContext) => DecodedLine[] | null }
  | { form: 'wrapper'; read: (text: string) => number | null }
);

export interface PrefixSample {
  line: string;
  /** What the decoded (first) line must hold. */
  gives: Partial<DecodedLine>;
}

const DIGITS = '0123456789';
const UPPER = 'ABCDEFGHIJKLMNOPQRSTUVWXYZ';
const LOWER = 'abcdefghijklmnopqrstuvwxyz';

/** `dmesg -x`: `kern  :err   : ` before the time stamp (`%-6s:%-6s: `). */
const FACILITY_LEVEL = /^[a-z0-9]{2,8} *:[a-z]{3,6} *: /;
/** A bare `kernel: ` tag left by log shippers that dropped the time stamp and host. */
const KERNEL_TAG = /^kernel(?:\[\d+\])?: ?/;
/** `<6>Mem-info:` as old syslog daemons left it: a level and no time stamp. */
const LEVEL_ONLY = /^<\d{1,3}>/;
/** Mail and forum quoting: `> `, `>> `, `> > `. */
const QUOTE = /^(?:> ?)+/;
/**
 * Indentation (pastes and mails indent every line) before a stamp that starts a line of its
 * own: a printk stamp with its fraction, a syslog or ISO stamp. A dmesg/journalctl
 * continuation line is indented too, but holds no such stamp, so it is left to the caller.
 */
const INDENTED_STAMP = /^[ \t]+(?=\[\s*\d+\.\d+\]|<\d{1,3}>\[\s*\d+\.\d+\]|[A-Z][a-z]{2} {1,2}\d{1,2} \d\d:\d\d:\d\d |\d{4}-\d\d-\d\d[T ]\d\d:\d\d:\d\d|\[[A-Z][a-z]{2} [A-Z][a-z]{2} {1,2}\d{1,2} \d\d:\d\d:\d\d \d{4}\]|[a-z]{2,8} *:[a-z]{3,6} *: )/;

const BARE: Head = { host: null, time: null, uptime: null, caller: null, ident: null, rest: 0 };
const MSG = 'stress invoked oom-killer: gfp_mask=0xcc0(GFP_KERNEL), order=0, oom_score_adj=0';

export const PREFIX_DECODERS: readonly PrefixDecoder[] = [
  {
    name: 'journalJson',
    form: 'records',
    first: '{',
    read: (text) => decodeJournalJson(text),
    samples: [{ line: `{"MESSAGE":"${MSG}","_TRANSPORT":"kernel","_HOSTNAME":"web-a","__REALTIME_TIMESTAMP":"1764137580000000"}`, gives: { host: 'web-a', ident: 'kernel', message: MSG } }],
  },
  {
    name: 'kmsg',
    form: 'records',
    first: DIGITS,
    read: (text, ctx) => (text.includes(';') ? decodeKmsg(text, ctx.bootTimeMs) : null),
    samples: [
      { line: `4,1733,30745678,-;${MSG}`, gives: { uptime: 30.745678, caller: null, message: MSG } },
      { line: `4,1733,30745678,-,caller=T116;${MSG}`, gives: { caller: 'T116' } },
    ],
  },
  {
    name: 'isoStamp',
    form: 'head',
    first: DIGITS,
    read: (text, ctx) => readIsoStamp(text, ctx),
    samples: [
      { line: `2026-11-26T06:13:05.123456+00:00 web-1 kernel: ${MSG}`, gives: { host: 'web-1', ident: 'kernel', message: MSG } },
      { line: `2026-11-26T06:13:05,123456+00:00 ${MSG}`, gives: { host: null, message: MSG } },
      { line: `2026-11-26T06:13:05.123456+00:00 web-1 kernel: [  818.356493] ${MSG}`, gives: { uptime: 818.356493, message: MSG } },
    ],
  },
  {
    name: 'shortUnix',
    form: 'head',
    first: DIGITS,
    read: (text) => readShortUnix(text),
    samples: [{ line: `1764137585.123456 host kernel: ${MSG}`, gives: { host: 'host', time: 1764137585123.456 } }],
  },
  {
    name: 'rfc5424',
    form: 'head',
    first: '<',
    read: (text, ctx) => readRfc5424(text, ctx),
    samples: [{ line: `<4>1 2026-11-26T06:13:05.123456+00:00 web-1 kernel - - - ${MSG}`, gives: { host: 'web-1', ident: 'kernel', message: MSG } }],
  },
  {
    name: 'bracketStamp',
    form: 'head',
    first: '[<',
    read: (text, ctx) => readBracketStamp(text, ctx),
    samples: [
      { line: `[14808.063890] ${MSG}`, gives: { uptime: 14808.06389, message: MSG } },
      { line: `[   23.346650][ T5096] ${MSG}`, gives: { caller: 'T5096', message: MSG } },
      { line: `[Thu Nov 26 06:13:05 2026] ${MSG}`, gives: { time: Date.UTC(2026, 10, 26, 6, 13, 5), message: MSG } },
      { line: `[ 1234.567890] host kernel: ${MSG}`, gives: { host: 'host', uptime: 1234.56789 } },
      { line: `<4>[ 1234.567890] ${MSG}`, gives: { uptime: 1234.56789, message: MSG } },
    ],
  },
  {
    name: 'levelOnly',
    form: 'head',
    first: '<',
    read: (text) => {
      const m = LEVEL_ONLY.exec(text);
      return m ? { ...BARE, rest: m[0].length } : null;
    },
    samples: [{ line: '<6>Mem-info:', gives: { uptime: null, message: 'Mem-info:' } }],
  },
  {
    name: 'monthStamp',
    form: 'head',
    first: UPPER,
    read: (text, ctx) => readMonthStamp(text, ctx),
    samples: [
      { line: `Nov 26 06:13:05 web-1 kernel: [14808.063890] ${MSG}`, gives: { host: 'web-1', uptime: 14808.06389, message: MSG } },
      { line: `Dec 04 17:13:12.250000 host kernel: ${MSG}`, gives: { host: 'host', time: Date.UTC(2026, 11, 4, 17, 13, 12, 250) } },
    ],
  },
  {
    name: 'shortFull',
    form: 'head',
    first: UPPER,
    read: (text, ctx) => readShortFull(text, ctx),
    samples: [{ line: `Thu 2026-11-26 06:13:05 UTC host kernel: ${MSG}`, gives: { host: 'host', time: Date.UTC(2026, 10, 26, 6, 13, 5) } }],
  },
  {
    name: 'facilityLevel',
    form: 'wrapper',
    first: LOWER,
    read: (text) => FACILITY_LEVEL.exec(text)?.[0].length ?? null,
    samples: [
      { line: `kern  :warn  : [  390.102837] ${MSG}`, gives: { uptime: 390.102837, message: MSG } },
      { line: `kern  :warn  : [Thu Aug 17 17:29:27 2023] ${MSG}`, gives: { time: Date.UTC(2023, 7, 17, 17, 29, 27), message: MSG } },
    ],
  },
  {
    name: 'kernelTag',
    form: 'head',
    first: 'k',
    read: (text) => {
      const m = KERNEL_TAG.exec(text);
      return m ? { ...BARE, ident: 'kernel', rest: m[0].length } : null;
    },
    samples: [{ line: `kernel: ${MSG}`, gives: { ident: 'kernel', message: MSG } }],
  },
  {
    name: 'quoted',
    form: 'wrapper',
    first: '>',
    read: (text) => QUOTE.exec(text)?.[0].length ?? null,
    samples: [
      { line: `> [  123.456789] ${MSG}`, gives: { uptime: 123.456789, message: MSG } },
      { line: `>> Nov 26 06:13:05 web-1 kernel: ${MSG}`, gives: { host: 'web-1', message: MSG } },
    ],
  },
  {
    name: 'indented',
    form: 'wrapper',
    first: ' \t',
    read: (text) => INDENTED_STAMP.exec(text)?.[0].length ?? null,
    samples: [
      { line: `    [  123.456789] ${MSG}`, gives: { uptime: 123.456789, message: MSG, continuation: false } },
      { line: `\tNov 26 06:13:05 web-1 kernel: ${MSG}`, gives: { host: 'web-1', message: MSG } },
      { line: `  kern  :warn  : [  390.102837] ${MSG}`, gives: { uptime: 390.102837, message: MSG } },
    ],
  },
];

/** The decoders to try for a line starting with `ch`, in table order. */
const BY_FIRST = new Map<string, PrefixDecoder[]>();
for (const d of PREFIX_DECODERS) for (const ch of d.first) BY_FIRST.set(ch, [...(BY_FIRST.get(ch) ?? []), d]);

export function decodersFor(ch: string): readonly PrefixDecoder[] {
  return BY_FIRST.get(ch) ?? [];
}
