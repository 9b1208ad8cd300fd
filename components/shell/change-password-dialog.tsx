"use client";

// Change password: the server checks the current one, stores the new one and ends every session (this
// one too); this browser then signs straight back in with the new password.
import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { signIn } from "next-auth/react";
import { type FormEvent, useState } from "react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { TextField } from "@/components/ui/field";
import { ApiError, apiRequest, errorMessage } from "@/lib/http/client";
import { PASSWORD_MIN_LENGTH } from "@/lib/validation/accounts";
import { Modal } from "./modal";

interface Input {
  currentPassword: string;
  newPassword: string;
}

/** The fields this form shows next to their controls, by API path (lib/http/error-wording.ts). */
const FIELD_LABELS = {
  currentPassword: "Current password",
  newPassword: "New password",
};

export function ChangePasswordDialog({ email, onClose }: { email: string; onClose: () => void }) {
  const router = useRouter();
  const [mismatch, setMismatch] = useState(false);
  const change = useMutation({
    mutationFn: async (input: Input) => {
      await apiRequest("POST", "/api/v1/me/password", input);
      const again = await signIn("credentials", { email, password: input.newPassword, redirect: false });
      return Boolean(again?.ok && !again.error);
    },
    onSuccess: (signedIn) => {
      if (signedIn) router.refresh();
      else window.location.assign("/sign-in");
    },
  });
  const fields = change.error instanceof ApiError ? change.error.fieldErrors : {};

  function onSubmit(event: FormEvent<HTMLFormElement>) {
    event.preventDefault();
    const form = new FormData(event.currentTarget);
    const newPassword = String(form.get("newPassword") ?? "");
    const repeated = String(form.get("repeatPassword") ?? "");
    setMismatch(newPassword !== repeated);
    if (newPassword !== repeated) return;
    change.mutate({ currentPassword: String(form.get("currentPassword") ?? ""), newPassword });
  }

  return (
    <Modal title="Change password" onClose={onClose}>
      {change.isSuccess && change.data ? (
        <>
          <Alert tone="success">Password changed. Every other browser and device is signed out.</Alert>
          <div className="flex justify-end">
            <Button onClick={onClose}>Done</Button>
          </div>
        </>
      ) : (
        <form onSubmit={onSubmit} className="space-y-4" noValidate>
          {change.error && !Object.keys(fields).length ? (
            <Alert tone="error">{errorMessage(change.error, FIELD_LABELS)}</Alert>
          ) : null}
          <TextField
            id="currentPassword"
            label="Current password"
            type="password"
            autoComplete="current-password"
            required
            error={fields.currentPassword}
          />
          <TextField
            id="newPassword"
            label="New password"
            type="password"
            autoComplete="new-password"
            required
            hint={`At least ${PASSWORD_MIN_LENGTH} characters. Every session ends, on every device.`}
            error={fields.newPassword}
          />
          <TextField
            id="repeatPassword"
            label="Repeat new password"
            type="password"
            autoComplete="new-password"
            required
            error={mismatch ? "the two passwords differ" : undefined}
          />
          <div className="flex justify-end gap-2">
            <Button variant="secondary" onClick={onClose}>
              Cancel
            </Button>
            <Button type="submit" pending={change.isPending}>
              Change password
            </Button>
          </div>
        </form>
      )}
    </Modal>
  );
}
