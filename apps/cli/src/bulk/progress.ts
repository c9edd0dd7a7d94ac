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

/**
 * One self-rewriting line on stderr, only when stderr is a terminal and --json is off: a CI log or
 * a pipe gets no carriage-return noise. The total is not known while streaming, so progress is the
 * share of the file's bytes read.
 */
export class Progress {
  private timer: NodeJS.Timeout | undefined;
  private readonly started = performance.now();
  bytes = 0;

  constructor(
    private readonly stream: NodeJS.WritableStream,
    private readonly totalBytes: number,
    private readonly counts: Counts,
    readonly enabled: boolean,
  ) {}

  start(): void {
    if (!this.enabled) return;
    this.timer = setInterval(() => this.draw(), 200);
    this.timer.unref();
  }

  private draw(): void {
    const share = this.totalBytes > 0 ? Math.min(1, this.bytes / this.totalBytes) : 0;
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
