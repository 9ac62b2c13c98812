import { scanCommand } from './scan.js';
import { schemaCommand } from './schema.js';

/** Every subcommand; each lives in its own module. */
export const COMMANDS = [scanCommand, schemaCommand];
