import type { Task } from '../../src/schema/oomRecord.js';

/** Header column name -> Task field. Columns we do not know are parsed and dropped. */
const COLUMN_FIELD: Record<string, keyof Task> = {
  uid: 'uid',
  tgid: 'tgid',
  total_vm: 'totalVmPages',
  rss: 'rssPages',
  rss_anon: 'rssAnonPages',
  rss_file: 'rssFilePages',
  rss_shmem: 'rssShmemPages',
  pgtables_bytes: 'pgtablesBytes',
  nr_ptes: 'nrPtes',
  nr_pmds: 'nrPmds',
  swapents: 'swapents',
  oom_score_adj: 'oomScoreAdj',
  oom_adj: 'oomAdj',
  cpu: 'cpu',
};

/**
 * Parses a task-table row against the most recent header's columns: the row has that many
 * numbers after `[pid]`, then one space, then the comm (which may hold spaces and digits). A row
 * a syslog daemon cut short keeps the numbers it has (the rest stay null) and its name.
 * Returns null for a line with no number after the pid.
 */
export function parseTaskRow(pid: number, rest: string, columns: readonly string[]): Task | null {
  const task: Task = {
    pid, uid: null, tgid: null, totalVmPages: null, rssPages: null, rssAnonPages: null, rssFilePages: null,
    rssShmemPages: null, pgtablesBytes: null, nrPtes: null, nrPmds: null, swapents: null, oomScoreAdj: null,
    oomAdj: null, cpu: null, name: '',
  };
  let i = 0;
  for (const column of columns) {
    while (rest.charCodeAt(i) === 0x20) i++;
    let j = i;
    while (j < rest.length && rest.charCodeAt(j) !== 0x20) j++;
    const token = rest.slice(i, j);
    if (!/^-?\d+$/.test(token)) {
      if (column === columns[0]) return null;
      task.name = rest.slice(i).replace(/\s+$/, '');
      return task;
    }
    const field = COLUMN_FIELD[column];
    if (field) (task as Record<string, unknown>)[field] = Number(token);
    i = j;
  }
  // Exactly one space separates the last number from the comm.
  if (rest.charCodeAt(i) !== 0x20) return null;
  task.name = rest.slice(i + 1).replace(/\s+$/, '');
  return task;
}
