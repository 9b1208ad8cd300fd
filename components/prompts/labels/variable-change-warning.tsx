"use client";

// A label move the server refused because the variables callers must send differ between the two
// versions (409 variables_changed): what differs, and the one button that moves it anyway.
import { Fragment } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";

export function VariableChangeWarning({
  label,
  variables,
  confirmText,
  pending,
  onConfirm,
}: {
  label: string;
  variables: string[];
  confirmText: string;
  pending: boolean;
  onConfirm: () => void;
}) {
  return (
    <Alert tone="warning" title="The variables callers must send change">
      <p>
        Applications fetching <code>{label}</code> would have to send different variables:{" "}
        {variables.map((name, i) => (
          <Fragment key={name}>
            {i ? ", " : null}
            <code>{name}</code>
          </Fragment>
        ))}
        . Their render and generate calls fail (400) until they do.
      </p>
      <div className="mt-2">
        <Button variant="danger" pending={pending} onClick={onConfirm}>
          {confirmText}
        </Button>
      </div>
    </Alert>
  );
}
