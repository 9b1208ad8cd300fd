-- AlterTable
ALTER TABLE "Generation" ADD COLUMN     "subjectId" TEXT;

-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "feedbackAlert" JSONB;

-- CreateTable
CREATE TABLE "FeedbackProposal" (
    "id" TEXT NOT NULL,
    "projectId" TEXT NOT NULL,
    "taskId" TEXT NOT NULL,
    "versionId" TEXT NOT NULL,
    "feedbackName" TEXT NOT NULL,
    "negative" INTEGER NOT NULL,
    "total" INTEGER NOT NULL,
    "rate" DOUBLE PRECISION NOT NULL,
    "threshold" DOUBLE PRECISION NOT NULL,
    "status" TEXT NOT NULL DEFAULT 'open',
    "openKey" TEXT,
    "runId" TEXT,
    "decidedBy" TEXT,
    "decidedAt" TIMESTAMP(3),
    "createdAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,

    CONSTRAINT "FeedbackProposal_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE UNIQUE INDEX "FeedbackProposal_openKey_key" ON "FeedbackProposal"("openKey");

-- CreateIndex
CREATE INDEX "FeedbackProposal_projectId_status_createdAt_idx" ON "FeedbackProposal"("projectId", "status", "createdAt");

-- CreateIndex
CREATE INDEX "FeedbackProposal_taskId_createdAt_idx" ON "FeedbackProposal"("taskId", "createdAt");

-- CreateIndex
CREATE INDEX "Generation_taskId_createdAt_idx" ON "Generation"("taskId", "createdAt");

-- CreateIndex
CREATE INDEX "Generation_taskId_subjectId_createdAt_idx" ON "Generation"("taskId", "subjectId", "createdAt");

-- AddForeignKey
ALTER TABLE "FeedbackProposal" ADD CONSTRAINT "FeedbackProposal_projectId_fkey" FOREIGN KEY ("projectId") REFERENCES "Project"("id") ON DELETE CASCADE ON UPDATE CASCADE;
