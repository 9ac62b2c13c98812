/**
 * Every subcommand by name; each lives in its own module, loaded only when it runs: `oomlens
 * scan` must not pay at startup for the TUI's, the report's or the watcher's imports.
 */
export const COMMANDS = {
  scan: async () => (await import('./scan.js')).scanCommand,
  report: async () => (await import('./report.js')).reportCommand,
  explain: async () => (await import('./explain.js')).explainCommand,
  schema: async () => (await import('./schema.js')).schemaCommand,
  tui: async () => (await import('./tui.js')).tuiCommand,
  watch: async () => (await import('./watch.js')).watchCommand,
};
