import type { DecodeContext } from './decodeContext.js';
import type { DecodedLine } from './decodedLine.js';
import { splitFoldedBlock } from './foldedBlock.js';
import type { Head } from './prefix/head.js';
import { readBracketStamp } from './prefix/bracketStamp.js';
import { readIsoStamp } from './prefix/isoStamp.js';
import { decodeJournalJson } from './prefix/journalJson.js';
import { decodeKmsg } from './prefix/kmsg.js';
import { readMonthStamp } from './prefix/monthStamp.js';
import { readPrintkStamp } from './prefix/printkStamp.js';
import { readRfc5424 } from './prefix/rfc5424.js';
import { readShortFull, readShortUnix } from './prefix/shortStamps.js';

/** `dmesg -x`: `kern  :err   : ` before the time stamp. */
const FACILITY_LEVEL = /^[a-z0-9]{2,8} *:[a-z]{3,6} *: /;
/** A bare `kernel: ` tag left by log shippers that dropped the time stamp and host. */
const KERNEL_TAG = /^kernel(?:\[\d+\])?: ?/;
/** Terminal colour codes (`dmesg --color=always` captured by `script`). */
// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/g;
/** A kmsg dictionary line (` SUBSYSTEM=pci`), which belongs to the record above it. */
const KMSG_DICT = /^ [A-Z_]+=/;

/**
 * Decodes one physical line (no line terminator) into one or more kernel lines: one, unless
 * the transport folded the kernel's multi-line memory.stat record into it (rsyslog `#012`,
 * kmsg `\x0a`, journal JSON `\n`; see foldedBlock). The prefix style is detected per line. Never throws.
 */
export function decodeLine(input: string, ctx: DecodeContext, emit: (line: DecodedLine) => void): void {
  const text = input.includes('\u001b[') ? input.replace(SGR, '') : input;
  if (text.length === 0) return;
  const c = text.charCodeAt(0);
  if (c === 0x7b /* { */) {
    const lines = decodeJournalJson(text);
    if (lines) return emitAll(lines, ctx, emit);
  } else if (c >= 0x30 && c <= 0x39) {
    if (text.includes(';')) {
      const lines = decodeKmsg(text, ctx.bootTimeMs);
      if (lines) return emitAll(lines, ctx, emit);
    }
    const head = readIsoStamp(text, ctx) ?? readShortUnix(text);
    if (head) return emitMessage(text, head, ctx, emit);
  } else if (c === 0x5b /* [ */ || c === 0x3c /* < */) {
    const head = (c === 0x3c ? readRfc5424(text, ctx) : null) ?? readBracketStamp(text, ctx) ?? readLevelOnly(text);
    if (head) return emitMessage(text, head, ctx, emit);
  } else if (c >= 0x41 && c <= 0x5a) {
    const head = readMonthStamp(text, ctx) ?? readShortFull(text, ctx);
    if (head) return emitMessage(text, head, ctx, emit);
  } else if (c >= 0x61 && c <= 0x7a) {
    const fl = FACILITY_LEVEL.exec(text);
    if (fl) return decodeLine(text.slice(fl[0].length), ctx, emit);
    const tag = KERNEL_TAG.exec(text);
    if (tag) return emitMessage(text, { ...BARE, ident: 'kernel', rest: tag[0].length }, ctx, emit);
  } else if ((c === 0x20 || c === 0x09) && ctx.last !== null) {
    if (KMSG_DICT.test(text) && ctx.last.uptime !== null && ctx.last.host === null) return;
    const last = ctx.last;
    return emitAll(
      splitFolded(` ${text.trimStart()}`, last.host !== null).map((message) => ({ ...last, message, continuation: true })),
      ctx,
      emit,
    );
  }
  emitMessage(text, BARE, ctx, emit);
}

const BARE: Head = { host: null, time: null, uptime: null, caller: null, ident: null, rest: 0 };

/** `<6>Mem-info:` as old syslog daemons left it: a level and no time stamp. */
function readLevelOnly(text: string): Head | null {
  const m = /^<\d{1,3}>/.exec(text);
  return m ? { ...BARE, rest: m[0].length } : null;
}

function emitMessage(text: string, head: Head, ctx: DecodeContext, emit: (line: DecodedLine) => void): void {
  let { uptime, caller, rest } = head;
  if (uptime === null) {
    // imklog keeps the kernel's own `[ secs.usecs]` (and caller id) after `kernel: `.
    const p = readPrintkStamp(text, rest);
    if (p.rest !== rest) ({ uptime, caller, rest } = { uptime: p.uptime, caller: p.caller ?? caller, rest: p.rest });
  }
  const time = head.time ?? (uptime !== null && ctx.bootTimeMs !== null ? ctx.bootTimeMs + uptime * 1000 : null);
  const parts = splitFolded(text.slice(rest), head.host !== null);
  emitAll(
    parts.map((message, i) => ({ host: head.host, time, uptime, caller, ident: head.ident, message, continuation: i > 0 })),
    ctx,
    emit,
  );
}

/**
 * rsyslog escapes a record's embedded newlines as `#012`; only a syslog daemon's prefix (one
 * with a host) can have produced it, and only the memory.stat block is split (see foldedBlock).
 */
function splitFolded(message: string, fromSyslog: boolean): string[] {
  return fromSyslog ? splitFoldedBlock(message, '#012') : [message];
}

function emitAll(lines: DecodedLine[], ctx: DecodeContext, emit: (line: DecodedLine) => void): void {
  for (const line of lines) {
    ctx.last = line;
    emit(line);
  }
}
