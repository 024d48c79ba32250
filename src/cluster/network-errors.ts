import {GshiftError} from '../errors.js';

/** Why a connection failed, in the words `Cannot reach the cluster at … (<why>).` uses. */
const CONNECTION_CAUSES: Record<string, string> = {
  ECONNREFUSED: 'connection refused',
  ENOTFOUND: 'the host name does not resolve',
  EAI_AGAIN: 'DNS lookup failed',
  ETIMEDOUT: 'connection timed out',
  UND_ERR_CONNECT_TIMEOUT: 'connection timed out',
  ECONNRESET: 'connection reset',
  EPIPE: 'connection reset',
  UND_ERR_SOCKET: 'connection closed by the server',
  EHOSTUNREACH: 'no route to host',
  EHOSTDOWN: 'host is down',
  ENETUNREACH: 'network unreachable',
  ENETDOWN: 'network is down',
  UND_ERR_HEADERS_TIMEOUT: 'no answer in time',
  UND_ERR_BODY_TIMEOUT: 'no answer in time',
  // HTTP/2: the server reset the stream, or the session ended (GOAWAY, a cut) under it.
  ERR_HTTP2_STREAM_ERROR: 'connection reset',
  ERR_HTTP2_STREAM_CANCEL: 'connection reset',
  ERR_HTTP2_SESSION_ERROR: 'connection reset',
  ERR_HTTP2_GOAWAY_SESSION: 'connection closed by the server',
  ERR_HTTP2_INVALID_SESSION: 'connection closed by the server',
  ERR_HTTP2_ERROR: 'connection reset',
  ERR_STREAM_PREMATURE_CLOSE: 'connection reset',
  ERR_SSL_WRONG_VERSION_NUMBER: 'it does not speak TLS at that address',
  EPROTO: 'TLS handshake failed',
};

/** TLS verification failures: the server is there but cannot be trusted. */
const TLS_CAUSES: Record<string, string> = {
  DEPTH_ZERO_SELF_SIGNED_CERT: 'its certificate is self-signed and not trusted',
  SELF_SIGNED_CERT_IN_CHAIN: 'its certificate is not signed by an authority gshift trusts',
  UNABLE_TO_VERIFY_LEAF_SIGNATURE: 'its certificate is not signed by an authority gshift trusts',
  UNABLE_TO_GET_ISSUER_CERT: 'its certificate is not signed by an authority gshift trusts',
  UNABLE_TO_GET_ISSUER_CERT_LOCALLY: 'its certificate is not signed by an authority gshift trusts',
  CERT_SIGNATURE_FAILURE: 'its certificate signature is invalid',
  CERT_HAS_EXPIRED: 'its certificate has expired',
  CERT_NOT_YET_VALID: 'its certificate is not valid yet',
  ERR_TLS_CERT_ALTNAME_INVALID: 'its certificate is not valid for that host name',
};

interface CodedError {
  code?: unknown;
  name?: unknown;
  message?: unknown;
  cause?: unknown;
  errors?: unknown;
}

/** Error codes along the cause chain (fetch wraps the socket error; Happy Eyeballs aggregates several). */
function codesOf(error: unknown, seen = new Set<unknown>()): string[] {
  if (typeof error !== 'object' || error === null || seen.has(error)) return [];
  seen.add(error);
  const coded = error as CodedError;
  const own = typeof coded.code === 'string' ? [coded.code] : [];
  const nested = Array.isArray(coded.errors) ? coded.errors.flatMap((inner) => codesOf(inner, seen)) : [];
  return [...own, ...codesOf(coded.cause, seen), ...nested];
}

function namesOf(error: unknown, seen = new Set<unknown>()): string[] {
  if (typeof error !== 'object' || error === null || seen.has(error)) return [];
  seen.add(error);
  const coded = error as CodedError;
  return [...(typeof coded.name === 'string' ? [coded.name] : []), ...namesOf(coded.cause, seen)];
}

/**
 * Connection-level failures → UNREACHABLE (or USAGE when the kubeconfig's own key material is
 * unreadable). undefined when the error is not about the connection.
 */
export function networkError(error: unknown, server: string | undefined): GshiftError | undefined {
  const where = server ?? 'the configured address';
  const codes = codesOf(error);
  const tls = codes.find((code) => code in TLS_CAUSES);
  if (tls) {
    return new GshiftError('UNREACHABLE', `Cannot reach the cluster at ${where} securely (${TLS_CAUSES[tls]}).`, {
      cause: error,
      details: {code: tls, server},
      hint: 'check certificate-authority(-data) for this cluster in your kubeconfig, or log in again to refresh it.',
    });
  }
  if (codes.some((code) => /^ERR_SSL_.*(BAD_CERTIFICATE|CERTIFICATE_REQUIRED|CERTIFICATE_EXPIRED|UNKNOWN_CA)/.test(code))) {
    return new GshiftError('UNAUTHENTICATED', `The cluster at ${where} did not accept your client certificate.`, {
      cause: error,
      details: {code: codes[0], server},
      hint: 'log in again to get a fresh certificate, or pick another context with --context.',
    });
  }
  if (codes.some((code) => code.startsWith('ERR_OSSL'))) {
    return new GshiftError('USAGE', 'The client certificate or key in your kubeconfig cannot be read.', {
      cause: error,
      details: {code: codes.find((code) => code.startsWith('ERR_OSSL')), server},
      hint: 'check client-certificate(-data) and client-key(-data) for this user, or log in again.',
    });
  }
  const connection = codes.find((code) => code in CONNECTION_CAUSES);
  if (connection) {
    return new GshiftError('UNREACHABLE', `Cannot reach the cluster at ${where} (${CONNECTION_CAUSES[connection]}).`, {
      cause: error,
      details: {code: connection, server},
      hint: 'check that the cluster is running and that you are on the right network or VPN, or pick another context with --context.',
    });
  }
  // fetch refuses ports browsers block (1, 22, 25, 6000, …) before connecting.
  if ((error as CodedError)?.message === 'fetch failed' && ((error as CodedError).cause as CodedError | undefined)?.message === 'bad port') {
    return new GshiftError('UNREACHABLE', `Cannot reach the cluster at ${where} (gshift cannot connect to that port).`, {
      cause: error,
      details: {code: 'BAD_PORT', server},
      hint: 'check the server address in your kubeconfig; API servers listen on ports such as 6443 or 443.',
    });
  }
  const names = namesOf(error);
  if (names.includes('TimeoutError')) {
    return new GshiftError('UNREACHABLE', `Cannot reach the cluster at ${where} (no answer in time).`, {
      cause: error,
      details: {code: 'TIMEOUT', server},
      hint: 'check that the cluster is healthy and reachable, then run the command again.',
    });
  }
  if (names.includes('AbortError')) return new GshiftError('INTERRUPTED', 'Interrupted.', {cause: error});
  return undefined;
}
