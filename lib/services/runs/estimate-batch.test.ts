// The cost estimate of a batch against a real one: estimated over the batch world's dataset version,
// then run on the embedded runner against the loopback fake server, on SQLite and PostgreSQL: one call
// per row (the malformed row it skips makes none); a price makes it cost; a file is not estimated.
import { describe, expect, it } from "vitest";
import { InputError } from "@/lib/core/errors";
import { TEST_PROVIDERS } from "@/lib/db/test-databases";
import { getBatch } from "../batches";
import {
  model,
  NO_CACHE,
  registerBatchWorld,
  registerFakeBatchServer,
  settled,
} from "../testing/batch-world";
import { estimateProjectBatch } from "./estimate-batch";

const fake = registerFakeBatchServer();

describe.each(TEST_PROVIDERS)("estimateProjectBatch on %s", (provider) => {
  const w = registerBatchWorld(provider, fake);

  it("counts one call per row, as the batch then makes", async () => {
    const spec = w.spec({ datasetVersionId: w.datasetVersionId, onMalformedRow: "skip", cache: NO_CACHE });
    const estimate = await estimateProjectBatch(w.db, w.access, spec, {});
    expect(estimate).toMatchObject({
      kind: "batch",
      paid: false,
      needsConfirmation: false,
      iterations: null,
    });
    expect(estimate.upper).toEqual(estimate.expected);
    expect(estimate.upper.inputTokens).toBeGreaterThan(estimate.examples);
    const created = await w.create(spec);
    await settled(created.id);
    const batch = await getBatch(w.db, w.access, created.id);
    expect(batch.status).toBe("succeeded");
    expect(batch.calls).toBeLessThanOrEqual(estimate.upper.calls);
    expect(batch.calls).toBeGreaterThanOrEqual(estimate.upper.calls - 1);
  });

  it("prices the model and names a missing dataset version", async () => {
    const priced = w.spec({
      datasetVersionId: w.datasetVersionId,
      model: model("echo", { price: { input: 100, output: 100 } }),
    });
    const estimate = await estimateProjectBatch(w.db, w.access, priced, {});
    expect(estimate.paid).toBe(true);
    expect(estimate.upper.costUsd).toBeCloseTo(
      ((estimate.upper.inputTokens + estimate.upper.outputTokens) * 100) / 1e6,
      9,
    );
    const error = await estimateProjectBatch(w.db, w.access, w.spec(), {}).catch((e: unknown) => e);
    expect(error).toBeInstanceOf(InputError);
    expect((error as InputError).details).toMatchObject({ issues: [{ path: "datasetVersionId" }] });
  });
});
