import { explainCommand } from './explain.js';
import { reportCommand } from './report.js';
import { scanCommand } from './scan.js';
import { schemaCommand } from './schema.js';

/** Every subcommand; each lives in its own module. */
export const COMMANDS = [scanCommand, reportCommand, explainCommand, schemaCommand];
