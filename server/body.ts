/**
 * Request bodies: read with a size limit and a deadline, then parsed as one JSON object, each
 * failure a problem naming what was wrong (413, 408, 400).
 */
import type { IncomingMessage, ServerResponse } from 'node:http';
import { ApiError, count } from './problem.js';
import { isObject } from './routes/route.js';

/** Largest request body accepted, in bytes. */
export const BODY_LIMIT = 64 * 1024;

/** Deepest nesting of arrays and objects accepted in a request body (a seed needs 4). */
export const MAX_NESTING = 32;

/** How deeply `[` and `{` nest in JSON text (outside strings); no parsing, no recursion. */
function nestingDepth(text: string): number {
  let depth = 0;
  let deepest = 0;
  let inString = false;
  for (let i = 0; i < text.length; i++) {
    const c = text.charCodeAt(i);
    if (inString) {
      if (c === 0x5c)
        i++; // a backslash escapes the next character
      else if (c === 0x22) inString = false;
    } else if (c === 0x22) inString = true;
    else if (c === 0x5b || c === 0x7b) deepest = Math.max(deepest, ++depth);
    else if (c === 0x5d || c === 0x7d) depth--;
  }
  return deepest;
}

/**
 * The raw body, at most BODY_LIMIT bytes, arriving within `seconds` (PARLEY_BODY_TIMEOUT). Over
 * the limit or too slow, it stops reading at once and answers 413 / 408 with `Connection: close`,
 * so Node closes the connection after the answer instead of reading (and discarding) the rest.
 */
function readRaw(req: IncomingMessage, res: ServerResponse, seconds: number): Promise<Buffer> {
  const tooLarge = () =>
    new ApiError('invalid', `The request body is larger than ${BODY_LIMIT / 1024} KB.`, {
      status: 413,
    });
  return new Promise((resolve, reject) => {
    const chunks: Buffer[] = [];
    let size = 0;
    const cleanup = () => {
      clearTimeout(timer);
      req.off('data', onData);
      req.off('end', onEnd);
      req.off('close', onClose);
      req.off('error', onClose);
    };
    const refuse = (error: ApiError) => {
      cleanup();
      req.pause();
      res.setHeader('Connection', 'close');
      reject(error);
    };
    const onData = (chunk: Buffer) => {
      size += chunk.length;
      if (size > BODY_LIMIT) refuse(tooLarge());
      else chunks.push(chunk);
    };
    const onEnd = () => {
      cleanup();
      resolve(Buffer.concat(chunks));
    };
    // The client went away mid-body: the dispatcher sees the request destroyed and answers nobody.
    const onClose = () => {
      cleanup();
      reject(new Error('the client closed the connection while sending its body'));
    };
    const timer = setTimeout(
      () =>
        refuse(
          new ApiError(
            'invalid',
            `The request body did not arrive within ${seconds} second${seconds === 1 ? '' : 's'}; send it at once.`,
            { status: 408 },
          ),
        ),
      seconds * 1000,
    );
    if (Number(req.headers['content-length'] ?? NaN) > BODY_LIMIT) return refuse(tooLarge());
    req.on('data', onData);
    req.on('end', onEnd);
    req.on('close', onClose);
    req.on('error', onClose);
  });
}

/** The request body as one JSON object; a problem for an empty, too deep or malformed one. */
export async function readBody(
  req: IncomingMessage,
  res: ServerResponse,
  seconds: number,
): Promise<Record<string, unknown>> {
  const text = (await readRaw(req, res, seconds)).toString('utf8');
  if (text.trim() === '')
    throw new ApiError('invalid', 'The request body is empty; send a JSON object.', {
      status: 400,
    });
  const depth = nestingDepth(text);
  if (depth > MAX_NESTING)
    throw new ApiError(
      'invalid',
      `The request body is nested more than ${MAX_NESTING} levels deep (${count(depth)}); no request needs that.`,
      { status: 400 },
    );
  let value: unknown;
  try {
    value = JSON.parse(text);
  } catch (error) {
    throw new ApiError(
      'invalid',
      `The request body is not valid JSON (${(error as Error).message}).`,
      {
        status: 400,
      },
    );
  }
  if (!isObject(value)) throw new ApiError('invalid', 'The request body must be a JSON object.');
  return value;
}
