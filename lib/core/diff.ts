// Line diff of two texts (longest common subsequence), for showing how a prompt changed.

export type DiffLine = { kind: "same" | "added" | "removed"; text: string };

/**
 * A shortest edit from `before` to `after`, line by line: every line of `before` is "same" or
 * "removed", every line of `after` "same" or "added", in order. Where a line is replaced, the removed
 * line comes first.
 */
export function diffLines(before: string, after: string): DiffLine[] {
  const a = before.split("\n");
  const b = after.split("\n");
  const width = b.length + 1;
  // common(i, j): the length of the longest common subsequence of a[i:] and b[j:]. The last row and
  // column stay 0 (nothing is left on one side).
  const table = new Uint32Array((a.length + 1) * width);
  const common = (i: number, j: number) => table[i * width + j] as number;
  for (let i = a.length - 1; i >= 0; i--)
    for (let j = b.length - 1; j >= 0; j--)
      table[i * width + j] =
        a[i] === b[j] ? common(i + 1, j + 1) + 1 : Math.max(common(i + 1, j), common(i, j + 1));
  const out: DiffLine[] = [];
  let i = 0;
  let j = 0;
  while (i < a.length || j < b.length) {
    // Past the end of one side its line is undefined, never equal to a line of the other.
    if (a[i] === b[j]) {
      out.push({ kind: "same", text: a[i] as string });
      i++;
      j++;
    } else if (j === b.length || (i < a.length && common(i + 1, j) >= common(i, j + 1))) {
      out.push({ kind: "removed", text: a[i++] as string });
    } else {
      out.push({ kind: "added", text: b[j++] as string });
    }
  }
  return out;
}
