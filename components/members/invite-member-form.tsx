"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { type FormEvent, useRef } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { SelectField, TextField } from "@/components/ui/field";
import { ApiError, apiRequest, errorMessage } from "@/lib/http/client";

/** The fields this form shows next to their controls, by API path (lib/http/error-wording.ts). */
const FIELD_LABELS = {
  email: "Email",
  role: "Role",
  name: "Name (new users)",
  password: "Initial password (new users)",
};

export function InviteMemberForm({
  project,
  roles,
  minPasswordLength,
}: {
  project: string;
  roles: string[];
  minPasswordLength: number;
}) {
  const router = useRouter();
  const formRef = useRef<HTMLFormElement>(null);
  const invite = useMutation({
    mutationFn: (input: Record<string, string>) =>
      apiRequest<{ email: string; role: string }>("POST", `/api/v1/projects/${project}/members`, input),
    onSuccess: () => {
      formRef.current?.reset();
      router.refresh();
    },
  });
  const fields = invite.error instanceof ApiError ? invite.error.fieldErrors : {};

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const input: Record<string, string> = {};
    for (const key of ["email", "role", "name", "password"]) {
      const value = String(form.get(key) ?? "");
      if (value) input[key] = value;
    }
    invite.mutate(input);
  }

  return (
    <form ref={formRef} onSubmit={onSubmit} className="grid gap-4 sm:grid-cols-2" noValidate>
      {invite.isError && !Object.keys(fields).length ? (
        <div className="sm:col-span-2">
          <Alert tone="error">{errorMessage(invite.error, FIELD_LABELS)}</Alert>
        </div>
      ) : null}
      {invite.isSuccess ? (
        <div className="sm:col-span-2">
          <Alert tone="success">
            {invite.data.email} is now {invite.data.role}.
          </Alert>
        </div>
      ) : null}
      <TextField id="invite-email" name="email" label="Email" type="email" required error={fields.email} />
      <SelectField
        id="invite-role"
        name="role"
        label="Role"
        defaultValue="viewer"
        options={roles.map((r) => ({ value: r, label: r }))}
        error={fields.role}
      />
      <TextField id="invite-name" name="name" label="Name (new users)" error={fields.name} />
      <TextField
        id="invite-password"
        name="password"
        label="Initial password (new users)"
        type="password"
        autoComplete="new-password"
        hint={`Needed only if no account has this email yet (at least ${minPasswordLength} characters). Share it privately.`}
        error={fields.password}
      />
      <div className="sm:col-span-2">
        <Button type="submit" pending={invite.isPending}>
          Add member
        </Button>
      </div>
    </form>
  );
}
