-- Transfers between agencies become requests the receiving agency decides (issue 16).
-- Generated with prisma migrate diff; the partial unique index at the end is written by hand
-- (Prisma's schema cannot express it): at most one PENDING request per employee.

-- CreateEnum
CREATE TYPE "TransferStatus" AS ENUM ('PENDING', 'ACCEPTED', 'REJECTED', 'CANCELLED');

-- CreateTable
CREATE TABLE "TransferRequest" (
    "id" UUID NOT NULL,
    "nip" TEXT NOT NULL,
    "fromAgencyCode" TEXT NOT NULL,
    "fromUnitCode" TEXT,
    "toAgencyCode" TEXT NOT NULL,
    "toUnitCode" TEXT,
    "effectiveDate" DATE,
    "decreeNumber" TEXT,
    "requestedById" TEXT NOT NULL,
    "requestedByName" TEXT NOT NULL,
    "requestedAt" TIMESTAMP(3) NOT NULL DEFAULT CURRENT_TIMESTAMP,
    "status" "TransferStatus" NOT NULL DEFAULT 'PENDING',
    "decidedById" TEXT,
    "decidedByName" TEXT,
    "decidedAt" TIMESTAMP(3),
    "reason" TEXT,

    CONSTRAINT "TransferRequest_pkey" PRIMARY KEY ("id")
);

-- CreateIndex
CREATE INDEX "TransferRequest_toAgencyCode_status_requestedAt_idx" ON "TransferRequest"("toAgencyCode", "status", "requestedAt");

-- CreateIndex
CREATE INDEX "TransferRequest_fromAgencyCode_status_requestedAt_idx" ON "TransferRequest"("fromAgencyCode", "status", "requestedAt");

-- CreateIndex
CREATE INDEX "TransferRequest_nip_status_idx" ON "TransferRequest"("nip", "status");

-- AddForeignKey
ALTER TABLE "TransferRequest" ADD CONSTRAINT "TransferRequest_nip_fkey" FOREIGN KEY ("nip") REFERENCES "Employee"("nip") ON DELETE RESTRICT ON UPDATE CASCADE;


-- One pending request per employee at a time.
CREATE UNIQUE INDEX "TransferRequest_one_pending_per_employee" ON "TransferRequest"("nip") WHERE "status" = 'PENDING';
