"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { apiRequest, errorMessage } from "@/lib/http/client";

export function DeleteConfigButton({
  project,
  collection,
  name,
}: {
  project: string;
  collection: "model-configs" | "metric-configs";
  name: string;
}) {
  const router = useRouter();
  const remove = useMutation({
    mutationFn: () =>
      apiRequest("DELETE", `/api/v1/projects/${project}/${collection}/${encodeURIComponent(name)}`),
    onSuccess: () => router.refresh(),
  });
  const kind = collection === "model-configs" ? "model" : "metric";
  return (
    <div>
      <Button
        variant="danger"
        pending={remove.isPending}
        onClick={() => {
          if (window.confirm(`Delete the ${kind} configuration "${name}"? Task files naming it will fail.`))
            remove.mutate();
        }}
      >
        Delete<span className="sr-only"> {name}</span>
      </Button>
      {remove.isError ? (
        <p role="alert" className="mt-1 text-sm text-red-700">
          {errorMessage(remove.error)}
        </p>
      ) : null}
    </div>
  );
}
