import { describe, expect, it } from 'vitest';
import { runCli } from './support/runCli.js';

describe('oomlens schema', () => {
  it('prints the record schema by default: kernel and userspace records', () => {
    const r = runCli(['schema']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as { anyOf: { properties: { type: { enum?: string[]; const?: string } } }[] };
    const types = schema.anyOf.flatMap((s) => s.properties.type.enum ?? [s.properties.type.const]);
    expect(types).toEqual(expect.arrayContaining(['oom-kill', 'oom-without-kill', 'userspace-kill']));
  });

  it('prints the schema of report --format json on request', () => {
    const r = runCli(['schema', 'analysis']);
    expect(r.code).toBe(0);
    const schema = JSON.parse(r.stdout) as { properties: Record<string, unknown>; required: string[] };
    expect(schema.required).toEqual(expect.arrayContaining(['summary', 'groups']));
    const report = JSON.parse(runCli(['report', '--quiet', '--format', 'json', 'fixtures/sample-kern.log']).stdout) as Record<string, unknown>;
    for (const key of Object.keys(report)) expect(schema.properties).toHaveProperty(key);
  });

  it('refuses an unknown document with a usage error', () => {
    expect(runCli(['schema', 'bogus']).code).toBe(2);
  });
});
