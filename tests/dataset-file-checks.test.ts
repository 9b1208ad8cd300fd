import { describe, expect, it } from "vitest";
import { checkUploadFile } from "@/components/datasets/file-checks";

const LIMIT = 50 * 1024 * 1024;

describe("checkUploadFile", () => {
  it("names the type of an unsupported file and what is supported (not 'Choose a file to upload.')", () => {
    expect(checkUploadFile({ name: "notes.TXT", size: 10 }, LIMIT)).toEqual({
      ok: false,
      problem:
        "“notes.TXT” is a .txt file. Choose a CSV (.csv), JSONL (.jsonl or .ndjson) or JSON (.json) file.",
    });
    expect(checkUploadFile({ name: "README", size: 10 }, LIMIT)).toMatchObject({
      problem: expect.stringContaining("is a file without an extension"),
    });
  });

  it("refuses an oversize file before upload, in MB against the server's limit", () => {
    expect(checkUploadFile({ name: "big.csv", size: 52 * 1024 * 1024 }, LIMIT)).toEqual({
      ok: false,
      problem: "“big.csv” is 52 MB: larger than the 50 MB limit. Choose a smaller file, or split it.",
    });
    expect(checkUploadFile({ name: "edge.csv", size: LIMIT }, LIMIT)).toEqual({ ok: true, format: "csv" });
  });

  it("refuses an empty file and accepts each supported format", () => {
    expect(checkUploadFile({ name: "empty.csv", size: 0 }, LIMIT)).toMatchObject({ ok: false });
    expect(checkUploadFile({ name: "rows.ndjson", size: 5 }, LIMIT)).toEqual({ ok: true, format: "jsonl" });
    expect(checkUploadFile({ name: "rows.json", size: 5 }, LIMIT)).toEqual({ ok: true, format: "json" });
  });
});
