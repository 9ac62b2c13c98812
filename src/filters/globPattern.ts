/**
 * Shell-style glob matching: `*` any run of characters, `?` one character, `[abc]` / `[a-z]` /
 * `[!abc]` a class; everything else literal (`\` escapes the next character). Used for the
 * `--host`, `--comm` and `--cgroup` filters, where `*` also crosses `/`, and, one path
 * segment at a time, for file arguments.
 */
export function globToRegExp(glob: string): RegExp {
  let re = '';
  for (let i = 0; i < glob.length; i++) {
    const c = glob[i]!;
    if (c === '*') re += '.*';
    else if (c === '?') re += '.';
    else if (c === '\\' && i + 1 < glob.length) re += escape(glob[++i]!);
    else if (c === '[') {
      const close = glob.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = glob.slice(i + 1, close);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      re += `[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, (m) => `\\${m}`)}]`;
      i = close;
    } else re += escape(c);
  }
  return new RegExp(`^${re}$`, 's');
}

/** Whether the text has glob syntax (so it is a pattern, not a literal name). */
export function hasGlobSyntax(text: string): boolean {
  return /[*?[]/.test(text);
}

function escape(c: string): string {
  return /[.*+?^${}()|[\]\\/-]/.test(c) ? `\\${c}` : c;
}
