// Versioned stored documents: what lib/db writes carries schemaVersion; a document without one is
// version 1; older versions are upgraded step by step; a newer or damaged one is a StoredStateError.
import { describe, expect, it } from "vitest";
import * as z from "zod";
import { readStored, StoredStateError, storedDocument } from "./stored-document";

const v1 = storedDocument({ name: "thing", schema: z.object({ count: z.number() }) });

describe("storedDocument", () => {
  it("writes the checked value with its schemaVersion and reads it back without it", () => {
    const stored = v1.write({ count: 2 }, "thing 1");
    expect(stored).toEqual({ count: 2, schemaVersion: 1 });
    expect(v1.read(stored, "thing 1")).toEqual({ count: 2 });
  });

  it("reads a document stored before versions existed as version 1", () => {
    expect(v1.read({ count: 3 }, "old thing")).toEqual({ count: 3 });
  });

  it("refuses to store what does not fit the schema, naming the field", () => {
    expect(() => v1.write({ count: "2" } as never, "thing 2")).toThrow(
      /thing 2: cannot store this thing \(count:/,
    );
  });

  it("refuses a newer version, a damaged document and a non-object, naming the row", () => {
    const read = (value: unknown) => () => v1.read(value, "run 7: thing");
    expect(read({ count: 1, schemaVersion: 2 })).toThrow(StoredStateError);
    expect(read({ count: 1, schemaVersion: 2 })).toThrow(
      /run 7: thing: the stored thing has schemaVersion 2, written by a newer Strop; this one reads up to 1/,
    );
    expect(read({ count: "x" })).toThrow(/the stored thing does not parse \(count:/);
    expect(read({ count: 1, schemaVersion: "1" })).toThrow(/invalid schemaVersion/);
    expect(read([1])).toThrow(/is not an object/);
    const error = (() => {
      try {
        read(null)();
      } catch (e) {
        return e as StoredStateError;
      }
    })();
    expect(error).toMatchObject({ status: 500, code: "stored_state_invalid", where: "run 7: thing" });
  });

  it("upgrades each older version to the next until the current one", () => {
    const v3 = storedDocument({
      name: "thing",
      version: 3,
      schema: z.object({ total: z.number(), unit: z.string() }),
      upgrades: {
        1: ({ count, ...rest }) => ({ ...rest, total: count }),
        2: (document) => ({ ...document, unit: "calls" }),
      },
    });
    expect(v3.read({ count: 4 }, "x")).toEqual({ total: 4, unit: "calls" });
    expect(v3.read({ total: 5, schemaVersion: 2 }, "x")).toEqual({ total: 5, unit: "calls" });
    expect(v3.read({ total: 6, unit: "tokens", schemaVersion: 3 }, "x")).toEqual({
      total: 6,
      unit: "tokens",
    });
    expect(v3.write({ total: 1, unit: "calls" }, "x")).toMatchObject({ schemaVersion: 3 });
  });

  it("needs an upgrade for every older version", () => {
    expect(() => storedDocument({ name: "thing", version: 2, schema: z.object({}) })).toThrow(
      /no upgrade from version 1 to 2/,
    );
  });
});

describe("readStored", () => {
  it("parses a plain stored value, or names where it came from", () => {
    expect(readStored(z.array(z.string()), ["a"], "batch 1: columns")).toEqual(["a"]);
    expect(() => readStored(z.array(z.string()), [1], "batch 1: columns")).toThrow(
      /batch 1: columns: not the stored shape \(0:/,
    );
  });
});
