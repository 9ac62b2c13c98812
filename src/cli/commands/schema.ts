import { z } from 'zod';
import { OomRecord } from '../../schema/oomRecord.js';
import { writeOut } from '../output.js';

export const schemaCommand = {
  command: 'schema',
  describe: 'Print the JSON Schema of the records `scan --json` writes',
  handler: async (): Promise<number> => {
    await writeOut(`${JSON.stringify(z.toJSONSchema(OomRecord), null, 2)}\n`);
    return 0;
  },
};
