"use client";

import { useMutation } from "@tanstack/react-query";
import { useRouter } from "next/navigation";
import { Button } from "@/components/ui/button";
import { apiRequest, errorMessage } from "@/lib/http/client";

export function DeleteDatasetButton({
  project,
  dataset,
  name,
}: {
  project: string;
  dataset: string;
  name: string;
}) {
  const router = useRouter();
  const remove = useMutation({
    mutationFn: () => apiRequest("DELETE", `/api/v1/projects/${project}/datasets/${dataset}`),
    onSuccess: () => {
      router.push(`/projects/${project}/datasets`);
      router.refresh();
    },
  });
  return (
    <div className="text-right">
      <Button
        variant="danger"
        pending={remove.isPending}
        onClick={() => {
          if (window.confirm(`Delete the dataset "${name}" with all its versions? This cannot be undone.`))
            remove.mutate();
        }}
      >
        Delete dataset<span className="sr-only"> {name}</span>
      </Button>
      {remove.isError ? (
        <p role="alert" className="mt-1 max-w-sm text-sm text-red-700">
          {errorMessage(remove.error)}
        </p>
      ) : null}
    </div>
  );
}
