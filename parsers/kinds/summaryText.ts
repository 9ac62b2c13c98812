import { signedInt } from './kernelInt.js';

/**
 * The `oom-kill:` summary (5.0+), read from the right: the victim's comm may hold `,`, `=`, `:`
 * and spaces, and cgroup paths may hold commas, so we cut at the literal field markers.
 */
export interface Summary {
  constraint: string | null;
  nodemask: string | null;
  cpuset: string | null;
  memsAllowed: string | null;
  oomMemcg: string | null;
  globalOom: boolean;
  taskMemcg: string | null;
  task: string | null;
  pid: number | null;
  uid: number | null;
}

export function parseSummary(body: string): Summary {
  let s = body.replace(/\s+$/, '');
  const out: Summary = {
    constraint: null, nodemask: null, cpuset: null, memsAllowed: null, oomMemcg: null,
    globalOom: false, taskMemcg: null, task: null, pid: null, uid: null,
  };
  // The comm runs from the first `,task=` to the `,pid=` of the tail (found without a
  // backtracking `.*`, which is quadratic on hostile lines).
  const tail = /,pid=\s*(\d+),uid=\s*(\d+)$/.exec(s);
  const taskAt = tail ? s.indexOf(',task=') : -1;
  if (tail && taskAt >= 0 && taskAt < tail.index) {
    out.task = s.slice(taskAt + ',task='.length, tail.index);
    out.pid = signedInt(tail[1]);
    out.uid = signedInt(tail[2]);
    s = s.slice(0, taskAt);
  }
  const cut = (marker: string): string | null => {
    const i = s.lastIndexOf(marker);
    if (i < 0) return null;
    const value = s.slice(i + marker.length);
    s = s.slice(0, i);
    return value;
  };
  out.taskMemcg = cut(',task_memcg=');
  if (s.endsWith(',global_oom')) {
    out.globalOom = true;
    s = s.slice(0, -',global_oom'.length);
  } else {
    out.oomMemcg = cut(',oom_memcg=');
  }
  out.memsAllowed = cut(',mems_allowed=');
  out.cpuset = cut(',cpuset=');
  out.nodemask = cut(',nodemask=');
  const constraint = /^constraint=(\S+)$/.exec(s);
  out.constraint = constraint ? constraint[1]! : null;
  return out;
}
