"use client";

export default function RootError({
  error,
  reset,
}: {
  error: Error & { digest?: string };
  reset: () => void;
}) {
  return (
    <main className="mx-auto max-w-lg px-4 py-16">
      <div role="alert" className="rounded-md border border-red-200 bg-red-50 px-4 py-3 text-sm text-red-800">
        <p className="font-medium">Something went wrong</p>
        <p className="mt-1">
          The server could not render this page{error.digest ? ` (reference ${error.digest})` : ""}.
        </p>
      </div>
      <button
        type="button"
        onClick={reset}
        className="mt-4 rounded-md border border-slate-300 bg-white px-3 py-2 text-sm"
      >
        Try again
      </button>
    </main>
  );
}
