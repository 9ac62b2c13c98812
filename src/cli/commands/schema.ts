import { z } from 'zod';
import { KillRecord } from '../../schema/killRecord.js';
import { writeOut } from '../output.js';

export const schemaCommand = {
  command: 'schema',
  describe: 'Print the JSON Schema of the records `scan --json` writes',
  handler: async (): Promise<number> => {
    await writeOut(`${JSON.stringify(z.toJSONSchema(KillRecord), null, 2)}\n`);
    return 0;
  },
};
