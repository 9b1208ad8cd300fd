"use client";

// "Sign out everywhere": ends every session of the user on the server, then clears this browser's
// cookie through next-auth and goes to the sign-in page.
import { useMutation } from "@tanstack/react-query";
import { signOut } from "next-auth/react";
import { Alert } from "@/components/ui/alert";
import { Button } from "@/components/ui/button";
import { apiRequest, errorMessage } from "@/lib/http/client";
import { Modal } from "./modal";

export function SignOutEverywhereDialog({ onClose }: { onClose: () => void }) {
  const revoke = useMutation({
    mutationFn: () => apiRequest("POST", "/api/v1/me/sessions/revoke", { sessions: "all" }),
    onSuccess: () => signOut({ callbackUrl: "/sign-in" }),
  });
  return (
    <Modal title="Sign out everywhere" onClose={onClose}>
      <p className="text-sm text-slate-600">
        Every browser and device signed in to your account is signed out at once, this one included. API keys
        keep working.
      </p>
      {revoke.error ? <Alert tone="error">{errorMessage(revoke.error)}</Alert> : null}
      <div className="flex justify-end gap-2">
        <Button variant="secondary" onClick={onClose}>
          Cancel
        </Button>
        <Button
          variant="danger"
          pending={revoke.isPending || revoke.isSuccess}
          onClick={() => revoke.mutate()}
        >
          Sign out everywhere
        </Button>
      </div>
    </Modal>
  );
}
