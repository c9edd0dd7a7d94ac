/** Counts the run keeps, shown on the progress line and returned in the summary. */
export interface Counts {
  rows: number;
  sent: number;
  applied: number;
  partial: number;
  failed: number;
  invalid: number;
  skipped: number;
  ambiguous: number;
  /** Read after the run was stopped, so not sent: a resume sends them. */
  notSent: number;
  /** --dry-run: valid rows a real run would send. */
  valid: number;
}

/** The closing summary of a bulk run, local or on an edge: a tally of the report's own rows. */
export function summaryOf(c: Counts): string {
  return `${c.rows} rows: ${c.valid ? `${c.valid} valid (dry run, not sent), ` : ''}${c.applied} applied, ${c.partial} partly applied (skills not), ${c.failed} failed, ${c.invalid} invalid (not sent), ${c.skipped} already applied earlier, ${c.ambiguous} outcome unknown${c.notSent ? `, ${c.notSent} not sent yet` : ''}`;
}

/**
 * One self-rewriting line on stderr, only when stderr is a terminal and --json is off: a CI log or
 * a pipe gets no carriage-return noise. A local run does not know its row count while streaming, so
 * its progress is the share of the file's bytes read (`position` of `total` bytes); a job on an edge
 * counts rows finished of its rows.
 */
export class Progress {
  private timer: NodeJS.Timeout | undefined;
  private readonly started = performance.now();
  position = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    /** Bytes of the file, or rows of a job (set once the edge says how many). */
    public total: number,
    private readonly counts: Counts,
    readonly enabled: boolean,
  ) {}

  start(): void {
    if (!this.enabled) return;
    this.timer = setInterval(() => this.draw(), 200);
    this.timer.unref();
  }

  private draw(): void {
    const share = this.total > 0 ? Math.min(1, this.position / this.total) : 0;
    const width = 24;
    const filled = Math.round(share * width);
    const seconds = (performance.now() - this.started) / 1000;
    const c = this.counts;
    const rate = seconds > 0 ? Math.round(c.sent / seconds) : 0;
    const bar = `[${'#'.repeat(filled)}${'-'.repeat(width - filled)}] ${Math.round(share * 100)}%`;
    this.stream.write(
      `\r\u001b[2K${bar} ${c.rows} rows: ${c.applied + c.partial} applied, ${c.failed} failed, ${c.invalid} invalid, ${c.skipped} skipped, ${c.ambiguous} unknown (${rate}/s)`,
    );
  }

  stop(): void {
    if (!this.enabled) return;
    if (this.timer) clearInterval(this.timer);
    this.draw();
    this.stream.write('\n');
  }
}
