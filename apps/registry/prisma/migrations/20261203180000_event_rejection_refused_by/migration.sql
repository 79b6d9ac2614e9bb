-- Refusals by the service that acts on an agency event (personnel refusing a SIMPEG appointment outside its rules) beside the gate's.
ALTER TABLE "EventRejection" ADD COLUMN "refusedBy" TEXT NOT NULL DEFAULT 'registry';

-- The operators' console lists recent refusals of every agency.
CREATE INDEX "EventRejection_receivedAt_idx" ON "EventRejection"("receivedAt");
