// The refusals of a label change, as errors with their own codes (409): a protected label moves only
// through a change request; a move that changes what callers must send needs confirmation.
import { AppError, ConflictError } from "@/lib/core/errors";

export function protectedLabelError(label: string, labelVersion: number | null): AppError {
  return new AppError(
    "protected_label",
    `label "${label}" is protected: request the change (POST …/change-requests) for an admin to approve`,
    409,
    { labelVersion },
  );
}

export function variablesChangedError(
  label: string,
  from: number,
  to: number,
  variables: string[],
): AppError {
  return new AppError(
    "variables_changed",
    `moving "${label}" from version ${from} to ${to} changes the variables callers must send ` +
      `(${variables.join(", ")}): send confirmVariableChange: true to move it anyway`,
    409,
    { variables },
  );
}

/** The label is not where the caller expected it (`expectedVersion`). */
export function labelMovedError(label: string, labelVersion: number | null): ConflictError {
  const where = labelVersion === null ? "does not exist" : `is on version ${labelVersion}`;
  return new ConflictError(`label "${label}" ${where} now; reload and try again`, { labelVersion });
}

/**
 * Thrown inside a label transaction when its compare-and-set found the label changed since it was read:
 * the transaction rolls back and is tried again from the start (never reaches a client).
 */
export class LabelRaceLost extends Error {
  constructor() {
    super("the label changed while this transaction ran");
    this.name = "LabelRaceLost";
  }
}
