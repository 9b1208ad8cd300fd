// Deterministic embeddings: hashed bag of words plus character trigrams in 256 dimensions, L2-normalized,
// so texts sharing words and word pieces have a high cosine similarity. No meaning beyond surface form.
import { fnv1a, words } from "./text";

export const EMBEDDING_DIMENSIONS = 256;
const WORD_WEIGHT = 1;
const TRIGRAM_WEIGHT = 0.5;

export function embedText(text: string): number[] {
  const vector = new Array<number>(EMBEDDING_DIMENSIONS).fill(0);
  const add = (feature: string, weight: number) => {
    const h = fnv1a(feature);
    // A signed hash keeps unrelated features from adding up to spurious similarity.
    vector[h % EMBEDDING_DIMENSIONS] =
      (vector[h % EMBEDDING_DIMENSIONS] as number) + (h & 0x100 ? weight : -weight);
  };
  for (const word of words(text)) {
    add(`w:${word}`, WORD_WEIGHT);
    const padded = ` ${word} `;
    for (let i = 0; i + 3 <= padded.length; i++) add(`t:${padded.slice(i, i + 3)}`, TRIGRAM_WEIGHT);
  }
  const norm = Math.hypot(...vector);
  if (norm === 0) {
    vector[0] = 1;
    return vector;
  }
  return vector.map((v) => v / norm);
}

export function cosine(a: number[], b: number[]): number {
  let dot = 0;
  for (let i = 0; i < a.length; i++) dot += (a[i] as number) * (b[i] as number);
  return dot;
}
