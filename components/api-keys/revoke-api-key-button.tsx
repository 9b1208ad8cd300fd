"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { apiRequest, errorMessage } from "@/lib/http/client";

export function RevokeApiKeyButton({
  project,
  keyId,
  name,
  onRevoked,
}: {
  project: string;
  keyId: string;
  name: string;
  /** Called with the revocation time the API returned, before the page's refresh arrives. */
  onRevoked?: (revokedAt: string) => void;
}) {
  const router = useRouter();
  const revoke = useMutation({
    mutationFn: () =>
      apiRequest<{ revokedAt: string | null }>("DELETE", `/api/v1/projects/${project}/api-keys/${keyId}`),
    onSuccess: (key) => {
      if (key?.revokedAt) onRevoked?.(key.revokedAt);
      router.refresh();
    },
  });
  return (
    <div className="text-right">
      <Button
        variant="danger"
        pending={revoke.isPending}
        onClick={() => {
          if (window.confirm(`Revoke the key "${name}"? Anything using it stops working at once.`))
            revoke.mutate();
        }}
      >
        Revoke<span className="sr-only"> {name}</span>
      </Button>
      {revoke.isError ? (
        <p role="alert" className="mt-1 text-sm text-red-700">
          {errorMessage(revoke.error)}
        </p>
      ) : null}
    </div>
  );
}
