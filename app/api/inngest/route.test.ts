// With INNGEST_DEV=1, GET /api/inngest answers the function count: the cheap check that the Inngest
// endpoint is wired (the Dev Server syncs through it). The built app's endpoint is covered end to end.
import { NextRequest } from "next/server";
import { afterAll, beforeAll, describe, expect, it } from "vitest";

const saved = process.env.INNGEST_DEV;
beforeAll(() => {
  process.env.INNGEST_DEV = "1";
});
afterAll(() => {
  if (saved === undefined) delete process.env.INNGEST_DEV;
  else process.env.INNGEST_DEV = saved;
});

describe("GET /api/inngest", () => {
  it("answers 200 with the number of functions served", async () => {
    const { GET } = await import("./route");
    const { functions } = await import("@/inngest/functions");
    const response = await GET(new NextRequest("http://localhost:3000/api/inngest"), undefined);
    expect(response.status).toBe(200);
    const body = await response.json();
    // Each job kind's function also registers its failure handler (onFailure) as a function of its own.
    const jobKinds = 4;
    expect(body).toMatchObject({ function_count: functions.length + jobKinds, mode: "dev" });
    expect(functions.map((f) => f.id())).toEqual([
      "optimize-run",
      "batch-run",
      "experiment-analysis",
      "experiment-promotion",
      "experiment-analysis-schedule",
      "feedback-proposals",
    ]);
  });
});
