// The audit page's change column: named fields, "before → after", values in words (not key:value JSON).
import { describe, expect, it } from "vitest";
import { auditFieldChanges, fieldLabel, formatAuditValue } from "./audit-log";

describe("audit entry changes", () => {
  it("lists changed fields first as before → after, then the unchanged ones", () => {
    expect(
      auditFieldChanges(
        { role: "editor", email: "a@example.com" },
        { role: "admin", email: "a@example.com" },
      ),
    ).toEqual([
      { field: "role", label: "Role", before: "editor", after: "admin", changed: true },
      { field: "email", label: "Email", before: "a@example.com", after: "a@example.com", changed: false },
    ]);
  });

  it("a field on one side only is set or removed; no summary at all gives no rows", () => {
    expect(auditFieldChanges(null, { archivedAt: "2026-12-01T00:00:00.000Z" })).toEqual([
      {
        field: "archivedAt",
        label: "Archived at",
        before: null,
        after: "2026-12-01T00:00:00.000Z",
        changed: true,
      },
    ]);
    expect(auditFieldChanges({ fingerprint: "ab12" }, null)).toEqual([
      { field: "fingerprint", label: "Fingerprint", before: "ab12", after: null, changed: true },
    ]);
    expect(auditFieldChanges(null, null)).toEqual([]);
  });

  it("names fields and values in words", () => {
    expect(fieldLabel("evaluationRunId")).toBe("Evaluation run ID");
    expect(fieldLabel("id")).toBe("ID");
    expect(fieldLabel("key_prefix")).toBe("Key prefix");
    expect(formatAuditValue(null)).toBe("—");
    expect(formatAuditValue(true)).toBe("yes");
    expect(formatAuditValue(["exact_match", "contains"])).toBe("exact_match, contains");
    expect(formatAuditValue({ version: 3, label: "production" })).toBe("Version: 3; Label: production");
  });
});
