/** The keys, once: the footer shows the short names, `?` the whole list. */
export const KEY_HELP: readonly { keys: string; short: string | null; what: string }[] = [
  { keys: '↑ ↓  j k', short: null, what: 'move in the focused pane (PgUp/PgDn, Home/End by page and to the ends)' },
  { keys: 'Tab  ← →  h l', short: 'Tab', what: 'next pane (Shift-Tab, ← and h go back)' },
  { keys: 'Enter', short: null, what: 'drill in: group → its kills → the kill in detail (Esc goes back)' },
  { keys: '/  n N', short: '/ search', what: 'search kills by process, pid, cgroup or host; n and N: next and previous match' },
  { keys: 'f', short: 'f filter', what: 'keep only matching kills (host:, comm:, pid:, cgroup:, scope:, type:, killer:); empty clears' },
  { keys: 's', short: 's sort', what: 'sort: worst first, most recent, largest victim, most kills' },
  { keys: 'g', short: 'g group', what: 'group by process name, workload, cgroup, host' },
  { keys: 'r', short: 'r raw', what: 'the kill’s raw log lines instead of its summary' },
  { keys: 'e', short: 'e export', what: 'write the selected kill to a file, as JSON or markdown' },
  { keys: 'mouse', short: null, what: 'click a row to select it, wheel to scroll' },
  { keys: '?', short: '? help', what: 'this help (any key closes it)' },
  { keys: 'q', short: 'q quit', what: 'quit' },
];
