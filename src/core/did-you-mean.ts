/** Edit distance, for "did you mean": small typos in a command or flag should cost the user nothing. */
export function editDistance(a: string, b: string): number {
  let previous = Array.from({length: b.length + 1}, (_, index) => index);
  for (let i = 1; i <= a.length; i++) {
    const current = [i];
    for (let j = 1; j <= b.length; j++) {
      current[j] = Math.min(previous[j]! + 1, current[j - 1]! + 1, previous[j - 1]! + (a[i - 1] === b[j - 1] ? 0 : 1));
    }
    previous = current;
  }
  return previous[b.length]!;
}

/** The known word closest to a typed one, or undefined when none is close enough to be a typo. */
export function closestWord(typed: string, known: readonly string[]): string | undefined {
  let best: {word: string; distance: number} | undefined;
  for (const word of known) {
    const distance = editDistance(typed, word);
    if (!best || distance < best.distance) best = {word, distance};
  }
  return best && best.distance <= Math.max(2, Math.floor(typed.length / 3)) ? best.word : undefined;
}
