// Lazily loaded models: nothing is loaded until the first call, the load happens once, a failed load is
// tried again, and the loaded model's answers pass through unchanged.
import type { LanguageModelV3, LanguageModelV3CallOptions } from "@ai-sdk/provider";
import { describe, expect, it } from "vitest";
import { lazyLanguageModel } from "./lazy";
import { SimLanguageModel } from "./sim";

const call: LanguageModelV3CallOptions = {
  prompt: [{ role: "user", content: [{ type: "text", text: "Classify: great film" }] }],
};

describe("lazyLanguageModel", () => {
  it("loads the model on the first call only, and answers as the model does", async () => {
    let loads = 0;
    const model = lazyLanguageModel("sim", "default", async () => {
      loads++;
      return new SimLanguageModel("default");
    });
    expect(loads).toBe(0);
    expect(model).toMatchObject({ specificationVersion: "v3", provider: "sim", modelId: "default" });
    const first = await model.doGenerate(call);
    await model.doGenerate(call);
    expect(loads).toBe(1);
    expect(first).toEqual(await new SimLanguageModel("default").doGenerate(call));
    expect(await model.supportedUrls).toEqual({});
  });

  it("tries a failed load again on the next call", async () => {
    let loads = 0;
    const model = lazyLanguageModel("sim", "default", async (): Promise<LanguageModelV3> => {
      loads++;
      if (loads === 1) throw new Error("cannot load the SDK");
      return new SimLanguageModel("default");
    });
    await expect(model.doGenerate(call)).rejects.toThrow("cannot load the SDK");
    await expect(model.doGenerate(call)).resolves.toMatchObject({ finishReason: { unified: "stop" } });
    expect(loads).toBe(2);
  });
});
