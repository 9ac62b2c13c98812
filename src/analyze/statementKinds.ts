/**
 * The kinds of evidence and next steps the analyzer states, and the causes it weighs. Plain
 * lists (no zod), so that the word tables can be typed against them; docs/verdicts.md has them.
 */
import { MEMORY_EVIDENCE_KINDS } from './memoryKinds.js';

export const CAUSES = ['leak', 'startup', 'spike', 'load', 'fork-storm', 'host-pressure', 'limit-too-close'] as const;

export const EVIDENCE_KINDS = [
  'saw',
  'scope',
  'cgroups',
  'inferred-deployment',
  'victim-rss',
  'victim-largest',
  'victim-not-largest',
  'triggered-by-other',
  'consumers',
  'burst-runs',
  'host-also-pressure',
  'copies',
  'pressure-host',
  'pressure-consumers',
  'lives',
  'kills-per-day',
  'backoff',
  'short-life',
  'long-life',
  'big-allocation',
  'small-steps',
  'growth',
  'memory-kinds',
  'failcnt',
  'same-limit-elsewhere',
  'no-other',
  'next-kill',
  'quiet',
  'odd-tiny-victim',
  'odd-values',
  'shared-pages',
  'text',
  ...MEMORY_EVIDENCE_KINDS,
] as const;

export const STEP_KINDS = [
  'step-profile',
  'step-memory-curve',
  'step-raise-limit-startup',
  'step-raise-limit-leak',
  'step-restart-reasons',
  'step-fork-parent',
  'step-startup-memory',
  'step-host-memory',
  'step-host-consumers',
  'step-set-limits',
  'step-overcommit',
  'step-load-peaks',
  'step-own-limit',
  'step-check-doing',
  'step-compare-usual',
  'step-keep-watching',
  'step-by-comm',
  'step-where-moved',
  'step-text',
] as const;

export const STATEMENT_KINDS = [...EVIDENCE_KINDS, ...STEP_KINDS] as const;
export type StatementKind = (typeof STATEMENT_KINDS)[number];
