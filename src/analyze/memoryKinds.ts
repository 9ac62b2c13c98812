/** The evidence kinds memory samples add (spread into EVIDENCE_KINDS; worded in memoryWords.ts). */
export const MEMORY_EVIDENCE_KINDS = ['memory-ramp', 'memory-step', 'memory-at-limit', 'memory-pressure', 'memory-flat', 'memory-no-samples'] as const;
export type MemoryEvidenceKind = (typeof MEMORY_EVIDENCE_KINDS)[number];
