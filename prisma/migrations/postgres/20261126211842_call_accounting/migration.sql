-- AlterTable
ALTER TABLE "BatchJob" ADD COLUMN     "latency" JSONB,
ADD COLUMN     "retries" INTEGER NOT NULL DEFAULT 0;

-- AlterTable
ALTER TABLE "OptimizationRun" ADD COLUMN     "latency" JSONB,
ADD COLUMN     "retries" INTEGER NOT NULL DEFAULT 0;
