import type { IncomingMessage, ServerResponse } from 'node:http';
import { Readable } from 'node:stream';
import { pipeline } from 'node:stream/promises';
import type { ReadableStream as WebReadableStream } from 'node:stream/web';
import { Objm, type ObjectStore } from '@nats-io/obj';
import { decodeJson, encodeJson, isNoResponders, outgoingHeaders, type NatsConnection } from '@simpul/bus';
import { AttachmentDownload, attachmentBucket, ErrorCode, type Subjects } from '@simpul/contracts';
import { bearerToken, type Logger, type TokenVerifier } from '@simpul/kit';

export interface AttachmentDownloadsOptions {
  nc: NatsConnection;
  subjects: Subjects;
  verifier: TokenVerifier;
  timeoutMs: number;
  logger: Logger;
  /** The client's address for documents' audit entries (through trusted proxies); the socket's peer by default. */
  clientAddressOf?: (req: IncomingMessage) => string;
}

const QUERY = 'query ($id: ID!) { _attachmentDownload(id: $id) { objectName filename contentType size sha256 } }';

/** HTTP status for each answer documents can give instead of a download. */
const STATUS: Partial<Record<string, number>> = {
  [ErrorCode.Unauthenticated]: 401,
  [ErrorCode.NotFound]: 404,
  [ErrorCode.Forbidden]: 404,
  [ErrorCode.BadUserInput]: 400,
  [ErrorCode.ServiceUnavailable]: 503,
};

/**
 * `GET /attachments/<id>`: the bytes of a letter's attachment. The documents service
 * decides, with the caller's own token, whether they may read it (the same rules as the
 * letter: a secret letter's attachment answers 404 like a missing one) and names the
 * object; the bytes are streamed from the JetStream object store, never through a NATS
 * request, so their size is not bound by NATS's message limit.
 */
export function createAttachmentDownloads(options: AttachmentDownloadsOptions) {
  let bucket: Promise<ObjectStore> | undefined;
  const attachments = () =>
    (bucket ??= new Objm(options.nc).open(attachmentBucket(options.subjects)).catch((error: unknown) => {
      bucket = undefined;
      throw error;
    }));

  return async function serveAttachment(req: IncomingMessage, res: ServerResponse, id: string): Promise<void> {
    const token = bearerToken(header(req, 'authorization'));
    if (!token) return refuse(res, 401, ErrorCode.Unauthenticated, 'Log in first: send Authorization: Bearer <token>');
    try {
      await options.verifier.verify(token);
    } catch (error) {
      return refuse(res, 401, ErrorCode.Unauthenticated, (error as Error).message);
    }

    let answer: { data?: { _attachmentDownload?: unknown } | null; errors?: { message: string; extensions?: { code?: string } }[] };
    try {
      const reply = await options.nc.request(options.subjects.graphql('documents'), encodeJson({ query: QUERY, variables: { id } }), {
        timeout: options.timeoutMs,
        headers: outgoingHeaders(token, options.clientAddressOf?.(req) ?? req.socket.remoteAddress),
      });
      answer = decodeJson(reply.data) as typeof answer;
    } catch (error) {
      const why = isNoResponders(error) ? 'no instance of documents is running' : 'documents did not answer in time';
      return refuse(res, 503, ErrorCode.ServiceUnavailable, `The documents service is unavailable: ${why}`);
    }
    const refusal = answer.errors?.[0];
    if (refusal) {
      const code = refusal.extensions?.code ?? ErrorCode.InternalServerError;
      return refuse(res, STATUS[code] ?? 500, code, refusal.message);
    }
    const found = AttachmentDownload.safeParse(answer.data?._attachmentDownload);
    if (!found.success) return refuse(res, 502, ErrorCode.InternalServerError, 'documents gave an unreadable answer');
    const file = found.data;

    const object = await (await attachments()).get(file.objectName);
    if (!object) {
      options.logger.error({ attachment: id, object: file.objectName }, 'attachment bytes missing from the object store');
      return refuse(res, 404, ErrorCode.NotFound, `The bytes of attachment ${id} are missing`);
    }
    res.writeHead(200, {
      'content-type': file.contentType,
      'content-length': file.size,
      // RFC 6266: a plain fallback name and the exact one, UTF-8 encoded.
      'content-disposition': `attachment; filename="${file.filename.replace(/[^\x20-\x7e]|["\\]/g, '_')}"; filename*=UTF-8''${encodeURIComponent(file.filename)}`,
      'x-content-sha256': file.sha256,
      'cache-control': 'private, no-store',
      'x-content-type-options': 'nosniff',
    });
    await pipeline(Readable.fromWeb(object.data as WebReadableStream<Uint8Array>), res);
  };
}

function header(req: IncomingMessage, name: string): string | undefined {
  const value = req.headers[name];
  return Array.isArray(value) ? value[0] : value;
}

function refuse(res: ServerResponse, status: number, code: string, message: string): void {
  const body = JSON.stringify({ errors: [{ message, extensions: { code } }] });
  res.writeHead(status, {
    'content-type': 'application/json; charset=utf-8',
    'content-length': Buffer.byteLength(body),
    ...(status === 401 ? { 'www-authenticate': 'Bearer' } : {}),
  });
  res.end(body);
}
