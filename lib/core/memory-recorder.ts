// A RunRecorder in memory: for core tests and for anything that runs the loop without a database. It
// stores a JSON copy of each row, as a database would, so a read never shares objects with the writer.
import type { RunRecorder, Split } from "./recorder";
import type { IterationRecord } from "./report";
import type { ScoredExample } from "./types";

export interface MemoryRecorder extends RunRecorder {
  /** Phase → example id → result. */
  readonly phases: Map<string, Map<string, ScoredExample>>;
  /** The split each phase's results were recorded as. */
  readonly splits: Map<string, Split>;
  readonly iterations: IterationRecord[];
}

const copy = <T>(value: T): T => JSON.parse(JSON.stringify(value)) as T;

export function createMemoryRecorder(): MemoryRecorder {
  const phases = new Map<string, Map<string, ScoredExample>>();
  const splits = new Map<string, Split>();
  const iterations: IterationRecord[] = [];
  return {
    phases,
    splits,
    iterations,
    async results(phase, split, results) {
      splits.set(phase, split);
      const rows = phases.get(phase) ?? new Map<string, ScoredExample>();
      for (const result of results) rows.set(result.exampleId, copy(result));
      phases.set(phase, rows);
    },
    async read(phase, ids) {
      const rows = phases.get(phase);
      const found = new Map<string, ScoredExample>();
      for (const id of ids) {
        const row = rows?.get(id);
        if (row) found.set(id, copy(row));
      }
      return found;
    },
    async iteration(record) {
      const at = iterations.findIndex((r) => r.index === record.index);
      if (at >= 0) iterations[at] = copy(record);
      else iterations.push(copy(record));
    },
  };
}
