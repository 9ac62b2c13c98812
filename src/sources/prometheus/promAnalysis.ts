import { z } from 'zod';
import { Confidence } from '../../analyze/analysis.js';

/**
 * `report --prometheus`: the kills Prometheus holds, grouped per workload, each with its
 * memory around the kills and the test of two hypotheses: memory follows the work (load) or
 * grows regardless of it (leak). The group has the shape of a log report's group (key, label,
 * kills, ranked hypotheses) plus `work`. Schema = types = `report --format json`.
 */
export const HypothesisKind = z.enum(['load', 'leak']);
export type HypothesisKind = z.infer<typeof HypothesisKind>;

/** As the log report's hypotheses (cause, confidence, evidence), with the figures worded. */
export const Hypothesis = z.object({
  cause: HypothesisKind,
  confidence: Confidence,
  score: z.number().nullable().describe('the partial correlation behind it (-1..1); null when it could not be tested'),
  summary: z.string(),
  evidence: z.array(z.string()),
  decides: z.string().describe('what would settle it'),
});
export type Hypothesis = z.infer<typeof Hypothesis>;

export const Work = z
  .object({
    query: z.string(),
    correlation: z.number().nullable().describe('Pearson r of memory and work over the window (null: a signal did not vary)'),
    partialCorrelation: z.number().nullable().describe('r of memory and work once time since the last restart is held fixed'),
    strength: z.enum(['none', 'weak', 'moderate', 'strong']),
    bytesPerUnit: z.number().nullable().describe('memory bytes per unit of the work signal (least-squares slope)'),
    samples: z.number().int(),
  })
  .describe('the work signal against memory');

export const KillAt = z.object({
  time: z.string().describe('ISO time of the sample that first shows the kill (it happened within one step before)'),
  count: z.number().int(),
  peakBytesBefore: z.number().nullable().describe('highest memory in the 10 minutes before'),
  bytesAfter: z.number().nullable().describe('memory at the first sample after'),
});

export const Memory = z.object({
  query: z.string(),
  series: z.number().int().describe('memory series matched to the group (a restarted container is a new series)'),
  minBytes: z.number(),
  maxBytes: z.number(),
  growthBytesPerHour: z.number().nullable().describe('slope of memory against time since the last restart'),
  timeCorrelation: z.number().nullable().describe('r of memory and time since the last restart'),
});

export const PromGroup = z.object({
  key: z.string().describe('the labels naming the workload, e.g. namespace/pod/container'),
  label: z.string(),
  labels: z.record(z.string(), z.string()).describe('the identity labels of its kill series'),
  kills: z.number().int(),
  killSource: z.string().describe('the exporter whose count is used (the one that saw most)'),
  corroboration: z.array(z.object({ source: z.string(), kills: z.number().int() })).describe('what the other exporters counted'),
  first: z.string().nullable(),
  last: z.string().nullable(),
  killTimes: z.array(KillAt),
  memory: Memory.nullable(),
  work: Work.nullable(),
  cause: HypothesisKind.nullable().describe('hypotheses[0].cause when its confidence is above low'),
  hypotheses: z.array(Hypothesis).describe('ranked: the best supported first'),
  headline: z.string(),
  evidence: z.array(z.string()),
  nextSteps: z.array(z.string()),
});
export type PromGroup = z.infer<typeof PromGroup>;

export const PromAnalysis = z.object({
  source: z.object({
    prometheus: z.string(),
    since: z.string(),
    until: z.string(),
    stepSec: z.number(),
    killQueries: z.array(z.string()),
    memoryQuery: z.string(),
    workQuery: z.string().nullable(),
    match: z.array(z.string()).nullable().describe('--match labels; null: namespace/pod/container, else the kill series identity'),
  }),
  summary: z.object({
    kills: z.number().int().describe('kills of workloads (node-level counts apart)'),
    groups: z.number().int(),
    nodeKills: z.number().int().describe("node_vmstat_oom_kill's count, containers' kills included"),
  }),
  groups: z.array(PromGroup).describe('most kills first'),
  quiet: z.array(PromGroup).describe('workloads with memory series and no kill in the window, leak-like growth first'),
});
export type PromAnalysis = z.infer<typeof PromAnalysis>;

/** The curves behind a group, for the HTML chart (not part of the JSON). */
export interface GroupCurves {
  memory: [number, number][];
  work: [number, number][];
  kills: number[];
}
