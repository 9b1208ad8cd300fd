// What runs and batches share in the API: the answer to resuming one.
import * as z from "zod";
import { idSchema } from "./common";

export const resumedJobSchema = z
  .object({
    id: idSchema,
    status: z.literal("queued").meta({ description: "Back in the queue of the active runner." }),
    runner: z.enum(["inngest", "embedded"]).meta({ description: "The runner it was handed to." }),
    resumedFrom: z.enum(["failed", "cancelled"]).meta({ description: "The status it had." }),
  })
  .meta({ id: "ResumedJob" });
