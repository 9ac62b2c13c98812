/**
 * The views the analyzer groups kills by. Kept apart from the zod schema (which builds its enum
 * from this list) so that the CLI can offer them without loading zod before the scan starts.
 */
export const GROUP_BY_VIEWS = ['service', 'comm', 'workload', 'cgroup', 'host'] as const;

/** What `report` and `explain` group by unless told otherwise: the service (see groupKey.ts). */
export const DEFAULT_GROUP_BY = 'service' as const;
