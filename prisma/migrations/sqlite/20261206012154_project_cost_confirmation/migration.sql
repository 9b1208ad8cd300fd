-- AlterTable
ALTER TABLE "Project" ADD COLUMN "costConfirmAboveUsd" REAL;
