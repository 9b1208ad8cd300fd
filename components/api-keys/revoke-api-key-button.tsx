"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { apiRequest, errorMessage } from "@/lib/http/client";

export function RevokeApiKeyButton({
  project,
  keyId,
  name,
}: {
  project: string;
  keyId: string;
  name: string;
}) {
  const router = useRouter();
  const revoke = useMutation({
    mutationFn: () => apiRequest("DELETE", `/api/v1/projects/${project}/api-keys/${keyId}`),
    onSuccess: () => router.refresh(),
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
