/** Edit distance (insertions, deletions, substitutions, and swaps of neighbours: "edti" is one typo). */
function distance(a: string, b: string): number {
  const d: number[][] = Array.from({ length: a.length + 1 }, (_, i) => [i, ...Array<number>(b.length).fill(0)]);
  for (let j = 1; j <= b.length; j++) d[0]![j] = j;
  for (let i = 1; i <= a.length; i++) {
    for (let j = 1; j <= b.length; j++) {
      const cost = a[i - 1] === b[j - 1] ? 0 : 1;
      let best = Math.min(d[i - 1]![j]! + 1, d[i]![j - 1]! + 1, d[i - 1]![j - 1]! + cost);
      if (i > 1 && j > 1 && a[i - 1] === b[j - 2] && a[i - 2] === b[j - 1]) best = Math.min(best, d[i - 2]![j - 2]! + 1);
      d[i]![j] = best;
    }
  }
  return d[a.length]![b.length]!;
}

/**
 * The candidate a typo most likely meant: the closest within a third of its length (at least 2
 * edits), or the only one it is a prefix of. Undefined when nothing is close: a wrong guess is
 * worse than none.
 */
export function didYouMean(typed: string, candidates: Iterable<string>): string | undefined {
  const word = typed.toLowerCase();
  let best: { candidate: string; score: number } | undefined;
  const prefixed: string[] = [];
  for (const candidate of candidates) {
    if (candidate === typed) continue;
    const score = distance(word, candidate.toLowerCase());
    if (candidate.toLowerCase().startsWith(word)) prefixed.push(candidate);
    if (score <= Math.max(2, Math.floor(candidate.length / 3)) && (!best || score < best.score)) best = { candidate, score };
  }
  return best?.candidate ?? (prefixed.length === 1 ? prefixed[0] : undefined);
}
