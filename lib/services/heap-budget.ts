// Pacing V8's full garbage collections in long batches (creating one streams its rows in, executing one
// makes a steady stream of garbage per row).
import v8 from "node:v8";
import { runInNewContext } from "node:vm";
import type { Env } from "@/lib/llm/providers/index";

const DEFAULT_HEAP_BUDGET_MB = 32;

/**
 * Paces full garbage collections by a heap budget. V8 lets garbage pile up to a few times the live heap
 * before it collects, and a batch makes a steady stream of it (~100 KB per row: parsing, requests,
 * responses, queries), so without pacing a process's peak memory grows with the length of the batch
 * (measured: 357 MB of peak RSS at 10,000 rows, 441 MB at 30,000). Call the returned function every few
 * rows: when the heap holds more than STROP_BATCH_HEAP_MB (default 32) beyond what survived the last
 * collection, a full collection runs. That costs a few percent of CPU; where V8's collector cannot be
 * reached, it does nothing.
 */
export function heapBudget(env: Env = process.env): () => void {
  const mb = Number(env.STROP_BATCH_HEAP_MB);
  const headroom = (Number.isFinite(mb) && mb > 0 ? mb : DEFAULT_HEAP_BUDGET_MB) * 1024 * 1024;
  let collect: (() => void) | undefined;
  try {
    // The documented way to reach V8's collector from a running process (jest's leak detector does it too).
    v8.setFlagsFromString("--expose-gc");
    collect = runInNewContext("gc") as () => void;
  } catch {
    collect = undefined;
  }
  let survived = 0;
  return () => {
    if (!collect) return;
    const used = v8.getHeapStatistics().used_heap_size;
    if (survived === 0) survived = used / 2;
    if (used <= survived + headroom) return;
    collect();
    survived = v8.getHeapStatistics().used_heap_size;
  };
}
