// The stored-state schemas describe lib/core's types exactly: if a field is added to a report in the core
// and not here (or the other way round), this file no longer compiles (`npx tsc --noEmit`).
import { describe, expect, expectTypeOf, it } from "vitest";
import type * as z from "zod";
import type { EvaluationReport } from "@/lib/core/evaluation";
import type { Progress } from "@/lib/core/ports";
import type { OptimizationReport } from "@/lib/core/report";
import {
  type evaluationReportSchema,
  type iterationSummarySchema,
  optimizationReportSchema,
  type runProgressSchema,
  runReportSchema,
} from "./run-state";
import { evaluationReport, optimizationReport } from "./testing/stored-fixtures";

describe("run-state schemas", () => {
  it("are the core's report and progress types", () => {
    expectTypeOf<z.output<typeof optimizationReportSchema>>().toEqualTypeOf<OptimizationReport>();
    expectTypeOf<z.output<typeof evaluationReportSchema>>().toEqualTypeOf<EvaluationReport>();
    expectTypeOf<z.output<typeof runProgressSchema>>().toEqualTypeOf<Progress>();
    expectTypeOf<z.output<typeof iterationSummarySchema>>().toMatchTypeOf<
      Pick<OptimizationReport["iterations"][number], "incumbentTrain" | "usage" | "trainExamples">
    >();
  });

  it("tell a report's kind by `kind`", () => {
    expect(runReportSchema.parse(evaluationReport()).kind).toBe("eval");
    expect(runReportSchema.parse(optimizationReport()).kind).toBe("optimize");
    const { kind: _, ...withoutKind } = optimizationReport();
    expect(runReportSchema.safeParse(withoutKind).success).toBe(false);
    expect(optimizationReportSchema.safeParse(evaluationReport()).success).toBe(false);
  });
});
