// Procedurally generated task worlds, for comparing search strategies on something none of them can be
// tuned to: per seed, a set of made-up labels, hidden rules ("a text containing <trigger> is <label>")
// with made-up trigger words, and examples of made-up words. A simulated task model (./models.ts) follows
// a rule only when the prompt states it, so the only way to a high score is to find the rules.
import { createRandom, shuffle } from "../random";
import type { Example, PromptState } from "../types";

export interface HiddenRule {
  trigger: string;
  label: string;
}

export interface TaskWorld {
  seed: number;
  labels: string[];
  /** What the model answers for a text no stated rule covers. */
  defaultLabel: string;
  rules: HiddenRule[];
  /** Words that carry no rule. */
  distractors: string[];
  examples: Example[];
  /** The starting prompt: it names the labels and nothing else. */
  prompt: PromptState;
}

export interface WorldOptions {
  examples?: number;
  /** Share of examples with a trigger word (the rest have the default label). */
  triggered?: number;
}

const CONSONANTS = "bdfgklmnprstvz";
const VOWELS = "aeiou";

/** A pronounceable made-up word of `syllables` syllables. */
function word(random: () => number, syllables: number): string {
  let w = "";
  for (let i = 0; i < syllables; i++) {
    w += CONSONANTS[Math.floor(random() * CONSONANTS.length)];
    w += VOWELS[Math.floor(random() * VOWELS.length)];
  }
  return w;
}

/** `count` distinct made-up words, none in `taken`. */
function words(random: () => number, count: number, syllables: number, taken: Set<string>): string[] {
  const out: string[] = [];
  while (out.length < count) {
    const w = word(random, syllables);
    if (taken.has(w)) continue;
    taken.add(w);
    out.push(w);
  }
  return out;
}

export function generateWorld(seed: number, options: WorldOptions = {}): TaskWorld {
  const random = createRandom(`world:${seed}`);
  const taken = new Set<string>();
  const labels = words(random, 3 + Math.floor(random() * 3), 2, taken);
  const defaultLabel = labels[0] as string;
  const ruleCount = 3 + Math.floor(random() * 4);
  // Rules point at the labels other than the default, round-robin from a random start.
  const targets = shuffle(labels.slice(1), random);
  const rules = words(random, ruleCount, 3, taken).map((trigger, i) => ({
    trigger,
    label: targets[i % targets.length] as string,
  }));
  const distractors = words(random, 40, 3, taken);
  const count = options.examples ?? 160;
  const triggered = options.triggered ?? 0.7;
  const examples: Example[] = Array.from({ length: count }, (_, i) => {
    const filler = Array.from(
      { length: 4 + Math.floor(random() * 5) },
      () => distractors[Math.floor(random() * distractors.length)] as string,
    );
    let expected = defaultLabel;
    if (random() < triggered) {
      const rule = rules[Math.floor(random() * rules.length)] as HiddenRule;
      filler.splice(Math.floor(random() * (filler.length + 1)), 0, rule.trigger);
      expected = rule.label;
    }
    return { id: `w${seed}-${i}`, input: { text: filler.join(" ") }, expected };
  });
  return {
    seed,
    labels,
    defaultLabel,
    rules,
    distractors,
    examples,
    prompt: {
      systemPrompt: `Label the text as one of: ${labels.join(", ")}.`,
      outputPrompt: "Text: {{text}}\nLabel:",
      demos: [],
      params: { temperature: 0 },
    },
  };
}
