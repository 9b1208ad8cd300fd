import fs from "node:fs";
import { tmpdir } from "node:os";
import path from "node:path";
import { describe, expect, it } from "vitest";
import { withCpuProfile } from "./cpu-profile";

function busy(ms: number): number {
  const end = Date.now() + ms;
  let x = 0;
  while (Date.now() < end) x += Math.sqrt(x + 1);
  return x;
}

describe("withCpuProfile", () => {
  it("writes a DevTools .cpuprofile of the work when a folder is given, and nothing otherwise", async () => {
    const dir = fs.mkdtempSync(path.join(tmpdir(), "strop-profile-"));
    try {
      expect(await withCpuProfile(undefined, "nothing", async () => 1)).toBe(1);
      expect(fs.readdirSync(dir)).toEqual([]);
      await withCpuProfile(dir, "run/1 x", async () => busy(50));
      const [file] = fs.readdirSync(dir);
      expect(file).toMatch(/^run_1_x-.*\.cpuprofile$/);
      const profile = JSON.parse(fs.readFileSync(path.join(dir, file as string), "utf8"));
      expect(profile.nodes.length).toBeGreaterThan(1);
      expect(profile.samples.length).toBeGreaterThan(10);
      expect(profile.endTime).toBeGreaterThan(profile.startTime);
      const names = profile.nodes.map(
        (n: { callFrame: { functionName: string } }) => n.callFrame.functionName,
      );
      expect(names).toContain("busy");
    } finally {
      fs.rmSync(dir, { recursive: true, force: true });
    }
  });
});
