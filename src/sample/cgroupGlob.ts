/**
 * `--cgroup GLOB` on cgroup paths, segment-wise like a path glob: `*` and `?` stay within one
 * path segment, `**` spans any number of them (`/kubepods.slice/**`), `[a-z]` / `[!a-z]` is a
 * class, `\` escapes. A glob without a leading `/` is anchored at the root all the same.
 */
export function cgroupGlob(glob: string): RegExp {
  const g = glob.startsWith('/') ? glob : `/${glob}`;
  let re = '';
  for (let i = 0; i < g.length; i++) {
    const c = g[i]!;
    if (c === '*' && g[i + 1] === '*') {
      i++;
      // `/**` at the end matches the cgroup itself and everything below it.
      if (g[i + 1] === undefined && re.endsWith('/')) re = `${re.slice(0, -1)}(?:/.*)?`;
      else if (g[i + 1] === '/') {
        re += '(?:.*/)?';
        i++;
      } else re += '.*';
    } else if (c === '*') re += '[^/]*';
    else if (c === '?') re += '[^/]';
    else if (c === '\\' && i + 1 < g.length) re += escapeChar(g[++i]!);
    else if (c === '[') {
      const close = g.indexOf(']', i + 2);
      if (close < 0) {
        re += '\\[';
        continue;
      }
      let body = g.slice(i + 1, close);
      const negated = body.startsWith('!') || body.startsWith('^');
      if (negated) body = body.slice(1);
      re += `(?!/)[${negated ? '^' : ''}${body.replace(/[\\\]^]/g, (m) => `\\${m}`)}]`;
      i = close;
    } else re += escapeChar(c);
  }
  return new RegExp(`^${re}$`, 's');
}

function escapeChar(c: string): string {
  return /[.*+?^${}()|[\]\\-]/.test(c) ? `\\${c}` : c;
}
