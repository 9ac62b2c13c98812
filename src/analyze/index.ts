/** The analyzer's public surface, for `report`, `explain` and the TUI. */
export * from './analysis.js';
export { analyze, type AnalyzeOptions } from './analyze.js';
export { durationText } from './durationText.js';
export { sparkline } from './sparkline.js';
export { formatKb } from '../render/killTable.js';
export { explainKill, type ExplainContext } from './explainKill.js';
export * from './explanation.js';
export { groupsByIndex, killNumbers } from './killLookup.js';
