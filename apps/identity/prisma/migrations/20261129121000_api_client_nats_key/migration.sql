-- AlterTable
ALTER TABLE "ApiClient" ADD COLUMN     "natsPublicKey" TEXT;

-- CreateIndex
CREATE UNIQUE INDEX "ApiClient_natsPublicKey_key" ON "ApiClient"("natsPublicKey");

