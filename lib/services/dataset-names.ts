// One naming rule for datasets made from a file, shared by the web upload form and the CLI: the file's
// name without its extension ("reviews.csv" → "reviews"). Earlier CLI releases used the whole file name;
// that name is kept as a former name, so a re-run finds (and renames) the dataset it made then.
// Pure: the upload form (a client component) imports it too.

/** Dataset names are at most this long (the upload API's limit). */
export const MAX_DATASET_NAME = 100;

/** "data/reviews.csv" → "reviews"; a name that is all extension (".csv") stays whole. */
export function datasetNameOfFile(filePath: string): string {
  const base = filePath.split(/[\\/]/).pop() ?? filePath;
  const stem = base.replace(/\.[^.]+$/, "");
  return (stem || base).slice(0, MAX_DATASET_NAME);
}

/** The name a task file's dataset is stored under, and the names earlier releases gave it. */
export function taskFileDatasetNames(filePath: string): { name: string; formerNames: string[] } {
  const name = datasetNameOfFile(filePath);
  const base = filePath.split(/[\\/]/).pop() ?? filePath;
  return { name, formerNames: base === name ? [] : [base] };
}
