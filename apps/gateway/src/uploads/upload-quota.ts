export interface UploadQuotaLimits {
  /** Bytes one user may have staged and not yet claimed or deleted. */
  maxBytes: number;
  /** Files one user may have staged and not yet claimed or deleted. */
  maxFiles: number;
}

interface Held {
  bytes: number;
  files: number;
}

/**
 * What each user has in the staging bucket right now, so that one user cannot fill the
 * bucket (shared by everyone, and refusing new files when full) and block every other
 * upload. Room is reserved before a file is stored and given back once the operation
 * that carried it has ended and its files are claimed or deleted. Kept in this gateway
 * instance's memory: with several gateways, a user's limit is per instance.
 */
export class UploadQuota {
  private readonly held = new Map<string, Held>();

  constructor(private readonly limits: UploadQuotaLimits) {}

  /** Reserves room for `files` files of `bytes` bytes in all; false (nothing reserved) when that would exceed the quota. */
  tryReserve(user: string, files: number, bytes: number): boolean {
    const now = this.held.get(user) ?? { bytes: 0, files: 0 };
    if (now.bytes + bytes > this.limits.maxBytes || now.files + files > this.limits.maxFiles) return false;
    this.held.set(user, { bytes: now.bytes + bytes, files: now.files + files });
    return true;
  }

  release(user: string, files: number, bytes: number): void {
    const now = this.held.get(user);
    if (!now) return;
    const left = { bytes: Math.max(0, now.bytes - bytes), files: Math.max(0, now.files - files) };
    if (left.bytes === 0 && left.files === 0) this.held.delete(user);
    else this.held.set(user, left);
  }

  /** What a user holds now (for messages and tests). */
  holding(user: string): Held {
    return { ...(this.held.get(user) ?? { bytes: 0, files: 0 }) };
  }
}
