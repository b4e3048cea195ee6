/** One decoded character with the recogniser's confidence in it. */
export interface RecognizedChar {
  char: string;
  /** Probability of the character at its most certain frame, 0–1. */
  confidence: number;
  /**
   * Other characters the recogniser gave some weight at that frame (probability ≥ 0.01, the
   * likeliest first, at most 3); only from decoders that know them.
   */
  alternatives?: { char: string; confidence: number }[];
}

/** Alternatives kept per character by {@link ctcGreedyDecode}. */
const MAX_ALTERNATIVES = 3;
const MIN_ALTERNATIVE = 0.01;

/** The text of a line with its confidence. */
export interface RecognizedLine {
  text: string;
  /** The lowest character confidence (1 for an empty line with a confident blank), 0–1. */
  confidence: number;
  chars: RecognizedChar[];
}

/**
 * Greedy (best-path) CTC decoding of `[steps × classes]` log-probabilities, class 0 = blank,
 * class k = `charset[k - 1]`. `allowed` restricts the classes considered (the field's
 * alphabet): the best allowed class is taken at each step, so a date line cannot decode to a
 * letter. A step where the blank wins merges nothing; repeated classes merge.
 */
export function ctcGreedyDecode(
  logProbs: Float32Array,
  steps: number,
  classes: number,
  charset: readonly string[],
  allowed?: Uint8Array,
): RecognizedLine {
  if (logProbs.length < steps * classes) throw new RangeError('ctcGreedyDecode: logProbs shorter than steps × classes');
  if (charset.length !== classes - 1) throw new RangeError('ctcGreedyDecode: charset must have classes - 1 symbols');
  const chars: RecognizedChar[] = [];
  /** The frame at which each character was most certain. */
  const peaks: number[] = [];
  let prev = 0;
  let blankMin = 1;
  for (let t = 0; t < steps; t++) {
    const row = t * classes;
    let best = 0;
    let bestLp = logProbs[row] as number;
    for (let k = 1; k < classes; k++) {
      if (allowed && !allowed[k]) continue;
      const lp = logProbs[row + k] as number;
      if (lp > bestLp) {
        best = k;
        bestLp = lp;
      }
    }
    const p = Math.exp(bestLp);
    if (best === 0) {
      blankMin = Math.min(blankMin, p);
    } else if (best === prev) {
      const last = chars[chars.length - 1] as RecognizedChar;
      if (p > last.confidence) {
        last.confidence = p;
        peaks[peaks.length - 1] = row;
      }
    } else {
      chars.push({ char: charset[best - 1] as string, confidence: p });
      peaks.push(row);
    }
    prev = best;
  }
  chars.forEach((c, i) => {
    const alternatives = frameAlternatives(logProbs, peaks[i] as number, classes, charset, allowed, c.char);
    if (alternatives.length) c.alternatives = alternatives;
  });
  const confidence = chars.length === 0 ? blankMin : Math.min(...chars.map((c) => c.confidence));
  return { text: chars.map((c) => c.char).join(''), confidence, chars };
}

/** Mask of the classes (index 0 = blank, always allowed) whose symbol is in `chars`. */
export function allowedClasses(charset: readonly string[], chars: string | undefined): Uint8Array | undefined {
  if (chars === undefined) return undefined;
  const set = new Set(chars.normalize('NFC'));
  const mask = new Uint8Array(charset.length + 1);
  mask[0] = 1;
  charset.forEach((c, i) => {
    if (set.has(c)) mask[i + 1] = 1;
  });
  return mask;
}

/** The likeliest non-blank classes at one frame other than `except`, above {@link MIN_ALTERNATIVE}. */
function frameAlternatives(
  logProbs: Float32Array,
  row: number,
  classes: number,
  charset: readonly string[],
  allowed: Uint8Array | undefined,
  except: string,
): { char: string; confidence: number }[] {
  const out: { char: string; confidence: number }[] = [];
  for (let k = 1; k < classes; k++) {
    if (allowed && !allowed[k]) continue;
    const p = Math.exp(logProbs[row + k] as number);
    const char = charset[k - 1] as string;
    if (p >= MIN_ALTERNATIVE && char !== except) out.push({ char, confidence: p });
  }
  return out.sort((a, b) => b.confidence - a.confidence).slice(0, MAX_ALTERNATIVES);
}
