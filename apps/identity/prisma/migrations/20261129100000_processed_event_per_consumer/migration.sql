-- A service may run several consumers; each records the events it handled.
ALTER TABLE "ProcessedEvent" DROP CONSTRAINT "ProcessedEvent_pkey";
ALTER TABLE "ProcessedEvent" ADD CONSTRAINT "ProcessedEvent_pkey" PRIMARY KEY ("consumer", "id");
