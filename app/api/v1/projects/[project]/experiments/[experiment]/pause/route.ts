import { experimentStatusRoute } from "../status-route";

export const dynamic = "force-dynamic";

export const POST = experimentStatusRoute(
  "paused",
  "Pause a running experiment: the label serves its own version again, exposures are kept",
  "409 unless it is running.",
);
