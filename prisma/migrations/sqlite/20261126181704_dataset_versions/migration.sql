-- AlterTable
ALTER TABLE "Example" ADD COLUMN "extra" JSONB;

-- RedefineTables
PRAGMA defer_foreign_keys=ON;
PRAGMA foreign_keys=OFF;
CREATE TABLE "new_DatasetVersion" (
    "id" TEXT NOT NULL PRIMARY KEY,
    "datasetId" TEXT NOT NULL,
    "version" INTEGER NOT NULL,
    "contentHash" TEXT NOT NULL,
    "sourceName" TEXT NOT NULL,
    "rowCount" INTEGER NOT NULL,
    "columns" JSONB NOT NULL,
    "expectedColumn" TEXT NOT NULL,
    "inputColumns" JSONB,
    "idColumn" TEXT,
    "splitValidation" REAL NOT NULL DEFAULT 0.25,
    "splitTest" REAL NOT NULL DEFAULT 0.25,
    "splitSeed" INTEGER NOT NULL DEFAULT 0,
    "parentVersion" INTEGER,
    "note" TEXT NOT NULL DEFAULT '',
    "createdAt" DATETIME NOT NULL DEFAULT CURRENT_TIMESTAMP,
    CONSTRAINT "DatasetVersion_datasetId_fkey" FOREIGN KEY ("datasetId") REFERENCES "Dataset" ("id") ON DELETE CASCADE ON UPDATE CASCADE
);
INSERT INTO "new_DatasetVersion" ("columns", "contentHash", "createdAt", "datasetId", "expectedColumn", "id", "rowCount", "sourceName", "version") SELECT "columns", "contentHash", "createdAt", "datasetId", "expectedColumn", "id", "rowCount", "sourceName", "version" FROM "DatasetVersion";
DROP TABLE "DatasetVersion";
ALTER TABLE "new_DatasetVersion" RENAME TO "DatasetVersion";
CREATE INDEX "DatasetVersion_datasetId_contentHash_idx" ON "DatasetVersion"("datasetId", "contentHash");
CREATE UNIQUE INDEX "DatasetVersion_datasetId_version_key" ON "DatasetVersion"("datasetId", "version");
PRAGMA foreign_keys=ON;
PRAGMA defer_foreign_keys=OFF;
