import { describe, expect, it } from "vitest";
import { createMemoryRecorder } from "./memory-recorder";
import type { IterationRecord } from "./report";
import type { ScoredExample } from "./types";

const row = (id: string, score: number): ScoredExample => ({
  exampleId: id,
  output: "x",
  error: null,
  usage: { inputTokens: 1, outputTokens: 1 },
  costUsd: 0,
  latencyMs: 1,
  cached: false,
  score,
  metrics: { m: { score } },
});

describe("createMemoryRecorder", () => {
  it("stores copies by phase, overwrites a replayed row, and reads back what exists", async () => {
    const recorder = createMemoryRecorder();
    const written = row("a", 0);
    await recorder.results("p", "train", [written, row("b", 1)]);
    written.score = 0.5;
    await recorder.results("p", "train", [row("a", 0.25)]);
    const read = await recorder.read("p", ["a", "b", "c"]);
    expect([...read.keys()]).toEqual(["a", "b"]);
    expect(read.get("a")?.score).toBe(0.25);
    expect(recorder.splits.get("p")).toBe("train");
    (read.get("b") as ScoredExample).score = 9;
    expect((await recorder.read("p", ["b"])).get("b")?.score).toBe(1);
    expect((await recorder.read("other", ["a"])).size).toBe(0);
  });

  it("keeps one record per iteration, the last one written", async () => {
    const recorder = createMemoryRecorder();
    const record = (index: number, accepted: number | null) => ({ index, accepted }) as IterationRecord;
    await recorder.iteration(record(1, null));
    await recorder.iteration(record(2, null));
    await recorder.iteration(record(1, 0));
    expect(recorder.iterations.map((r) => [r.index, r.accepted])).toEqual([
      [1, 0],
      [2, null],
    ]);
  });
});
