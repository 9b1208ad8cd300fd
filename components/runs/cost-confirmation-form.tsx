"use client";

// The project's cost confirmation limit (admins): a run on a paid model whose estimate may cost more
// asks for confirmation before it starts (the start-run form's estimate shows it).
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useId, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { apiRequest, describeError } from "@/lib/http/client";
import type { CostConfirmation } from "@/lib/validation/ml-settings";
import { usd } from "./format";

const LABELS = { confirmAboveUsd: "Ask for confirmation above (USD)" } as const;

export function CostConfirmationForm({ project, current }: { project: string; current: CostConfirmation }) {
  const ids = useId();
  const router = useRouter();
  const [value, setValue] = useState(String(current.confirmAboveUsd));
  const save = useMutation({
    mutationFn: (confirmAboveUsd: number | string) =>
      apiRequest<CostConfirmation>("PUT", `/api/v1/projects/${project}/cost-confirmation`, {
        confirmAboveUsd,
      }),
    onSuccess: () => router.refresh(),
  });
  const worded = save.error ? describeError(save.error, LABELS) : null;

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const n = Number(value.trim());
    // A number as typed goes as a number; anything else as text, so the API names the field.
    save.mutate(value.trim() !== "" && Number.isFinite(n) ? n : value);
  }

  return (
    <form onSubmit={onSubmit} className="space-y-3" noValidate aria-label="Cost confirmation">
      {worded ? <Alert tone="error">{worded.summary}</Alert> : null}
      {save.isSuccess && !worded ? (
        <Alert tone="success">{`Saved: runs on paid models above ${usd(save.data.confirmAboveUsd)} ask first.`}</Alert>
      ) : null}
      <div className="flex flex-wrap items-end gap-3">
        <div className="min-w-0 flex-1 sm:max-w-xs">
          <TextField
            id={`${ids}-limit`}
            label={LABELS.confirmAboveUsd}
            type="number"
            inputMode="decimal"
            step="any"
            min={0}
            value={value}
            onChange={(e) => setValue(e.currentTarget.value)}
            hint={
              current.isDefault
                ? "The default; 0 asks before every paid run."
                : "0 asks before every paid run."
            }
            error={worded?.fields.confirmAboveUsd}
          />
        </div>
        <Button type="submit" pending={save.isPending}>
          Save limit
        </Button>
      </div>
    </form>
  );
}
