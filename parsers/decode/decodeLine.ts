import type { DecodeContext } from './decodeContext.js';
import type { DecodedLine } from './decodedLine.js';
import type { Head } from './prefix/head.js';
import { readPrintkStamp } from './prefix/printkStamp.js';
import { decodersFor } from './prefix/table.js';
import { assertNever } from '../kinds/fieldTypes.js';

/** Terminal colour codes (`dmesg --color=always` captured by `script`). */
// eslint-disable-next-line no-control-regex
const SGR = /\u001b\[[0-9;]*m/g;
/** A kmsg dictionary line (` SUBSYSTEM=pci`), which belongs to the record above it. */
const KMSG_DICT = /^ [A-Z_]+=/;

/**
 * Decodes one physical line (no line terminator) into one or more kernel lines: one, unless
 * the transport folded a multi-line record into it (rsyslog `#012`, kmsg `\x0a`, journal JSON
 * `\n`). The prefix style is detected per line, by the prefix table (`prefix/table.ts`).
 * Never throws.
 */
export function decodeLine(input: string, ctx: DecodeContext, emit: (line: DecodedLine) => void): void {
  const text = input.includes('\u001b[') ? input.replace(SGR, '') : input;
  if (text.length === 0) return;
  for (const d of decodersFor(text.charAt(0))) {
    switch (d.form) {
      case 'records': {
        const lines = d.read(text, ctx);
        if (lines) return emitAll(lines, ctx, emit);
        break;
      }
      case 'head': {
        const head = d.read(text, ctx);
        if (head) return emitMessage(text, head, ctx, emit);
        break;
      }
      case 'wrapper': {
        const cut = d.read(text);
        if (cut !== null && cut > 0 && cut < text.length) return decodeLine(text.slice(cut), ctx, emit);
        break;
      }
      default:
        return assertNever(d);
    }
  }
  const c = text.charCodeAt(0);
  if ((c === 0x20 || c === 0x09) && ctx.last !== null) {
    if (KMSG_DICT.test(text) && ctx.last.uptime !== null && ctx.last.host === null) return;
    const last = ctx.last;
    return emitAll(
      splitFolded(` ${text.trimStart()}`).map((message) => ({ ...last, message, continuation: true })),
      ctx,
      emit,
    );
  }
  const last = ctx.last;
  if (last !== null && (last.host !== null || last.uptime !== null || last.time !== null) && (last.ident === null || last.ident === 'kernel')) {
    // Stamped text around it: the line belongs where the line before it was.
    return emitAll([{ host: last.host, time: last.time, uptime: last.uptime, caller: last.caller, ident: last.ident, message: text, continuation: false, unprefixed: true }], ctx, emit);
  }
  emitMessage(text, BARE, ctx, emit);
}

const BARE: Head = { host: null, time: null, uptime: null, caller: null, ident: null, rest: 0 };

function emitMessage(text: string, head: Head, ctx: DecodeContext, emit: (line: DecodedLine) => void): void {
  let { uptime, caller, rest } = head;
  if (uptime === null) {
    // imklog keeps the kernel's own `[ secs.usecs]` (and caller id) after `kernel: `.
    const p = readPrintkStamp(text, rest);
    if (p.rest !== rest) ({ uptime, caller, rest } = { uptime: p.uptime, caller: p.caller ?? caller, rest: p.rest });
  }
  const time = head.time ?? (uptime !== null && ctx.bootTimeMs !== null ? ctx.bootTimeMs + uptime * 1000 : null);
  const parts = splitFolded(text.slice(rest));
  emitAll(
    parts.map((message, i) => ({ host: head.host, time, uptime, caller, ident: head.ident, message, continuation: i > 0 })),
    ctx,
    emit,
  );
}

/** rsyslog escapes a record's embedded newlines as `#012` (and tabs as `#011`). */
function splitFolded(message: string): string[] {
  if (!message.includes('#01')) return [message];
  return message.replaceAll('#011', '\t').split('#012');
}

function emitAll(lines: DecodedLine[], ctx: DecodeContext, emit: (line: DecodedLine) => void): void {
  for (const line of lines) {
    ctx.last = line;
    emit(line);
  }
}
