-- Private letter-signing keys are stored sealed (AES-256-GCM envelope under
-- SIMPUL_MASTER_KEY). Keys written before this migration are sealed by documents at its
-- next start, which then clears "privateKey"; SQL cannot do it, having no master key.
ALTER TABLE "SigningKey" ADD COLUMN "sealedPrivateKey" TEXT;
ALTER TABLE "SigningKey" ALTER COLUMN "privateKey" DROP NOT NULL;
