import { z } from 'zod';
import { GROUP_BY_VIEWS } from './groupByViews.js';
import { CAUSES, STATEMENT_KINDS } from './statementKinds.js';
import { Killer } from '../schema/killRecord.js';
import { RUNTIMES } from './runtime.js';
import { GroupMemory } from './memoryShape.js';

/**
 * The analysis of a set of kill records: the headline, and the kills grouped (by victim name,
 * workload, cgroup or host) with a verdict, the evidence behind it and what to check next.
 * This schema is the single source of truth for `oomlens report --format json`, the renderers and
 * the TUI. A figure the log did not give is null, never a guess.
 */

const kb = z.number().nullable();
const share = z.number().min(0).max(1).nullable();

export const GroupBy = z.enum(GROUP_BY_VIEWS).describe('what the kills are grouped on');
export type GroupBy = z.infer<typeof GroupBy>;

export const Verdict = z
  .enum(['one-off', 'recurring', 'burst', 'host-pressure'])
  .describe('one-off: a single kill; recurring: repeated kills of the same thing; burst: many kills in a short window; host-pressure: global OOMs killing different processes');
export type Verdict = z.infer<typeof Verdict>;

export const Confidence = z.enum(['low', 'medium', 'high']);

export const Cause = z
  .enum(CAUSES)
  .describe('leak: grows until the limit; startup: needs more than the limit to start; spike: one big allocation; load: follows the work; fork-storm: many copies at once; host-pressure: the whole host ran short; limit-too-close: normal use sits at the limit');
export type Cause = z.infer<typeof Cause>;

export const Statement = z
  .object({
    kind: z.enum(STATEMENT_KINDS).describe('what is stated; docs/verdicts.md lists every kind with its values'),
    values: z.record(z.string(), z.json()).describe('the figures (kB, seconds, epoch ms, counts) and log text (names, paths) quoted as values; renderers word and escape them'),
  })
  .describe('one piece of evidence or one next step, as data');
export type Statement = z.infer<typeof Statement>;

export const Hypothesis = z
  .object({
    cause: Cause,
    confidence: z.enum(['low', 'medium', 'high']),
    because: z.array(Statement).describe('evidence for it'),
    against: z.array(Statement).describe('evidence against it'),
  })
  .describe('one possible cause, with the evidence for and against');
export type Hypothesis = z.infer<typeof Hypothesis>;
export type Confidence = z.infer<typeof Confidence>;

export const Scope = z
  .enum(['memcg', 'global', 'unknown', 'userspace'])
  .describe('memcg: a cgroup limit was hit; global: the whole system (or a cpuset/mempolicy) ran out; unknown: the log does not say; userspace: systemd-oomd or earlyoom killed before the kernel had to');
export type Scope = z.infer<typeof Scope>;

export const GroupKill = z
  .object({
    index: z.number().int().describe('position of the record in the list given to analyze()'),
    eventId: z.string(),
    pid: z.number().int().nullable().describe('victim pid'),
    comm: z.string().nullable().describe('victim name'),
    host: z.string().nullable(),
    time: z.string().nullable(),
    uptime: z.number().nullable(),
    scope: Scope,
    anonRssKb: kb.describe("victim's anon-rss at the kill"),
    limitKb: kb.describe('the cgroup limit that was hit'),
    workload: z.string().nullable().describe('the workload key of the kill (as in --by workload)'),
    killer: Killer,
  })
  .describe('one kill of a group, enough to list it and find its record');
export type GroupKill = z.infer<typeof GroupKill>;

export const Consumer = z
  .object({
    name: z.string(),
    rssKb: kb.describe('largest RSS seen in a task table (null when the page size is unknown)'),
    rssPages: z.number().int(),
    share: z.number().describe('its largest share of the task table total RSS'),
    tables: z.number().int().describe('how many task tables it was seen in'),
  })
  .describe('a large task from the task tables');
export type Consumer = z.infer<typeof Consumer>;

