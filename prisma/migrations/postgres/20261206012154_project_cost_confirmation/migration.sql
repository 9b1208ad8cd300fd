-- AlterTable
ALTER TABLE "Project" ADD COLUMN     "costConfirmAboveUsd" DOUBLE PRECISION;
