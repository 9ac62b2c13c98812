/**
 * The kernel's own prefix inside a message: optional `<level>`, `[ secs.usecs]`, and the
 * optional caller id (`[T1234]`, `[    C2]`, util-linux's `[  T116]` after a space, vendor
 * `T123@C4`). Returns what it found and where the message starts.
 */
export interface PrintkStamp {
  uptime: number | null;
  caller: string | null;
  rest: number;
}

const STAMP = /^(?:<\d{1,3}>)?\[\s*(\d+)\.(\d+)\](?: ?\[\s*([TC]\d+(?:[:@]?C\d+)?)\])? ?/;
const CALLER_ONLY = /^\[\s*([TC]\d+(?:[:@]?C\d+)?)\] ?/;
/** A stamp a syslog daemon garbled (`[15180329.new]`): skip it, but trust no number in it. */
const GARBLED = /^\[\s*\d+\.[^\]\s]*\] /;

export function readPrintkStamp(text: string, from: number): PrintkStamp {
  const c = text.charCodeAt(from);
  if (c !== 0x5b /* [ */ && c !== 0x3c /* < */) return { uptime: null, caller: null, rest: from };
  const s = from === 0 ? text : text.slice(from);
  const m = STAMP.exec(s);
  if (m) {
    return { uptime: Number(`${m[1]}.${m[2]}`), caller: m[3] ?? null, rest: from + m[0].length };
  }
  const k = CALLER_ONLY.exec(s);
  if (k) return { uptime: null, caller: k[1]!, rest: from + k[0].length };
  const g = GARBLED.exec(s);
  if (g) return { uptime: null, caller: null, rest: from + g[0].length };
  return { uptime: null, caller: null, rest: from };
}
