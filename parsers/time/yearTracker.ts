/**
 * RFC 3164 and journalctl `short` stamps carry no year. We start from a base year (the file's
 * mtime year, `--year`, or the current year) and step forward when the month goes backwards
 * by a lot (Dec -> Jan rollover inside one file). When the base year comes from the file's
 * mtime, the newest lines are in that year: a first line whose month is after the mtime's
 * month belongs to the year before.
 */
export class YearTracker {
  private lastMonth = -1;
  /**
   * @param year the year of the newest line when `newestMonth` is given (file mtime), else the
   *   year of the first line (`--year`)
   * @param newestMonth month (0-11) of the file's mtime, or null
   */
  constructor(
    private year: number,
    private readonly newestMonth: number | null = null,
  ) {}

  yearFor(month: number): number {
    if (this.lastMonth < 0 && this.newestMonth !== null && month > this.newestMonth) this.year -= 1;
    if (this.lastMonth >= 0 && month + 6 < this.lastMonth) this.year += 1;
    this.lastMonth = month;
    return this.year;
  }
}
