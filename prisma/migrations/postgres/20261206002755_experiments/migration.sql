-- AlterTable
ALTER TABLE "Generation" ADD COLUMN     "exposureId" TEXT;

-- CreateTable
CREATE TABLE "Experiment" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "name" TEXT NOT NULL,
    "label" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'draft',
    "mode" TEXT NOT NULL DEFAULT 'fixed',
    "activeKey" TEXT,
    "metric" JSONB NOT NULL,
    "guardrails" JSONB NOT NULL,
    "alpha" DOUBLE PRECISION NOT NULL DEFAULT 0.05,
    "baseline" DOUBLE PRECISION NOT NULL,
    "minimumDetectableEffect" DOUBLE PRECISION NOT NULL,
    "standardDeviation" DOUBLE PRECISION,
    "plannedSamplePerVariant" INTEGER NOT NULL,
    "maxDurationHours" DOUBLE PRECISION NOT NULL,
    "decision" TEXT,
    "decisionReason" TEXT,
    "winnerVariantId" TEXT,
    "promotion" TEXT,
    "createdBy" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "updatedAt" TIMESTAMP(3) NOT NULL,
    "startedAt" TIMESTAMP(3),
    "stoppedAt" TIMESTAMP(3),
    "lastAnalyzedAt" TIMESTAMP(3),

    CONSTRAINT "Experiment_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExperimentVariant" (
    "id" TEXT NOT NULL,
    "experimentId" TEXT NOT NULL,
    "index" INTEGER NOT NULL,
    "versionId" TEXT NOT NULL,
    "weight" DOUBLE PRECISION NOT NULL,
    "banditWeight" DOUBLE PRECISION,

    CONSTRAINT "ExperimentVariant_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Exposure" (
    "id" TEXT NOT NULL,
    "experimentId" TEXT NOT NULL,
    "variantId" TEXT NOT NULL,
    "subjectId" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Exposure_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "Feedback" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "generationId" TEXT,
    "exposureId" TEXT,
    "experimentId" TEXT,
    "versionId" TEXT,
    "name" TEXT NOT NULL,
    "value" DOUBLE PRECISION,
    "category" TEXT,
    "comment" TEXT,
    "correction" TEXT,
    "source" TEXT NOT NULL,
    "idempotencyKey" TEXT,
    "actorLabel" TEXT NOT NULL,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "Feedback_pkey" PRIMARY KEY ("id")
);

-- CreateTable
CREATE TABLE "ExperimentAnalysis" (
    "id" TEXT NOT NULL,
    "experimentId" TEXT NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'queued',
    "trigger" TEXT NOT NULL DEFAULT 'manual',
    "result" JSONB,
    "decision" TEXT,
    "reason" TEXT,
    "error" TEXT,
    "failedStep" TEXT,
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "finishedAt" TIMESTAMP(3),

    CONSTRAINT "ExperimentAnalysis_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "Experiment_activeKey_key" ON "Experiment"("activeKey");

-- CreateIndex
CREATE INDEX "Experiment_projectId_createdAt_idx" ON "Experiment"("projectId", "createdAt");

-- CreateIndex
CREATE INDEX "Experiment_status_idx" ON "Experiment"("status");

-- CreateIndex
CREATE INDEX "ExperimentVariant_versionId_idx" ON "ExperimentVariant"("versionId");

-- CreateIndex
CREATE UNIQUE INDEX "ExperimentVariant_experimentId_index_key" ON "ExperimentVariant"("experimentId", "index");

-- CreateIndex
CREATE INDEX "Exposure_variantId_idx" ON "Exposure"("variantId");

-- CreateIndex
CREATE UNIQUE INDEX "Exposure_experimentId_subjectId_key" ON "Exposure"("experimentId", "subjectId");

-- CreateIndex
CREATE INDEX "Feedback_projectId_createdAt_idx" ON "Feedback"("projectId", "createdAt");

-- CreateIndex
CREATE INDEX "Feedback_experimentId_name_idx" ON "Feedback"("experimentId", "name");

-- CreateIndex
CREATE INDEX "Feedback_generationId_idx" ON "Feedback"("generationId");

-- CreateIndex
CREATE INDEX "Feedback_versionId_createdAt_idx" ON "Feedback"("versionId", "createdAt");

-- CreateIndex
CREATE UNIQUE INDEX "Feedback_projectId_idempotencyKey_key" ON "Feedback"("projectId", "idempotencyKey");

-- CreateIndex
CREATE INDEX "ExperimentAnalysis_experimentId_createdAt_idx" ON "ExperimentAnalysis"("experimentId", "createdAt");

-- CreateIndex
CREATE INDEX "ExperimentAnalysis_status_idx" ON "ExperimentAnalysis"("status");

-- CreateIndex
CREATE INDEX "Generation_exposureId_idx" ON "Generation"("exposureId");

-- AddForeignKey
ALTER TABLE "Generation" ADD CONSTRAINT "Generation_exposureId_fkey" FOREIGN KEY ("exposureId") REFERENCES "Exposure"("id") ON DELETE SET NULL ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Experiment" ADD CONSTRAINT "Experiment_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Experiment" ADD CONSTRAINT "Experiment_taskId_fkey" FOREIGN KEY ("taskId") REFERENCES "Task"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExperimentVariant" ADD CONSTRAINT "ExperimentVariant_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExperimentVariant" ADD CONSTRAINT "ExperimentVariant_versionId_fkey" FOREIGN KEY ("versionId") REFERENCES "PromptVersion"("id") ON DELETE NO ACTION ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Exposure" ADD CONSTRAINT "Exposure_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Exposure" ADD CONSTRAINT "Exposure_variantId_fkey" FOREIGN KEY ("variantId") REFERENCES "ExperimentVariant"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Feedback" ADD CONSTRAINT "Feedback_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Feedback" ADD CONSTRAINT "Feedback_generationId_fkey" FOREIGN KEY ("generationId") REFERENCES "Generation"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Feedback" ADD CONSTRAINT "Feedback_exposureId_fkey" FOREIGN KEY ("exposureId") REFERENCES "Exposure"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "Feedback" ADD CONSTRAINT "Feedback_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment"("id") ON DELETE CASCADE ON UPDATE CASCADE;

-- AddForeignKey
ALTER TABLE "ExperimentAnalysis" ADD CONSTRAINT "ExperimentAnalysis_experimentId_fkey" FOREIGN KEY ("experimentId") REFERENCES "Experiment"("id") ON DELETE CASCADE ON UPDATE CASCADE;
