import { expect, it } from "vitest";
import { safeReturnPath } from "./safe-redirect";

it("returns only paths on this site", () => {
  expect(safeReturnPath("/projects/a/members?x=1")).toBe("/projects/a/members?x=1");
  for (const bad of [
    null,
    undefined,
    "",
    "https://evil.example",
    "//evil.example",
    "/\\evil.example",
    "javascript:alert(1)",
  ]) {
    expect(safeReturnPath(bad)).toBe("/projects");
  }
});
