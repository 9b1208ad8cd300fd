// The audit action list is the one source of the audit page's filter: every family and action the
// code writes is offered, each once, with words a person reads.
import { readdirSync, readFileSync } from "node:fs";
import path from "node:path";
import { describe, expect, it } from "vitest";
import {
  ACCOUNT_AUDIT_ACTIONS,
  auditActionLabel,
  auditFilterGroups,
  PROJECT_AUDIT_ACTIONS,
} from "./audit-actions";

const ROOT = path.resolve(import.meta.dirname, "../..");

/** Every `action: "family.name"` literal in the source (the compiler checks the computed ones). */
function writtenActionLiterals(): Set<string> {
  const found = new Set<string>();
  for (const folder of ["lib", "app", "inngest"])
    for (const file of readdirSync(path.join(ROOT, folder), { recursive: true, encoding: "utf8" })) {
      if (!/\.tsx?$/.test(file) || /\.test\.tsx?$|generated|testing/.test(file)) continue;
      const text = readFileSync(path.join(ROOT, folder, file), "utf8");
      for (const match of text.matchAll(/\baction: "([a-z_]+\.[a-z_]+)"/g)) found.add(match[1]!);
    }
  return found;
}

describe("audit actions", () => {
  it("the filter offers every project action once, grouped, credentials and model configs included", () => {
    const groups = auditFilterGroups();
    const offered = groups.flatMap((g) => g.actions.map((a) => a.value));
    expect([...offered].sort()).toEqual([...PROJECT_AUDIT_ACTIONS].sort());
    expect(new Set(offered).size).toBe(offered.length);
    for (const group of groups) {
      expect(group.actions.length, group.prefix).toBeGreaterThan(0);
      for (const action of group.actions) expect(action.value.startsWith(group.prefix)).toBe(true);
    }
    expect(groups.map((g) => g.prefix)).toEqual(expect.arrayContaining(["credential.", "model_config."]));
    expect(offered).toEqual(
      expect.arrayContaining([
        "credential.set",
        "credential.changed",
        "credential.removed",
        "model_config.created",
        "metric_config.deleted",
        "prompt.label_rolled_back",
        "prompt.change_approved",
      ]),
    );
  });

  it("every action literal written in the code is declared", () => {
    const declared = new Set<string>([...PROJECT_AUDIT_ACTIONS, ...ACCOUNT_AUDIT_ACTIONS]);
    const written = writtenActionLiterals();
    expect(written.size).toBeGreaterThan(20);
    expect([...written].filter((action) => !declared.has(action))).toEqual([]);
  });

  it("names actions in words", () => {
    expect(auditActionLabel("member.role_changed")).toBe("Role changed");
    expect(auditActionLabel("prompt.label_rolled_back")).toBe("Label rolled back");
    expect(auditActionLabel("prompt.change_approved")).toBe("Change request approved");
    expect(auditFilterGroups().find((g) => g.prefix === "credential.")?.label).toBe("Provider credentials");
  });
});
