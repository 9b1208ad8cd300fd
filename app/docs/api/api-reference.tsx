"use client";
// Scalar runs only in the browser (it mounts a Vue app on a DOM node): loaded without server rendering.
import dynamic from "next/dynamic";

const ScalarReference = dynamic(() => import("./scalar-reference"), {
  ssr: false,
  loading: () => (
    <p role="status" className="p-6 text-sm text-slate-600">
      Loading the API reference…
    </p>
  ),
});

export function ApiReference() {
  return <ScalarReference />;
}
