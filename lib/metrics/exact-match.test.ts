import { describe, expect, it } from "vitest";
import { exactMatch } from "./exact-match";
import { scoreWith } from "./testing";

describe("exact_match", () => {
  it("ignores case and surrounding/collapsed whitespace by default", async () => {
    expect((await scoreWith(exactMatch, "  New   York\n", "new york")).score).toBe(1);
    expect((await scoreWith(exactMatch, "New York City", "new york")).score).toBe(0);
  });

  it("caseSensitive compares letter case", async () => {
    expect((await scoreWith(exactMatch, "Paris", "paris", { caseSensitive: true })).score).toBe(0);
    expect((await scoreWith(exactMatch, "Paris", "Paris", { caseSensitive: true })).score).toBe(1);
  });

  it("trimWhitespace: false keeps whitespace significant", async () => {
    expect((await scoreWith(exactMatch, " yes", "yes", { trimWhitespace: false })).score).toBe(0);
    expect((await scoreWith(exactMatch, "a  b", "a b", { trimWhitespace: false })).score).toBe(0);
  });

  it("ignorePunctuation removes punctuation before comparing", async () => {
    expect((await scoreWith(exactMatch, "Yes.", "yes")).score).toBe(0);
    expect((await scoreWith(exactMatch, "Yes.", "yes", { ignorePunctuation: true })).score).toBe(1);
    // Removed, not replaced by a space (as SQuAD does): "U.S." = "US".
    expect((await scoreWith(exactMatch, "U.S.", "US", { ignorePunctuation: true })).score).toBe(1);
    expect((await scoreWith(exactMatch, "it's — fine!", "its fine", { ignorePunctuation: true })).score).toBe(
      1,
    );
  });

  it("strips one pair of quotes around the whole answer by default", async () => {
    expect((await scoreWith(exactMatch, '"positive"', "positive")).score).toBe(1);
    expect((await scoreWith(exactMatch, "“positive”", "positive")).score).toBe(1);
    expect((await scoreWith(exactMatch, " 'positive' ", "positive")).score).toBe(1);
    expect((await scoreWith(exactMatch, '""positive""', "positive")).score).toBe(0); // only one pair
    expect((await scoreWith(exactMatch, '"positive', "positive")).score).toBe(0); // not a pair
    expect((await scoreWith(exactMatch, '"positive"', "positive", { stripQuotes: false })).score).toBe(0);
  });

  it("treats composed and decomposed accents as equal (NFC)", async () => {
    expect((await scoreWith(exactMatch, "Cafe\u0301", "Caf\u00e9")).score).toBe(1);
  });

  it("gives a reason on a mismatch", async () => {
    const result = await scoreWith(exactMatch, "Lyon", "Paris");
    expect(result).toEqual({ score: 0, reason: 'expected "paris", got "lyon"' });
  });

  it("collapses the whitespace a stripped pair of quotes held", async () => {
    expect((await scoreWith(exactMatch, '"  positive  "', "positive")).score).toBe(1);
    expect((await scoreWith(exactMatch, "“New   York”", "new york")).score).toBe(1);
  });

  it("with trimWhitespace off, removing punctuation leaves the spaces around it", async () => {
    const options = { trimWhitespace: false, ignorePunctuation: true };
    expect((await scoreWith(exactMatch, "a . b", "a b", options)).score).toBe(0);
    expect((await scoreWith(exactMatch, "a . b", "a  b", options)).score).toBe(1);
    // With trimWhitespace on (the default) they collapse.
    expect((await scoreWith(exactMatch, "a . b", "a b", { ignorePunctuation: true })).score).toBe(1);
  });
});