export const AnalysisGroup = z.object({
  key: z.string().describe('the grouping value (normalised workload identity for --by workload)'),
  by: GroupBy,
  label: z.string().describe('the key for humans'),
  verdict: Verdict,
  confidence: Confidence,
  headline: z.string().describe('the verdict in one sentence, plain text'),
  cause: Cause.nullable().describe('the most likely cause (hypotheses[0])'),
  kills: z.number().int(),
  events: z.number().int().describe('distinct OOM invocations (memory.oom.group kills several tasks in one)'),
  hosts: z.array(z.string()),
  comms: z.array(z.string()).describe('victim names (a unit for systemd-oomd), most frequent first'),
  killers: z.array(Killer).describe('who killed: the kernel, systemd-oomd, earlyoom; most frequent first'),
  first: z.string().nullable(),
  last: z.string().nullable(),
  medianIntervalSec: z.number().nullable().describe('median time between kills on the same host'),
  intervalCv: z.number().nullable().describe('coefficient of variation of those intervals (0 = clockwork)'),
  killsPerDay: z.number().nullable().describe('only when the kills span at least a day'),
  atLimitShare: share.describe('share of kills (of those whose scope is known) at a cgroup limit'),
  globalShare: share.describe('share of kills (of those whose scope is known) under whole-system pressure'),
  victimAnonRssKb: z.object({ min: kb, median: kb, max: kb }),
  limitKb: kb.describe('the cgroup limit hit most often'),
  limitsKb: z.array(z.number()).describe('every distinct cgroup limit hit'),
  victimLargestShare: share.describe('how often the victim was also the largest task in the table'),
  triggeredByOtherShare: share.describe('how often the allocation that triggered the OOM came from another process'),
  growthKbPerMin: kb.describe('estimated growth for a leak-like sawtooth, kB/min: an upper bound (limit ÷ median life, as if each life started at zero); null unless estimated'),
  growth: z
    .object({
      kbPerMin: z.number(),
      bound: z.enum(['upper', 'estimate']).describe('upper: the log does not show the memory at a life’s start, so limit ÷ life over-states the rate'),
      limitKb: z.number(),
      lifeSec: z.number(),
      startKb: kb.describe('the memory at a life’s start, when the log shows it'),
    })
    .nullable()
    .describe('how fast it grows, within one limit only'),
  hypotheses: z.array(Hypothesis).describe('possible causes, most likely first'),
  lives: z
    .array(z.object({ end: z.string().nullable(), endUptime: z.number().nullable(), sec: z.number() }))
    .describe('each life (time from one kill to the next, restart included) of the longest run on one clock'),
  livesCv: z.number().nullable().describe('coefficient of variation of those lives (0 = clockwork; regular at <= 0.1)'),
  nextKill: z
    .object({ at: z.string().nullable(), uptime: z.number().nullable(), profileBy: z.string().nullable() })
    .nullable()
    .describe('when the next kill is due if the beat goes on (wall time, else uptime), and when to take a profile by'),
  quiet: z
    .object({ since: z.string().nullable(), sinceUptime: z.number().nullable(), cycles: z.number().int() })
    .nullable()
    .describe('a regular group with no kill for several cycles before the input ends'),
  runtime: z.enum(RUNTIMES).nullable().describe('the runtime recognised from the process or unit name'),
  cgroups: z
    .array(z.object({ path: z.string().nullable(), limitKb: kb, kills: z.number().int() }))
    .describe('the distinct cgroups (and limits) of the group, most kills first'),
  largestConsumers: z.array(Consumer).describe('largest tasks in the task tables of the group (global OOMs: the whole host)'),
  evidence: z.array(Statement).describe('what we saw'),
  nextSteps: z.array(Statement).describe('what to check next'),
  memory: GroupMemory.optional().describe('report --samples: the memory curve of its cgroups, split into lives'),
  timeline: z.array(z.number().int()).nullable().describe('kills per bin of Analysis.timeline; null without wall-clock times'),
  members: z.array(GroupKill).describe('the kills, in time order'),
});
export type AnalysisGroup = z.infer<typeof AnalysisGroup>;

export const PressureHost = z
  .object({
    host: z.string(),
    globalKills: z.number().int(),
    victims: z.array(z.string()).describe('distinct processes killed by global OOMs'),
    ramKb: kb.describe("the host's RAM (`pages RAM` of its latest global OOM report)"),
    totalSwapKb: kb.describe('its swap size (`Total swap`)'),
    largestConsumers: z.array(Consumer),
  })
  .describe('a host whose global OOMs killed different processes');
export type PressureHost = z.infer<typeof PressureHost>;

export const Analysis = z.object({
  by: GroupBy,
  summary: z.object({
    kills: z.number().int(),
    processes: z.number().int().describe('distinct victim names'),
    hosts: z.array(z.string()),
    first: z.string().nullable(),
    last: z.string().nullable(),
    withoutKill: z.number().int().describe('OOM reports that ended without a kill'),
  }),
  timeline: z
    .object({ first: z.string(), last: z.string(), bins: z.number().int(), binSec: z.number() })
    .nullable()
    .describe('the bins of every group timeline; null when no kill has a wall-clock time'),
  pressureHosts: z.array(PressureHost),
  groups: z.array(AnalysisGroup).describe('worst first'),
  memory: z
    .object({
      samples: z.number().int(),
      cgroups: z.number().int().describe('sampled cgroups (per host)'),
      withoutKills: z.array(GroupMemory).describe('sampled cgroups no kill in the input belongs to, each alone'),
    })
    .optional()
    .describe('report --samples: the samples read'),
});
export type Analysis = z.infer<typeof Analysis>;
