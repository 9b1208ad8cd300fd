// The error envelope for server-side failures: ours are a generic 500 (details in the log); a provider's
// failure (502) and a job stored but not handed to its runner (503, naming the job) reach the caller.
import { describe, expect, it, vi } from "vitest";
import { AppError, RunnerUnavailableError } from "@/lib/core/errors";
import { errorResponse } from "./errors";

describe("errorResponse for 5xx", () => {
  it("a runner that could not take a job is a 503 naming the job", async () => {
    const answer = errorResponse(
      new RunnerUnavailableError("could not hand the run to inngest: fetch failed", { runId: "run-1" }),
      "req-1",
    );
    expect(answer.status).toBe(503);
    expect(await answer.json()).toEqual({
      error: {
        code: "runner_unavailable",
        message: "could not hand the run to inngest: fetch failed",
        details: { issues: [], runId: "run-1" },
      },
    });
  });

  it("any other 5xx of ours is a generic 500, its message kept for the log", async () => {
    const log = vi.spyOn(console, "error").mockImplementation(() => {});
    const answer = errorResponse(new AppError("runner_unavailable", "secret detail", 503), "req-2");
    expect(answer.status).toBe(500);
    expect(await answer.text()).not.toContain("secret detail");
    expect(log).toHaveBeenCalled();
    log.mockRestore();
  });
});
