// Below both the analyzer and the renderers (both print sizes); it was in the scan-table renderer,
// which made the analyzer import a renderer.

/** Sizes the way an SRE reads them: binary units, one decimal. */
export function formatKb(kb: number | null): string {
  if (kb === null) return '-';
  if (kb >= 2 ** 52) return 'unlimited';
  const units = ['KiB', 'MiB', 'GiB', 'TiB'];
  let v = kb;
  let u = 0;
  while (v >= 1024 && u < units.length - 1) {
    v /= 1024;
    u += 1;
  }
  return `${u === 0 ? v : v.toFixed(1)} ${units[u]}`;
}
