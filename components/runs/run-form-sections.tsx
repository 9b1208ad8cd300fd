// Parts of the start-run form kept in their own file: the optional budget and the splits, seed and cache
// (collapsed unless one of them has an error).
import { TextField } from "@/components/ui/field";
import { Fieldset } from "@/components/ui/fieldset";
import type { ControlPath } from "./run-spec-draft";

/** Number fields that keep what was typed (the API names a bad value). */
export const NUMBER_INPUT = { type: "number", inputMode: "decimal", step: "any" } as const;

type Errors = Partial<Record<ControlPath, string>>;

export function BudgetFields({ errors }: { errors: Errors }) {
  const num = NUMBER_INPUT;
  return (
    <Fieldset legend="Budget (optional)" className="grid gap-3 sm:grid-cols-2">
      <TextField
        id="run-budget-calls"
        name="budgetCalls"
        label="Max model calls"
        min={1}
        error={errors["budget.calls"]}
        {...num}
      />
      <TextField
        id="run-budget-cost"
        name="budgetCostUsd"
        label="Max cost (USD)"
        error={errors["budget.costUsd"]}
        {...num}
      />
      <TextField
        id="run-budget-tokens"
        name="budgetTokens"
        label="Max tokens"
        min={1}
        error={errors["budget.tokens"]}
        {...num}
      />
      <TextField
        id="run-budget-wall"
        name="budgetWallSeconds"
        label="Max wall time (seconds)"
        error={errors["budget.wallSeconds"]}
        {...num}
      />
    </Fieldset>
  );
}

export function SplitsSeedCache({ errors }: { errors: Errors }) {
  const num = NUMBER_INPUT;
  return (
    <details
      className="rounded-md border border-slate-200 p-4"
      open={Boolean(
        errors.splits || errors["splits.validation"] || errors["splits.test"] || errors.seed || errors.cache,
      )}
    >
      <summary className="cursor-pointer text-sm font-semibold text-slate-800">
        Splits, seed and cache
      </summary>
      <div className="mt-3 grid gap-3 sm:grid-cols-4">
        <TextField
          id="run-split-validation"
          name="splitValidation"
          label="Validation fraction"
          placeholder="0.25"
          error={errors["splits.validation"] ?? errors.splits}
          {...num}
        />
        <TextField
          id="run-split-test"
          name="splitTest"
          label="Test fraction"
          placeholder="0.25"
          error={errors["splits.test"]}
          {...num}
        />
        <TextField id="run-seed" name="seed" label="Seed" placeholder="42" error={errors.seed} {...num} />
        <div className="space-y-1">
          <label className="mt-7 flex items-center gap-2 text-sm font-medium text-slate-800">
            <input type="checkbox" name="cache" value="on" defaultChecked />
            Response cache
          </label>
          {errors.cache ? <p className="text-sm text-red-700">{errors.cache}</p> : null}
        </div>
      </div>
    </details>
  );
}
