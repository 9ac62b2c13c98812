import { explainCommand } from './explain.js';
import { reportCommand } from './report.js';
import { scanCommand } from './scan.js';
import { schemaCommand } from './schema.js';
import { tuiCommand } from './tui.js';
import { watchCommand } from './watch.js';

/** Every subcommand; each lives in its own module. */
export const COMMANDS = [scanCommand, reportCommand, explainCommand, schemaCommand, tuiCommand, watchCommand];
