-- AlterTable
ALTER TABLE "DatasetVersion" ADD COLUMN     "idColumn" TEXT,
ADD COLUMN     "inputColumns" JSONB,
ADD COLUMN     "note" TEXT NOT NULL DEFAULT '',
ADD COLUMN     "parentVersion" INTEGER,
ADD COLUMN     "splitSeed" INTEGER NOT NULL DEFAULT 0,
ADD COLUMN     "splitTest" DOUBLE PRECISION NOT NULL DEFAULT 0.25,
ADD COLUMN     "splitValidation" DOUBLE PRECISION NOT NULL DEFAULT 0.25;

-- AlterTable
ALTER TABLE "Example" ADD COLUMN     "extra" JSONB;
