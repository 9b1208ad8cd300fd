import { describe, expect, it } from "vitest";
import { apiKeyRefusal, hasRole, isRole, memberChangeRefusal, ROLES } from "./roles";

describe("roles", () => {
  it("orders viewer < editor < admin < owner", () => {
    const table = ROLES.map((a) => ROLES.map((b) => (hasRole(a, b) ? 1 : 0)).join("")).join(" ");
    expect(table).toBe("1000 1100 1110 1111");
    expect(isRole("owner")).toBe(true);
    expect(isRole("root")).toBe(false);
  });

  it("admins manage everyone but owners; owners everyone; below admin no one", () => {
    expect(memberChangeRefusal("admin", null, "editor")).toBeNull();
    expect(memberChangeRefusal("admin", "viewer", "admin")).toBeNull();
    expect(memberChangeRefusal("admin", "editor", null)).toBeNull();
    expect(memberChangeRefusal("admin", null, "owner")).toMatch(/only an owner/);
    expect(memberChangeRefusal("admin", "owner", "admin")).toMatch(/only an owner/);
    expect(memberChangeRefusal("admin", "owner", null)).toMatch(/only an owner/);
    expect(memberChangeRefusal("owner", "owner", "viewer")).toBeNull();
    expect(memberChangeRefusal("editor", null, "viewer")).toMatch(/admin or owner/);
    expect(memberChangeRefusal("viewer", "viewer", null)).toMatch(/admin or owner/);
  });

  it("keys are created by admins and owners, never above their own role", () => {
    expect(apiKeyRefusal("admin", "admin")).toBeNull();
    expect(apiKeyRefusal("owner", "viewer")).toBeNull();
    expect(apiKeyRefusal("editor", "viewer")).toMatch(/admin or owner/);
  });
});
